package org.p2pchat.protocol.peer.internal;

/**
 * TCP Reno's window in chunks (RFC 5681): slow start (+1 chunk per chunk acknowledged) up to
 * ssthresh, then congestion avoidance (+1 chunk per window); a loss found by SACK halves the
 * window (fast recovery, once per window of data, which the sender enforces), a timeout
 * drops it to 1. Floor 1, cap {@code maxChunks}.
 *
 * <p>Why Reno and not CUBIC: a transfer's paths are a home uplink or the relay, with windows
 * of tens to a few hundred chunks, where CUBIC's gain over Reno is small, while Reno is a
 * dozen lines whose behaviour a test can state exactly; it is also fair to the TCP flows
 * sharing the uplink. The window starts at 4 chunks (RFC 3390's 4 KiB-ish initial window).
 */
final class RenoWindow implements CongestionControl {
  /** The first window, in chunks. */
  static final int INITIAL_CHUNKS = 4;

  private final int maxChunks;
  private double cwnd;
  private double ssthresh;

  /** A window of at most {@code maxChunks}, at least 1. */
  RenoWindow(int maxChunks) {
    if (maxChunks < 1) {
      throw new IllegalArgumentException("maxChunks must be at least 1, was " + maxChunks);
    }
    this.maxChunks = maxChunks;
    reset();
  }

  @Override
  public int window() {
    return (int) Math.max(1, Math.min(maxChunks, cwnd));
  }

  @Override
  public void onAck(int chunks) {
    for (int i = 0; i < chunks; i++) {
      cwnd += cwnd < ssthresh ? 1 : 1 / cwnd;
    }
    cwnd = Math.min(cwnd, maxChunks);
  }

  @Override
  public void onLoss() {
    ssthresh = Math.max(2, cwnd / 2);
    cwnd = ssthresh;
  }

  @Override
  public void onTimeout() {
    ssthresh = Math.max(2, cwnd / 2);
    cwnd = 1;
  }

  @Override
  public void reset() {
    cwnd = Math.min(INITIAL_CHUNKS, maxChunks);
    ssthresh = maxChunks;
  }
}
