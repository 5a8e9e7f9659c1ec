package org.p2pchat.protocol.peer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.ChatException;

class OfferTest {
  @TempDir Path tmp;

  private static void assertEmpty(Path dir) throws IOException {
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void aRefusedOfferFailsTheSenderAndWritesNothing() throws IOException {
    EnginePair p = new EnginePair(tmp, 30);
    p.b.refuseAll = true;
    p.send(EnginePair.randomFile(tmp, "no.bin", 10_000, 30));
    assertThat(p.net.runUntil(p::bothEnded, 60_000)).isTrue();
    assertThat(p.a.failed).extracting(Recorder.Failed::reason).containsExactly(TransferError.REFUSED);
    assertThat(p.b.failed).extracting(Recorder.Failed::reason).containsExactly(TransferError.REFUSED);
    assertThat(p.ab.chunkBytesSent).isZero();
    assertEmpty(p.inbox);
  }

  @Test
  void aDecisionMayComeMuchLater() throws IOException {
    EnginePair p = new EnginePair(tmp, 31);
    p.b.acceptInto = null;
    Path file = EnginePair.randomFile(tmp, "later.bin", 100_000, 31);
    p.send(file);
    p.net.runUntil(() -> false, 30_000); // the user reads the prompt for 30 s
    assertThat(p.b.offers).hasSize(1);
    assertThat(p.a.ended()).isFalse();
    p.engineB.accept(p.b.offers.get(0), p.inbox, p.net.nowMillis());
    assertThat(p.net.runUntil(p::bothEnded, 60_000)).isTrue();
    assertThat(p.b.completed).hasSize(1);
    assertThat(Files.mismatch(p.b.completed.get(0).path(), file)).isEqualTo(-1);
  }

  @Test
  void anUnansweredOfferEndsOnBothSides() throws IOException {
    EnginePair p = new EnginePair(tmp, 32);
    p.b.acceptInto = null;
    p.send(EnginePair.randomFile(tmp, "ignored.bin", 1000, 32));
    assertThat(p.net.runUntil(p::bothEnded, 400_000)).isTrue();
    assertThat(p.a.failed).extracting(Recorder.Failed::reason).containsExactly(TransferError.NOT_ANSWERED);
    assertThat(p.b.failed).extracting(Recorder.Failed::reason).containsExactly(TransferError.NOT_ANSWERED);
    assertThat(p.engineB.activeIds()).isEmpty();
  }

  @Test
  void anOfferAboveTheSizeCapIsRefusedWithoutAsking() throws IOException {
    EnginePair p = new EnginePair(tmp, 33, TransferLimits.defaults(),
        TransferLimits.defaults().withMaxFileBytes(50_000), RenoWindow::new);
    p.send(EnginePair.randomFile(tmp, "big.bin", 50_001, 33));
    assertThat(p.net.runUntil(p.a::ended, 60_000)).isTrue();
    assertThat(p.a.failed).extracting(Recorder.Failed::reason).containsExactly(TransferError.TOO_LARGE);
    assertThat(p.b.offers).isEmpty();
    assertEmpty(p.inbox);
  }

  @Test
  void offersBeyondTheConcurrencyLimitAreRefused() throws IOException {
    TransferLimits two = new TransferLimits(2, 1L << 30, 256, 10_000, 300_000);
    EnginePair p = new EnginePair(tmp, 34, TransferLimits.defaults(), two, RenoWindow::new);
    p.b.acceptInto = null; // keep them pending
    for (int i = 0; i < 4; i++) {
      p.send(EnginePair.randomFile(tmp, "f" + i, 1000, i));
    }
    assertThat(p.net.runUntil(() -> p.a.failed.size() == 2, 60_000)).isTrue();
    assertThat(p.a.failed).extracting(Recorder.Failed::reason).containsOnly(TransferError.TOO_MANY);
    assertThat(p.b.offers).hasSize(2);
    assertThat(p.engineB.activeIds()).hasSize(2);
    // and the sender keeps to its own limit
    assertThatThrownBy(() -> {
      p.send(EnginePair.randomFile(tmp, "g0", 10, 0));
      p.send(EnginePair.randomFile(tmp, "g1", 10, 0));
      p.send(EnginePair.randomFile(tmp, "g2", 10, 0));
    }).isInstanceOf(ChatException.class).hasMessageContaining("at most 4");
  }

  @Test
  void theSenderCancelsAndTheReceiverDeletesThePartFile() throws IOException {
    EnginePair p = new EnginePair(tmp, 35);
    long id = p.send(EnginePair.randomFile(tmp, "c.bin", 4 << 20, 35));
    assertThat(p.net.runUntil(() -> p.b.progress.size() > 3, 60_000)).isTrue();
    p.engineA.cancel(id, p.net.nowMillis());
    assertThat(p.net.runUntil(p::bothEnded, 60_000)).isTrue();
    assertThat(p.b.failed).extracting(Recorder.Failed::reason).containsExactly(TransferError.CANCELLED);
    assertThat(p.a.failed).extracting(Recorder.Failed::reason).containsExactly(TransferError.CANCELLED);
    p.net.runUntil(() -> false, 5_000);
    assertEmpty(p.inbox);
  }

  @Test
  void theReceiverCancelsAndTheSenderStops() throws IOException {
    EnginePair p = new EnginePair(tmp, 36);
    long id = p.send(EnginePair.randomFile(tmp, "r.bin", 4 << 20, 36));
    assertThat(p.net.runUntil(() -> p.b.progress.size() > 3, 60_000)).isTrue();
    p.engineB.refuse(id, p.net.nowMillis());
    assertThat(p.net.runUntil(p::bothEnded, 60_000)).isTrue();
    assertThat(p.a.failed).extracting(Recorder.Failed::reason).containsExactly(TransferError.CANCELLED);
    p.net.runUntil(() -> false, 5_000);
    assertEmpty(p.inbox);
    assertThat(p.engineA.activeIds()).isEmpty();
  }

  @Test
  void progressIsReportedAtMostEveryPercentOrHundredMilliseconds() throws IOException {
    EnginePair p = new EnginePair(tmp, 37);
    p.send(EnginePair.randomFile(tmp, "p.bin", 8 << 20, 37));
    assertThat(p.net.runUntil(p::bothEnded, 60_000)).isTrue();
    // ~1.7 s of transfer: at most 100 (1% steps) + 17 (100 ms steps) + first and last
    assertThat(p.b.progress).hasSizeBetween(10, 130);
    assertThat(p.b.progress.get(p.b.progress.size() - 1)[1]).isEqualTo(8 << 20);
    for (int i = 1; i < p.b.progress.size(); i++) {
      long[] prev = p.b.progress.get(i - 1);
      long[] cur = p.b.progress.get(i);
      assertThat(cur[1]).isGreaterThan(prev[1]);
      boolean percent = (cur[1] - prev[1]) * 100 >= cur[2];
      boolean interval = cur[3] - prev[3] >= ProgressThrottle.INTERVAL_MILLIS;
      assertThat(percent || interval || cur[1] == cur[2]).isTrue();
    }
  }
}
