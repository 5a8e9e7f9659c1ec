package org.p2pchat.protocol.peer.internal;

/**
 * Round-trip time and retransmission timeout after RFC 6298: SRTT and RTTVAR with gains 1/8
 * and 1/4, RTO = SRTT + max(G, 4 RTTVAR), doubled on each timeout until the next sample.
 * The caller follows Karn: it samples only chunks sent once. Milliseconds throughout.
 *
 * <p>The floor is 200 ms, not RFC 6298's 1 s: a peer link is one hop of a chat app, where a
 * lost last chunk should not cost a second, and spurious timeouts only cost a chunk. Not
 * thread safe; used on the event loop.
 */
final class RtoEstimator {
  /** RTO before the first sample (RFC 6298 2.1). */
  static final long INITIAL_RTO_MILLIS = 1000;
  /** The least RTO. */
  static final long MIN_RTO_MILLIS = 200;
  /** The greatest RTO, backoff included (RFC 6298 2.5 allows 60 s). */
  static final long MAX_RTO_MILLIS = 60_000;
  /** Clock granularity G. */
  private static final double GRANULARITY_MILLIS = 1;

  private double srtt = -1;
  private double rttvar;
  private long rto = INITIAL_RTO_MILLIS;
  private int backoff;

  /** Takes one RTT measurement, in ms, and ends any backoff. */
  void sample(long rttMillis) {
    double r = Math.max(0, rttMillis);
    if (srtt < 0) {
      srtt = r;
      rttvar = r / 2;
    } else {
      rttvar = 0.75 * rttvar + 0.25 * Math.abs(srtt - r);
      srtt = 0.875 * srtt + 0.125 * r;
    }
    backoff = 0;
    rto = clamp((long) Math.ceil(srtt + Math.max(GRANULARITY_MILLIS, 4 * rttvar)));
  }

  /** A timeout fired: double the RTO (RFC 6298 5.5). */
  void backOff() {
    if (backoff < 16) {
      backoff++;
    }
  }

  /** Forgets everything: the path changed. */
  void reset() {
    srtt = -1;
    rttvar = 0;
    rto = INITIAL_RTO_MILLIS;
    backoff = 0;
  }

  /** The current RTO, backoff included, in ms. */
  long rtoMillis() {
    return clamp(rto << backoff);
  }

  /** The smoothed RTT in ms, or -1 before the first sample. */
  double srttMillis() {
    return srtt;
  }

  private static long clamp(long millis) {
    return Math.max(MIN_RTO_MILLIS, Math.min(MAX_RTO_MILLIS, millis));
  }
}
