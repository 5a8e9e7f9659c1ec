package org.p2pchat.protocol.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.StoredUser;
import org.p2pchat.api.transport.Transport;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.codec.ErrorDecoder;
import org.p2pchat.protocol.codec.FrameHeader;
import org.p2pchat.protocol.codec.FrameType;
import org.p2pchat.protocol.codec.LoginEncoder;
import org.p2pchat.protocol.codec.SendEncoder;
import org.p2pchat.protocol.store.InMemoryChatStore;
import org.p2pchat.protocol.transport.InMemoryNetwork;

/** Datagrams from strangers and floods: no state change, no amplification, bounded memory. */
class HostileInputTest {
  private final InMemoryNetwork network = new InMemoryNetwork();
  private final InMemoryChatStore store = new InMemoryChatStore();
  private ServerEngine server;

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  private void start(ServerConfig config) throws Exception {
    Transport t = network.bindLoopback();
    server = ServerEngine.start(t, store, config, Clock.systemUTC());
  }

  /** Records every answer with the length of the request that caused it. */
  private static final class Observer {
    final List<int[]> answers = new CopyOnWriteArrayList<>(); // {answer length, type, error code}
    final Transport transport;

    Observer(Transport transport) {
      this.transport = transport;
    }

    void drain(long millis) throws Exception {
      ErrorDecoder error = new ErrorDecoder();
      long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
      while (System.nanoTime() < end) {
        transport.poll((frame, from) -> {
          int type = frame.get(frame.position() + 3) & 0xff;
          int code = 0;
          if (type == FrameType.ERROR) {
            code = error.wrap(frame).errorCode();
          }
          answers.add(new int[] {frame.remaining(), type, code});
        }, 20);
      }
    }
  }

  @Test
  void randomAndMalformedDatagramsFromAStrangerChangeNothingAndNeverAmplify() throws Exception {
    start(ServerConfig.builder().argon2MemoryKib(64).argon2Iterations(1).build());
    Observer stranger = new Observer(network.bindLoopback());
    Random random = new Random(42);
    int smallest = Integer.MAX_VALUE;
    for (int i = 0; i < 20_000; i++) {
      byte[] junk = new byte[random.nextInt(1300)];
      random.nextBytes(junk);
      if (i % 2 == 0 && junk.length >= FrameHeader.LENGTH) {
        // Make half of them look like ours, so they reach the frame decoders.
        junk[0] = 0x50;
        junk[1] = 0x32;
        junk[2] = 1;
        junk[3] = (byte) (1 + random.nextInt(8));
        junk[4] = 0;
      }
      smallest = Math.min(smallest, junk.length);
      send(stranger.transport, ByteBuffer.wrap(junk));
      if (i % 1000 == 999) {
        stranger.drain(5);
      }
    }
    stranger.drain(300);

    assertThat(stranger.answers).isNotEmpty();
    for (int[] a : stranger.answers) {
      assertThat(a[1]).isEqualTo(FrameType.ERROR);
      assertThat(a[0]).isLessThanOrEqualTo(21);
    }
    ServerEngine.Stats stats = server.stats().get(10, TimeUnit.SECONDS);
    assertThat(stats.sessions()).isZero();
    assertThat(stats.pendingOperations()).isZero();
    assertThat(stats.pendingPushes()).isZero();
  }

  @Test
  void everyAnswerToAStrangerIsNoLargerThanItsRequest() throws Exception {
    start(ServerConfig.builder().argon2MemoryKib(64).argon2Iterations(1).build());
    Observer stranger = new Observer(network.bindLoopback());
    ByteBuffer frame = ByteBuffer.allocate(1200);
    Random random = new Random(7);
    for (int length = 0; length <= 64; length++) {
      // A valid session frame from a stranger, cut at every length: answers only where not larger.
      frame.clear();
      SendEncoder.encode(frame, length, random.nextLong(), random.nextLong(), "bob", "x".repeat(40));
      frame.flip().limit(Math.min(frame.limit(), length));
      send(stranger.transport, frame);
      stranger.drain(20);
      for (int[] a : stranger.answers) {
        assertThat(a[0]).isLessThanOrEqualTo(length);
      }
      stranger.answers.clear();
    }
  }

  @Test
  void aLoginFloodFromManyAddressesMeetsTheBoundsAndBusyAnswersAndLegitimateUsersGetIn() throws Exception {
    ServerConfig tight = ServerConfig.builder()
        .argon2MemoryKib(256).argon2Iterations(1)
        .hashThreads(1).maxQueuedHashes(4)
        .maxPendingOperations(64)
        .answerCacheEntries(512)
        .maxRateLimitEntries(512)
        .build();
    start(tight);
    store.createUser(StoredUser.of(UserName.of("alice"), hashOf("correct horse battery"), java.time.Instant.now())).join();
    Observer watcher = new Observer(network.bindLoopback());
    ByteBuffer frame = ByteBuffer.allocate(1200);
    for (int i = 0; i < 20_000; i++) {
      frame.clear();
      LoginEncoder.encode(frame, i, "user" + (i % 5000), "guess " + i);
      frame.flip();
      InetSocketAddress spoofed = new InetSocketAddress(
          InetAddress.getByAddress(new byte[] {127, (byte) (100 + (i >> 16)), (byte) (i >> 8), (byte) i}), 40000);
      network.inject(frame, i % 100 == 0 ? watcher.transport.localAddress() : spoofed, server.localAddress());
    }
    watcher.drain(500);

    assertThat(watcher.answers).extracting(a -> a[2])
        .contains(ErrorCode.SERVER_BUSY.code());
    ServerEngine.Stats stats = server.stats().get(10, TimeUnit.SECONDS);
    assertThat(stats.cachedAnswers()).isLessThanOrEqualTo(512);
    assertThat(stats.rateLimitEntries()).isLessThanOrEqualTo(512);
    assertThat(stats.pendingOperations()).isLessThanOrEqualTo(64);

    // Once the flood has passed, a legitimate user gets in (from another address than the
    // watcher's, which the per-address limit has rightly shut out for a while).
    Observer alice = new Observer(network.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0)));
    boolean loggedIn = false;
    for (int attempt = 0; attempt < 50 && !loggedIn; attempt++) {
      frame.clear();
      LoginEncoder.encode(frame, 1_000_000 + attempt, "alice", "correct horse battery");
      frame.flip();
      send(alice.transport, frame);
      alice.drain(200);
      loggedIn = alice.answers.stream().anyMatch(a -> a[1] == FrameType.OK);
    }
    assertThat(loggedIn).isTrue();
  }

  private static String hashOf(String password) {
    PasswordHasher hasher = new PasswordHasher(256, 1, 1, 4);
    try {
      return hasher.hash(password).join();
    } finally {
      hasher.close();
    }
  }

  private void send(Transport from, ByteBuffer datagram) throws Exception {
    from.send(datagram, server.localAddress());
  }
}
