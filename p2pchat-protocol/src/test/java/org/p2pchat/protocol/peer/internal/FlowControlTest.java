package org.p2pchat.protocol.peer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlowControlTest {
  @TempDir Path tmp;

  private static final int MB = 1 << 20;

  /** A window that never backs off: what flow control is compared against. */
  static final class FixedWindow implements CongestionControl {
    private final int chunks;

    FixedWindow(int chunks) {
      this.chunks = chunks;
    }

    @Override
    public int window() {
      return chunks;
    }

    @Override
    public void onAck(int n) {}

    @Override
    public void onLoss() {}

    @Override
    public void onTimeout() {}

    @Override
    public void reset() {}
  }

  private record Run(SimNetwork.Link ab, List<Integer> windows, long millis, long retransmitted) {}

  private Run transfer(Path dir, long seed, int bytes, long queueBytes,
      java.util.function.IntFunction<CongestionControl> cc) throws IOException {
    EnginePair p = new EnginePair(dir, seed, TransferLimits.defaults(), TransferLimits.defaults(), cc);
    p.ab.queueBytes = queueBytes;
    Path file = EnginePair.randomFile(dir, "f.bin", bytes, seed);
    long id = p.send(file);
    List<Integer> windows = new ArrayList<>();
    long[] retransmitted = {0};
    assertThat(p.net.runUntil(() -> {
      FileSender s = p.engineA.sender(id);
      if (s != null) {
        windows.add(s.window());
        retransmitted[0] = s.chunksRetransmitted();
      }
      return p.bothEnded();
    }, 600_000)).isTrue();
    assertThat(p.b.completed).hasSize(1);
    assertThat(Files.mismatch(p.b.completed.get(0).path(), file)).isEqualTo(-1);
    return new Run(p.ab, windows, p.net.nowMillis(), retransmitted[0]);
  }

  @Test
  void windowGrowsOnACleanPipe() throws IOException {
    Run run = transfer(tmp, 10, 4 * MB, 16 * MB, RenoWindow::new);
    assertThat(run.ab.queueDrops).isZero();
    assertThat(run.retransmitted).isZero();
    assertThat(run.windows.get(0)).isEqualTo(RenoWindow.INITIAL_CHUNKS);
    // the bandwidth-delay product is ~100 chunks; with an unbounded queue it opens to the cap
    assertThat(run.windows.stream().mapToInt(i -> i).max().orElseThrow()).isEqualTo(256);
  }

  @Test
  void windowBacksOffWhenTheQueueOverflows() throws IOException {
    Run run = transfer(tmp, 11, 4 * MB, 64 * 1024, RenoWindow::new);
    assertThat(run.ab.queueDrops).isPositive();
    boolean fell = false;
    for (int i = 1; i < run.windows.size(); i++) {
      fell |= run.windows.get(i) < run.windows.get(i - 1) / 1.5;
    }
    assertThat(fell).as("the window halved at least once").isTrue();
    double dropRatio = (double) run.ab.queueDrops / run.ab.sent;
    assertThat(dropRatio).isLessThan(0.05);
    // still uses the link: 4 MiB at 5 MB/s is 0.84 s at best
    assertThat(run.millis).isLessThan(1_500);
  }

  @Test
  void aWindowThatNeverBacksOffLosesMuchMore() throws IOException {
    Run reno = transfer(tmp.resolve("reno"), 12, 2 * MB, 64 * 1024, RenoWindow::new);
    Run fixed = transfer(tmp.resolve("fixed"), 12, 2 * MB, 64 * 1024, n -> new FixedWindow(256));
    double renoRatio = (double) reno.ab.queueDrops / reno.ab.sent;
    double fixedRatio = (double) fixed.ab.queueDrops / fixed.ab.sent;
    assertThat(fixedRatio).isGreaterThan(4 * renoRatio);
    assertThat(fixed.retransmitted).isGreaterThan(4 * reno.retransmitted);
  }

  @Test
  void lossOnTheLinkKeepsRetransmissionsBounded() throws IOException {
    EnginePair p = new EnginePair(tmp, 13);
    p.ab.lossy(0.10, 0.0, 0);
    Path file = EnginePair.randomFile(tmp, "f.bin", 2 * MB, 13);
    long id = p.send(file);
    long[] retransmitted = {0};
    assertThat(p.net.runUntil(() -> {
      FileSender s = p.engineA.sender(id);
      if (s != null) {
        retransmitted[0] = s.chunksRetransmitted();
      }
      return p.bothEnded();
    }, 600_000)).isTrue();
    long chunks = 2 * MB / FilePayload.CHUNK_BYTES;
    // 10% of sends are lost, so ~11% of chunks need a resend; spurious ones stay few
    assertThat(retransmitted[0]).isLessThan(chunks / 5);
    assertThat(p.b.completed).hasSize(1);
  }
}
