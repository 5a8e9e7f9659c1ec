package org.p2pchat.protocol.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.codec.Frame;
import org.p2pchat.protocol.codec.FrameCodec;
import org.p2pchat.testing.EmbeddedServer;
import org.p2pchat.testing.ServerStats;

/**
 * An {@link EmbeddedServer} with registered users, and peers that speak to it frame by frame:
 * the fixture of the server's fuzz and resource-bound tests. Everything runs on the test's
 * thread; what the server sends is sorted into each peer's inbox.
 */
final class EmbeddedHarness implements AutoCloseable {
  static final String PASSWORD = "correct horse battery";
  private static final FrameCodec CODEC = new FrameCodec();
  private static final int REGISTER = 0x01;
  private static final int LOGIN = 0x02;
  private static final int SEND = 0x04;
  private static final int PING = 0x06;

  final ServerConfig config;
  final EmbeddedServer server;
  private final Map<InetSocketAddress, List<Answer>> inboxes = new HashMap<>();
  /** Unpredictable request ids, so that no datagram a fuzzer makes can pass for an answer. */
  private final SecureRandom ids = new SecureRandom();

  EmbeddedHarness(ServerConfig config, String... users) {
    this(config, org.p2pchat.protocol.ServerMetrics.NONE, users);
  }

  EmbeddedHarness(ServerConfig config, org.p2pchat.protocol.ServerMetrics metrics, String... users) {
    this.config = config;
    this.server = EmbeddedServer.builder().config(config).metrics(metrics).build();
    for (int i = 0; i < users.length; i++) {
      Peer registrar = peer(200 + i);
      long id = registrar.nextId();
      Answer a = registrar.exchangeLast(new Frame.Register(id, users[i], PASSWORD), id);
      if (!a.isOkTo(REGISTER, id)) {
        throw new AssertionError("registering " + users[i] + " failed with code " + a.errorCode());
      }
    }
  }

  /** A peer on its own address, {@code 127.0.0.x} port 40000. */
  Peer peer(int lastOctet) {
    return peerAt(lastOctet, 40_000);
  }

  /** A peer at {@code 127.0.0.x} and the given port. */
  Peer peerAt(int lastOctet, int port) {
    try {
      return new Peer(new InetSocketAddress(
          InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) lastOctet}), port));
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** Offers a datagram from an address that no peer reads (a spoofed source). */
  void inject(ByteBuffer datagram, InetSocketAddress from) {
    server.offer(datagram, from);
  }

  /**
   * Runs what is pending and sorts what the server sent into the peers' inboxes; what it sent
   * to other addresses (spoofed sources) is dropped, as the network would.
   */
  void run() {
    server.runPendingTasks();
    for (EmbeddedServer.Sent s : server.readAllOutbound()) {
      List<Answer> inbox = inboxes.get(s.to());
      if (inbox != null) {
        inbox.add(new Answer(s.bytes()));
      }
    }
  }

  ServerStats stats() {
    return server.stats();
  }

  @Override
  public void close() {
    server.close();
  }

  /** One datagram the server sent to a peer. */
  record Answer(byte[] bytes) {
    /** The frame, or null when the bytes are not a valid frame. */
    Frame frame() {
      try {
        return CODEC.decode(ByteBuffer.wrap(bytes));
      } catch (DecodeException e) {
        return null;
      }
    }

    long requestId() {
      return ByteBuffer.wrap(bytes).getLong(5);
    }

    boolean isError() {
      return frame() instanceof Frame.Error;
    }

    boolean isOk() {
      Frame f = frame();
      return f instanceof Frame.OkEmpty || f instanceof Frame.OkLogin || f instanceof Frame.OkSend
          || f instanceof Frame.OkHistory;
    }

    /** The error code of an ERROR frame, else 0. */
    int errorCode() {
      return frame() instanceof Frame.Error e ? e.errorCode() : 0;
    }

    boolean isOkTo(int requestType, long id) {
      return requestId() == id && isOk() && bytes[13] == requestType;
    }
  }

  /** A client endpoint speaking raw frames. */
  final class Peer {
    final InetSocketAddress address;
    long tokenHi;
    long tokenLo;

    Peer(InetSocketAddress address) {
      this.address = address;
      inboxes.putIfAbsent(address, new ArrayList<>());
    }

    long nextId() {
      return ids.nextLong() & Long.MAX_VALUE;
    }

    /** Queues a datagram from this peer; the next {@link #run} handles it. */
    void offer(ByteBuffer datagram) {
      server.offer(datagram, address);
    }

    /** Sends a datagram, runs the server, and returns what this peer received since last asked. */
    List<Answer> exchange(ByteBuffer datagram) {
      offer(datagram);
      run();
      return drain();
    }

    List<Answer> exchange(Frame frame) {
      ByteBuffer b = ByteBuffer.allocate(2048);
      CODEC.encode(frame, b);
      return exchange(b.flip());
    }

    /**
     * Sends a request and returns its answer: the last datagram received with its id. What else
     * arrived meanwhile (pushes) stays in the inbox for {@link #drain}.
     */
    Answer exchangeLast(Frame request, long id) {
      List<Answer> got = exchange(request);
      for (int i = got.size() - 1; i >= 0; i--) {
        if (got.get(i).requestId() == id) {
          Answer answer = got.remove(i);
          inboxes.get(address).addAll(0, got);
          return answer;
        }
      }
      throw new AssertionError("no answer to request " + id + "; received " + got.size() + " others");
    }

    /** Everything this peer received and has not read. */
    List<Answer> drain() {
      return inboxes.put(address, new ArrayList<>());
    }

    /** Logs in as {@code user}, which must succeed, and keeps the token. */
    void logIn(String user) {
      int code = tryLogIn(user);
      if (code != 0) {
        throw new AssertionError("login as " + user + " failed with error code " + code);
      }
    }

    /**
     * One login attempt as {@code user}; keeps the token when it succeeds.
     *
     * @return 0 when logged in, else the error code of the answer
     */
    int tryLogIn(String user) {
      long id = nextId();
      Answer answer = exchangeLast(new Frame.Login(id, user, PASSWORD), id);
      if (!(answer.frame() instanceof Frame.OkLogin ok)) {
        return answer.isOkTo(LOGIN, id) ? -1 : answer.errorCode();
      }
      tokenHi = ok.tokenHi();
      tokenLo = ok.tokenLo();
      return 0;
    }

    /** Sends a message with this peer's token and returns the answer (OK or ERROR). */
    Answer sendMessage(String recipient, String body) {
      long id = nextId();
      Answer a = exchangeLast(new Frame.Send(id, tokenHi, tokenLo, recipient, body), id);
      if (!a.isOkTo(SEND, id) && !a.isError()) {
        throw new AssertionError("a SEND was answered by neither OK nor ERROR");
      }
      return a;
    }

    /** Pings with this peer's token; returns everything received, the ping's answer last. */
    List<Answer> ping() {
      long id = nextId();
      List<Answer> got = exchange(new Frame.Ping(id, tokenHi, tokenLo));
      Answer answer = null;
      for (Answer a : got) {
        if (a.requestId() == id) {
          answer = a;
        }
      }
      if (answer == null) {
        throw new AssertionError("the server did not answer a PING");
      }
      got.remove(answer);
      got.add(answer);
      return got;
    }

    /** Whether the last of {@link #ping()}'s answers is its OK. */
    static boolean pingedOk(List<Answer> answers) {
      Answer last = answers.get(answers.size() - 1);
      return last.isOk() && last.bytes()[13] == PING;
    }
  }
}
