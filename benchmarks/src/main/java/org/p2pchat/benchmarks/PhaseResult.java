package org.p2pchat.benchmarks;

import org.HdrHistogram.Histogram;

/**
 * What one load-test phase measured: completions per second over the measurement window, their
 * latencies in nanoseconds, the requests that failed, and the CPU time the whole process spent
 * per completion (us; the load generator's included, since it runs in the same process). Immutable once made.
 */
record PhaseResult(double perSecond, Histogram latency, long failures, double cpuMicrosPerOp) {
  /** A phase that was left out: no rate, an empty histogram. */
  static final PhaseResult SKIPPED = new PhaseResult(Double.NaN, new Histogram(3), 0, Double.NaN);
}
