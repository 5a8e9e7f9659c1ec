package org.p2pchat.protocol.peer.internal;

/** Lets a progress event through when 1% more is done or 100 ms have passed since the last. */
final class ProgressThrottle {
  static final long INTERVAL_MILLIS = 100;

  private long lastBytes = -1;
  private long lastAt = Long.MIN_VALUE / 2;

  /** Whether to report {@code done} of {@code total} now; always for the first and the last. */
  boolean shouldReport(long done, long total, long nowMillis) {
    if (done == lastBytes) {
      return false;
    }
    boolean report = done == total || lastBytes < 0
        || (done - lastBytes) * 100 >= total
        || nowMillis - lastAt >= INTERVAL_MILLIS;
    if (report) {
      lastBytes = done;
      lastAt = nowMillis;
    }
    return report;
  }
}
