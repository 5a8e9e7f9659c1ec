package org.p2pchat.protocol.peer.internal;

/**
 * How many chunks a sender may have in flight. One per transfer; told of acknowledgements,
 * losses and timeouts by {@link FileSender}. Not thread safe.
 */
interface CongestionControl {
  /** Chunks that may be in flight now, at least 1. */
  int window();

  /** {@code chunks} newly acknowledged (cumulatively or by SACK). */
  void onAck(int chunks);

  /** A loss was detected by SACK; called once per window of data (one recovery episode). */
  void onLoss();

  /** The retransmission timer fired. */
  void onTimeout();

  /** The path changed: start over as on a new connection. */
  void reset();
}
