package org.p2pchat.benchmarks;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counts completions and records their latencies for one load-test phase, from any thread;
 * {@link #measure} discards what the warm-up recorded, then keeps one measurement window.
 * Thread-safe.
 */
final class Meter {
  private final Recorder latencies = new Recorder(3);
  private final LongAdder completed = new LongAdder();
  private final LongAdder failed = new LongAdder();

  /** One completion after {@code nanos}. */
  void completed(long nanos) {
    latencies.recordValue(Math.max(0, nanos));
    completed.increment();
  }

  /** One request that failed (timed out or refused). */
  void failed() {
    failed.increment();
  }

  /**
   * Waits out the warm-up, then measures for {@code window}: the caller's load runs on other
   * threads all along.
   */
  PhaseResult measure(Duration warmup, Duration window) throws InterruptedException {
    Thread.sleep(warmup.toMillis());
    latencies.getIntervalHistogram();
    long completedBefore = completed.sum();
    long failedBefore = failed.sum();
    long start = System.nanoTime();
    Thread.sleep(window.toMillis());
    Histogram histogram = latencies.getIntervalHistogram();
    long done = completed.sum() - completedBefore;
    long elapsed = System.nanoTime() - start;
    return new PhaseResult(done * 1e9 / elapsed, histogram, failed.sum() - failedBefore);
  }
}
