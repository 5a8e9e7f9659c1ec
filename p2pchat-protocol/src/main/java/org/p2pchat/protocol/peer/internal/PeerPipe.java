package org.p2pchat.protocol.peer.internal;

import java.nio.ByteBuffer;

/**
 * An unreliable datagram path to one peer device, sealed end to end: direct, or through the
 * server's relay. A payload sent may be lost, duplicated or reordered, and the path may change
 * (direct to relayed) between two sends. Used on the client's event loop only.
 */
public interface PeerPipe {
  /** The most payload bytes one {@link #send} carries. */
  int MAX_PAYLOAD_BYTES = 1100;

  /**
   * Sends the bytes between {@code payload}'s position and limit as one datagram.
   *
   * @return false when it was dropped before leaving (no path now, or a full queue)
   */
  boolean send(ByteBuffer payload);
}
