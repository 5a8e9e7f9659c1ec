package org.p2pchat.protocol.client.internal;

/**
 * The retransmission timeout from measured round trips, as RFC 6298 computes it: a smoothed
 * round-trip time and its variation, clamped to a floor and a ceiling. Only first transmissions
 * are sampled (Karn's rule), since an answer to a retransmitted request is ambiguous.
 * Not thread-safe.
 */
final class RttEstimator {
  private static final double ALPHA = 1.0 / 8;
  private static final double BETA = 1.0 / 4;

  private final long minMillis;
  private final long maxMillis;
  private double srtt = -1;
  private double rttvar;
  private long rtoMillis;

  RttEstimator(long initialMillis, long minMillis, long maxMillis) {
    this.minMillis = minMillis;
    this.maxMillis = maxMillis;
    this.rtoMillis = clamp(initialMillis);
  }

  /** Takes one round-trip sample, in milliseconds. */
  void sample(long rttMillis) {
    double r = Math.max(0, rttMillis);
    if (srtt < 0) {
      srtt = r;
      rttvar = r / 2;
    } else {
      rttvar = (1 - BETA) * rttvar + BETA * Math.abs(srtt - r);
      srtt = (1 - ALPHA) * srtt + ALPHA * r;
    }
    rtoMillis = clamp((long) Math.ceil(srtt + Math.max(1, 4 * rttvar)));
  }

  /** The timeout of the first transmission. */
  long rtoMillis() {
    return rtoMillis;
  }

  /** The timeout after {@code attempt} sends (1-based): doubled per attempt, capped. */
  long backoffMillis(int attempt) {
    long t = rtoMillis << Math.min(attempt - 1, 20);
    return clamp(t);
  }

  private long clamp(long millis) {
    return Math.max(minMillis, Math.min(maxMillis, millis));
  }
}
