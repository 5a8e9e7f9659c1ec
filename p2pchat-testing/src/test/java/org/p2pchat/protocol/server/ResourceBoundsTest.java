package org.p2pchat.protocol.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.codec.Frame;
import org.p2pchat.protocol.codec.FrameCodec;
import org.p2pchat.testing.ServerStats;

/**
 * Floods from spoofed addresses: every table the server keeps stays within its configured
 * bound, the heap does not grow with the number of addresses, and legitimate users still get
 * answers.
 */
class ResourceBoundsTest {
  private static final FrameCodec CODEC = new FrameCodec();
  private static final int ADDRESSES = 100_000;
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

  private EmbeddedHarness harness;

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void datagramsFromAHundredThousandAddressesKeepEveryTableAndTheHeapWithinBounds() throws Exception {
    harness = new EmbeddedHarness(TIGHT, "alice", "bob");
    EmbeddedHarness.Peer alice = harness.peer(2);
    alice.logIn("alice");
    long heapBefore = usedHeapAfterGc();

    Random random = new Random(100_000);
    ByteBuffer frame = ByteBuffer.allocate(1200);
    for (int i = 0; i < ADDRESSES; i++) {
      frame.clear();
      long id = random.nextLong() & Long.MAX_VALUE;
      Frame f = switch (i % 4) {
        case 0 -> new Frame.Login(id, i % 2 == 0 ? "alice" : "user" + i, "guess number " + i);
        case 1 -> new Frame.Send(id, random.nextLong(), random.nextLong(), "alice", "spam " + i);
        case 2 -> new Frame.History(id, random.nextLong(), random.nextLong(), null, false, false, 0, 100);
        default -> new Frame.Ping(id, random.nextLong(), random.nextLong());
      };
      CODEC.encode(f, frame);
      harness.inject(frame.flip(), spoofed(i));
      if (i % BATCH == BATCH - 1) {
        harness.run();
        checkBounds();
      }
    }

    assertThat(EmbeddedHarness.Peer.pingedOk(alice.ping())).isTrue();
    checkBounds();
    EmbeddedHarness.Answer sent = alice.sendMessage("bob", "still here");
    assertThat(sent.isOk()).as("answer to a legitimate send after the flood").isTrue();
    EmbeddedHarness.Peer bob = harness.peer(3);
    bob.logIn("bob");
    assertThat(EmbeddedHarness.Peer.pingedOk(bob.ping())).isTrue();

    long growth = usedHeapAfterGc() - heapBefore;
    System.out.printf("resource bounds: %d spoofed addresses, heap growth after GC %d KiB, %s%n",
        ADDRESSES, growth >> 10, harness.stats());
    assertThat(growth).as("heap growth in bytes after %d addresses", ADDRESSES)
        .isLessThan(MAX_HEAP_GROWTH_BYTES);
  }

  @Test
  void duringASustainedLoginFloodSessionsKeepWorkingAndEveryLoginIsAnswered() throws Exception {
    harness = new EmbeddedHarness(TIGHT, "alice", "bob");
    EmbeddedHarness.Peer bob = harness.peer(3);
    bob.logIn("bob");
    EmbeddedHarness.Peer alice = harness.peer(2);

    ByteBuffer frame = ByteBuffer.allocate(1200);
    boolean aliceGotIn = false;
    for (int round = 0; round < 100; round++) {
      for (int j = 0; j < 500; j++) {
        int i = round * 500 + j;
        frame.clear();
        CODEC.encode(new Frame.Login(i, j % 2 == 0 ? "alice" : "user" + i, "guess number " + i), frame);
        harness.inject(frame.flip(), spoofed(i));
      }
      // The burst and the session's send reach the server together: the send goes through,
      // since logins have a budget of their own.
      EmbeddedHarness.Answer answer = bob.sendMessage("alice", "during the flood " + round);
      assertThat(answer.isOk()).as("bob's send in round %d (error %d)", round, answer.errorCode()).isTrue();
      // A login is always answered: in, or busy with a retry-after, or limited; never silence.
      if (!aliceGotIn) {
        int code = alice.tryLogIn("alice");
        aliceGotIn = code == 0;
        assertThat(code).as("alice's login in round %d", round)
            .isIn(0, ErrorCode.SERVER_BUSY.code(), ErrorCode.RATE_LIMITED.code());
      }
      checkBounds();
    }
    if (!aliceGotIn) {
      alice.logIn("alice"); // once the flood has passed
    }
    assertThat(EmbeddedHarness.Peer.pingedOk(alice.ping())).isTrue();
  }

  private void checkBounds() {
    ServerStats stats = harness.stats();
    assertThat(stats.sessions()).isLessThanOrEqualTo(TIGHT.maxSessions());
    assertThat(stats.cachedAnswers()).isLessThanOrEqualTo(TIGHT.answerCacheEntries());
    assertThat(stats.cachedAnswerBytes()).isLessThanOrEqualTo(TIGHT.answerCacheBytes());
    assertThat(stats.rateLimitEntries()).isLessThanOrEqualTo(TIGHT.maxRateLimitEntries());
    assertThat(stats.pendingOperations()).isLessThanOrEqualTo(TIGHT.maxPendingOperations());
    assertThat(stats.pendingPushes()).isLessThanOrEqualTo(TIGHT.maxPendingPushes());
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
