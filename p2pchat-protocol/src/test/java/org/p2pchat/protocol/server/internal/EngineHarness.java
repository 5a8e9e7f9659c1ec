package org.p2pchat.protocol.server.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.StoredUser;
import org.p2pchat.api.transport.Transport;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.codec.ErrorDecoder;
import org.p2pchat.protocol.codec.FrameHeader;
import org.p2pchat.protocol.codec.FrameType;
import org.p2pchat.protocol.codec.LoginEncoder;
import org.p2pchat.protocol.codec.OkDecoder;
import org.p2pchat.protocol.codec.PingEncoder;
import org.p2pchat.protocol.codec.SendEncoder;
import org.p2pchat.protocol.store.InMemoryChatStore;
import org.p2pchat.protocol.transport.InMemoryNetwork;

/**
 * A {@link ServerEngine} on an in-memory network with one registered user, and peers that
 * speak to it frame by frame: the fixture of the engine's fuzz and resource-bound tests.
 */
final class EngineHarness implements AutoCloseable {
  static final String PASSWORD = "correct horse battery";
  private static final long ANSWER_TIMEOUT_MILLIS = 10_000;

  final InMemoryNetwork network = new InMemoryNetwork();
  final InMemoryChatStore store = new InMemoryChatStore();
  final ServerConfig config;
  final ServerEngine server;

  EngineHarness(ServerConfig config, String... users) throws IOException {
    this.config = config;
    Transport t = network.bindLoopback();
    server = ServerEngine.start(t, store, config, Clock.systemUTC());
    PasswordHasher hasher = new PasswordHasher(config.argon2MemoryKib(), config.argon2Iterations(), 1, 4);
    try {
      String hash = hasher.hash(PASSWORD).join();
      for (String user : users) {
        store.createUser(StoredUser.of(UserName.of(user), hash, Instant.now())).join();
      }
    } finally {
      hasher.close();
    }
  }

  /** A peer on its own address, {@code 127.0.0.x} with a free port. */
  Peer peer(int lastOctet) throws IOException {
    InetAddress address = InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) lastOctet});
    return new Peer(network.bind(new InetSocketAddress(address, 0)));
  }

  ServerEngine.Stats stats() throws Exception {
    return server.stats().get(ANSWER_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    server.close();
    store.close();
  }

  /** One datagram received by a peer. */
  record Answer(byte[] bytes) {
    int type() {
      return bytes.length > FrameHeader.TYPE_OFFSET ? bytes[FrameHeader.TYPE_OFFSET] & 0xff : -1;
    }

    long requestId() {
      return FrameHeader.requestId(ByteBuffer.wrap(bytes));
    }

    /** The error code of an ERROR frame, else 0. */
    int errorCode() {
      if (type() != FrameType.ERROR) {
        return 0;
      }
      try {
        return new ErrorDecoder().wrap(ByteBuffer.wrap(bytes)).errorCode();
      } catch (org.p2pchat.api.codec.DecodeException e) {
        throw new AssertionError("the server sent a malformed ERROR frame: " + e.getMessage(), e);
      }
    }

    boolean isOkTo(int requestType, long id) {
      return type() == FrameType.OK && requestId() == id
          && (bytes[OkDecoder.IN_REPLY_TO_OFFSET] & 0xff) == requestType;
    }
  }

  /** A client endpoint speaking raw frames; not thread-safe. */
  final class Peer {
    final Transport transport;
    private final ByteBuffer frame = ByteBuffer.allocate(1200);
    private long nextProbeId = 0x7f00_0000_0000_0000L;
    long tokenHi;
    long tokenLo;

    Peer(Transport transport) {
      this.transport = transport;
    }

    void send(ByteBuffer datagram) throws IOException {
      transport.send(datagram, server.localAddress());
    }

    /**
     * Receives until {@code wanted} matches; returns everything received, the first match
     * moved to the end (datagrams that came after it in the same poll stay before it).
     */
    List<Answer> receiveUntil(Predicate<Answer> wanted) throws IOException {
      List<Answer> received = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ANSWER_TIMEOUT_MILLIS);
      Answer[] match = {null};
      while (match[0] == null) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the server did not answer within " + ANSWER_TIMEOUT_MILLIS
              + " ms; received " + received.size() + " other datagrams");
        }
        transport.poll((datagram, from) -> {
          byte[] bytes = new byte[datagram.remaining()];
          datagram.get(bytes);
          Answer a = new Answer(bytes);
          if (match[0] == null && wanted.test(a)) {
            match[0] = a;
          } else {
            received.add(a);
          }
        }, 20);
      }
      received.add(match[0]);
      return received;
    }

    /** Everything already queued for this peer. */
    List<Answer> drain() throws IOException {
      List<Answer> received = new ArrayList<>();
      transport.poll((datagram, from) -> {
        byte[] bytes = new byte[datagram.remaining()];
        datagram.get(bytes);
        received.add(new Answer(bytes));
      }, 0);
      return received;
    }

    /** Logs in as {@code user}, retrying while rate limited or busy, and keeps the token. */
    void logIn(String user) throws IOException {
      for (int attempt = 0; attempt < 100; attempt++) {
        int code = tryLogIn(user);
        if (code == 0) {
          return;
        }
        if (code != ErrorCode.RATE_LIMITED.code() && code != ErrorCode.SERVER_BUSY.code()) {
          throw new AssertionError("login as " + user + " failed with error code " + code);
        }
      }
      throw new AssertionError("login as " + user + " stayed refused");
    }

    /**
     * One login attempt as {@code user}; keeps the token when it succeeds.
     *
     * @return 0 when logged in, else the error code of the answer
     */
    int tryLogIn(String user) throws IOException {
      long id = nextProbeId++;
      frame.clear();
      LoginEncoder.encode(frame, id, user, PASSWORD);
      send(frame.flip());
      List<Answer> got = receiveUntil(a -> a.requestId() == id
          && (a.type() == FrameType.OK || a.type() == FrameType.ERROR));
      Answer answer = got.get(got.size() - 1);
      if (!answer.isOkTo(FrameType.LOGIN, id)) {
        return answer.errorCode();
      }
      try {
        OkDecoder ok = new OkDecoder().wrap(ByteBuffer.wrap(answer.bytes()));
        tokenHi = ok.tokenHi();
        tokenLo = ok.tokenLo();
      } catch (org.p2pchat.api.codec.DecodeException e) {
        throw new AssertionError("the server sent a malformed OK to LOGIN", e);
      }
      return 0;
    }

    /** Sends a message with this peer's token and returns the answer (OK or ERROR). */
    Answer sendMessage(String recipient, String body) throws IOException {
      long id = nextProbeId++;
      frame.clear();
      SendEncoder.encode(frame, id, tokenHi, tokenLo, recipient, body);
      send(frame.flip());
      List<Answer> got = receiveUntil(a -> a.requestId() == id
          && (a.isOkTo(FrameType.SEND, id) || a.type() == FrameType.ERROR));
      return got.get(got.size() - 1);
    }

    /**
     * Pings with this peer's token and waits for the answer: every datagram the server took
     * in before the ping has then been handled.
     *
     * @return everything received, the ping's answer last
     */
    List<Answer> ping() throws IOException {
      long id = nextProbeId++;
      frame.clear();
      PingEncoder.encode(frame, id, tokenHi, tokenLo);
      send(frame.flip());
      return receiveUntil(a -> a.requestId() == id
          && (a.isOkTo(FrameType.PING, id) || a.type() == FrameType.ERROR));
    }
  }
}
