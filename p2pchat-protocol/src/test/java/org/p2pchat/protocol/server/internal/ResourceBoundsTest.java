package org.p2pchat.protocol.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.codec.FrameType;
import org.p2pchat.protocol.codec.HistoryEncoder;
import org.p2pchat.protocol.codec.LoginEncoder;
import org.p2pchat.protocol.codec.PingEncoder;
import org.p2pchat.protocol.codec.SendEncoder;

/**
 * Floods through the in-memory transport from spoofed addresses: every table the engine keeps
 * stays within its configured bound, the heap does not grow with the number of addresses, and
 * legitimate users still get answers.
 */
class ResourceBoundsTest {
  private static final int ADDRESSES = 100_000;
  /** Between checkpoints, fewer than the in-memory transport's queue holds. */
  private static final int BATCH = 10_000;
  private static final ServerConfig TIGHT = ServerConfig.builder()
      .argon2MemoryKib(256).argon2Iterations(1)
      .hashThreads(1).maxQueuedHashes(4)
      .maxSessions(64)
      .maxPendingOperations(64)
      .answerCacheEntries(1024)
      .maxRateLimitEntries(1024)
      .build();
  /** Far more than the bounded tables can hold (they hold a few MiB), far less than 100,000 of anything would. */
  private static final long MAX_HEAP_GROWTH_BYTES = 24L << 20;

  private EngineHarness harness;

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void datagramsFromAHundredThousandAddressesKeepEveryTableAndTheHeapWithinBounds() throws Exception {
    harness = new EngineHarness(TIGHT, "alice", "bob");
    EngineHarness.Peer alice = harness.peer(2);
    alice.logIn("alice");
    long heapBefore = usedHeapAfterGc();

    Random random = new Random(100_000);
    ByteBuffer frame = ByteBuffer.allocate(1200);
    for (int i = 0; i < ADDRESSES; i++) {
      frame.clear();
      long id = random.nextLong();
      switch (i % 4) {
        case 0 -> LoginEncoder.encode(frame, id, i % 2 == 0 ? "alice" : "user" + i, "guess number " + i);
        case 1 -> SendEncoder.encode(frame, id, random.nextLong(), random.nextLong(), "alice", "spam " + i);
        case 2 -> HistoryEncoder.encode(frame, id, random.nextLong(), random.nextLong(), null, false, false, 0, 100);
        default -> PingEncoder.encode(frame, id, random.nextLong(), random.nextLong());
      }
      assertThat(harness.network.inject(frame.flip(), spoofed(i), harness.server.localAddress())).isTrue();
      if (i % BATCH == BATCH - 1) {
        alice.ping(); // every datagram before the ping has been handled
        checkBounds();
      }
    }

    alice.ping();
    checkBounds();
    EngineHarness.Answer sent = alice.sendMessage("bob", "still here");
    assertThat(sent.type()).as("answer to a legitimate send after the flood").isEqualTo(FrameType.OK);
    EngineHarness.Peer bob = harness.peer(3);
    bob.logIn("bob");
    assertThat(last(bob.ping()).type()).isEqualTo(FrameType.OK);

    long growth = usedHeapAfterGc() - heapBefore;
    System.out.printf("resource bounds: %d spoofed addresses, heap growth after GC %d KiB, %s%n",
        ADDRESSES, growth >> 10, harness.stats());
    assertThat(growth).as("heap growth in bytes after %d addresses", ADDRESSES)
        .isLessThan(MAX_HEAP_GROWTH_BYTES);
  }

  @Test
  void duringASustainedLoginFloodSessionsKeepWorkingAndEveryLoginIsAnswered() throws Exception {
    harness = new EngineHarness(TIGHT, "alice", "bob");
    EngineHarness.Peer bob = harness.peer(3);
    bob.logIn("bob");
    EngineHarness.Peer alice = harness.peer(2);

    ByteBuffer frame = ByteBuffer.allocate(1200);
    int busy = 0;
    int sendsBusy = 0;
    boolean aliceGotIn = false;
    for (int round = 0; round < 100; round++) {
      for (int j = 0; j < 500; j++) {
        int i = round * 500 + j;
        frame.clear();
        LoginEncoder.encode(frame, i, j % 2 == 0 ? "alice" : "user" + i, "guess number " + i);
        assertThat(harness.network.inject(frame.flip(), spoofed(i), harness.server.localAddress())).isTrue();
      }
      // An established session keeps working: its send goes through, at worst after busy
      // answers while the burst of logins holds every pending-operation slot.
      sendsBusy += sendUntilOk(bob, "during the flood " + round);
      // A login is always answered: in, or busy with a retry-after, never silence.
      if (!aliceGotIn) {
        int code = alice.tryLogIn("alice");
        aliceGotIn = code == 0;
        busy += code == ErrorCode.SERVER_BUSY.code() ? 1 : 0;
        assertThat(code).as("alice's login in round %d", round)
            .isIn(0, ErrorCode.SERVER_BUSY.code(), ErrorCode.RATE_LIMITED.code());
      }
      checkBounds();
    }
    if (!aliceGotIn) {
      alice.logIn("alice"); // once the flood has passed
    }
    assertThat(last(alice.ping()).type()).isEqualTo(FrameType.OK);
    System.out.printf("login flood: 50000 spoofed logins; alice %s during the flood (%d busy answers);"
        + " bob's 100 sends all went through, after %d busy answers%n",
        aliceGotIn ? "got in" : "got in only after", busy, sendsBusy);
  }

  /** Sends until OK, as a client honouring retry-after would; returns the busy answers met. */
  private static int sendUntilOk(EngineHarness.Peer peer, String body) throws Exception {
    for (int attempt = 0; attempt < 50; attempt++) {
      EngineHarness.Answer answer = peer.sendMessage("alice", body);
      if (answer.type() == FrameType.OK) {
        return attempt;
      }
      assertThat(answer.errorCode()).as("error answer to a legitimate send")
          .isEqualTo(ErrorCode.SERVER_BUSY.code());
    }
    throw new AssertionError("a legitimate send stayed busy for 50 attempts");
  }

  private void checkBounds() throws Exception {
    ServerEngine.Stats stats = harness.stats();
    assertThat(stats.sessions()).isLessThanOrEqualTo(TIGHT.maxSessions());
    assertThat(stats.cachedAnswers()).isLessThanOrEqualTo(TIGHT.answerCacheEntries());
    assertThat(stats.cachedAnswerBytes()).isLessThanOrEqualTo(TIGHT.answerCacheBytes());
    assertThat(stats.rateLimitEntries()).isLessThanOrEqualTo(TIGHT.maxRateLimitEntries());
    assertThat(stats.pendingOperations()).isLessThanOrEqualTo(TIGHT.maxPendingOperations());
    assertThat(stats.pendingPushes()).isLessThanOrEqualTo(TIGHT.maxPendingPushes());
  }

  private static EngineHarness.Answer last(List<EngineHarness.Answer> answers) {
    return answers.get(answers.size() - 1);
  }

  /** A distinct loopback address, apart from the harness's 127.0.0.x, for each i below 2^23. */
  private static InetSocketAddress spoofed(int i) throws Exception {
    return new InetSocketAddress(InetAddress.getByAddress(
        new byte[] {127, (byte) (100 + (i >> 16)), (byte) (i >> 8), (byte) i}), 40_000 + (i & 0xfff));
  }

  private static long usedHeapAfterGc() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}
