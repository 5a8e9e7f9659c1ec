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
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

  private final Recorder latencies = new Recorder(3);
  private final LongAdder completed = new LongAdder();
  private final LongAdder failed = new LongAdder();

  /**
   * CPU time of this whole process (server, clients, store, JIT, GC), ns: per completion, the
   * figure that other tenants of a shared machine disturb least.
   */
  static long processCpuNanos() {
    return OS.getProcessCpuTime();
  }

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
    long cpuBefore = processCpuNanos();
    long start = System.nanoTime();
    Thread.sleep(window.toMillis());
    Histogram histogram = latencies.getIntervalHistogram();
    long done = completed.sum() - completedBefore;
    long elapsed = System.nanoTime() - start;
    long cpu = processCpuNanos() - cpuBefore;
    return new PhaseResult(done * 1e9 / elapsed, histogram, failed.sum() - failedBefore,
        done == 0 ? Double.NaN : cpu / 1e3 / done);
  }
}
