package org.p2pchat.protocol.server;

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
import org.p2pchat.protocol.codec.Frame;
import org.p2pchat.protocol.codec.FrameCodec;
import org.p2pchat.testing.ServerStats;

/** Datagrams from strangers and floods: no state change, no amplification, bounded memory. */
class HostileInputTest {
  private static final FrameCodec CODEC = new FrameCodec();
  private EmbeddedHarness harness;

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void randomAndMalformedDatagramsFromAStrangerChangeNothingAndNeverAmplify() {
    harness = new EmbeddedHarness(ServerConfig.builder().argon2MemoryKib(64).argon2Iterations(1).build());
    EmbeddedHarness.Peer stranger = harness.peer(9);
    Random random = new Random(42);
    List<EmbeddedHarness.Answer> answers = new java.util.ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      byte[] junk = new byte[random.nextInt(1300)];
      random.nextBytes(junk);
      if (i % 2 == 0 && junk.length >= 13) {
        // Make half of them look like ours, so they reach the frame decoders.
        junk[0] = 0x50;
        junk[1] = 0x32;
        junk[2] = 1;
        junk[3] = (byte) (1 + random.nextInt(8));
        junk[4] = 0;
      }
      stranger.offer(ByteBuffer.wrap(junk));
      if (i % 1000 == 999) {
        harness.run();
        answers.addAll(stranger.drain());
      }
    }

    assertThat(answers).isNotEmpty();
    for (EmbeddedHarness.Answer a : answers) {
      assertThat(a.isError()).isTrue();
      assertThat(a.bytes().length).isLessThanOrEqualTo(21);
    }
    ServerStats stats = harness.stats();
    assertThat(stats.sessions()).isZero();
    assertThat(stats.pendingOperations()).isZero();
    assertThat(stats.pendingPushes()).isZero();
  }

  @Test
  void everyAnswerToAStrangerIsNoLargerThanItsRequest() {
    harness = new EmbeddedHarness(ServerConfig.builder().argon2MemoryKib(64).argon2Iterations(1).build());
    EmbeddedHarness.Peer stranger = harness.peer(9);
    ByteBuffer frame = ByteBuffer.allocate(1200);
    Random random = new Random(7);
    int answered = 0;
    for (int length = 0; length <= 64; length++) {
      // A valid session frame from a stranger, cut at every length: answers only where not larger.
      frame.clear();
      CODEC.encode(new Frame.Send(length, random.nextLong(), random.nextLong(), "bob", "x".repeat(40)), frame);
      frame.flip().limit(Math.min(frame.limit(), length));
      for (EmbeddedHarness.Answer a : stranger.exchange(frame)) {
        assertThat(a.bytes().length).isLessThanOrEqualTo(length);
        answered++;
      }
    }
    assertThat(answered).as("answers to the cut frames that could be answered").isPositive();
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
    harness = new EmbeddedHarness(tight, "alice");
    EmbeddedHarness.Peer watcher = harness.peer(9);
    ByteBuffer frame = ByteBuffer.allocate(1200);
    for (int i = 0; i < 20_000; i++) {
      frame.clear();
      CODEC.encode(new Frame.Login(i, "user" + (i % 5000), "guess " + i), frame);
      frame.flip();
      InetSocketAddress spoofed = new InetSocketAddress(
          InetAddress.getByAddress(new byte[] {127, (byte) (100 + (i >> 16)), (byte) (i >> 8), (byte) i}), 40000);
      if (i % 100 == 0) {
        watcher.offer(frame);
      } else {
        harness.inject(frame, spoofed);
      }
    }
    harness.run();

    assertThat(watcher.drain()).extracting(EmbeddedHarness.Answer::errorCode)
        .contains(ErrorCode.SERVER_BUSY.code());
    ServerStats stats = harness.stats();
    assertThat(stats.cachedAnswers()).isLessThanOrEqualTo(512);
    assertThat(stats.rateLimitEntries()).isLessThanOrEqualTo(512);
    assertThat(stats.pendingOperations()).isLessThanOrEqualTo(64);

    // Once the flood has passed, a legitimate user gets in (from another address than the
    // watcher's, which the per-address limit has rightly shut out for a while).
    harness.peer(2).logIn("alice");
  }
}
