package org.p2pchat.benchmarks;

import org.HdrHistogram.Histogram;

/**
 * What one load-test phase measured: completions per second over the measurement window, their
 * latencies in nanoseconds, and the requests that failed. Immutable once made.
 */
record PhaseResult(double perSecond, Histogram latency, long failures) {}
