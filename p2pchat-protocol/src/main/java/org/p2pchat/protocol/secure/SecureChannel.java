package org.p2pchat.protocol.secure;

import org.p2pchat.api.ProtocolLimits;

/** The secure channel's sizes and timers, as {@code docs/protocol.md} section 16 states them. */
public final class SecureChannel {
  /**
   * Bytes a transport-data packet adds around a frame: type (1), receiver index (4), counter
   * (8), authentication tag (16).
   */
  public static final int OVERHEAD_BYTES = 1 + 4 + 8 + 16;

  /**
   * The largest datagram of the secure channel, in bytes: a 1200-byte frame plus
   * {@link #OVERHEAD_BYTES}. 1229 is below 1232 (the IPv6 minimum MTU of 1280 less the IPv6 and
   * UDP headers), so it crosses any path unfragmented. Transports under the channel must accept
   * datagrams this large.
   */
  public static final int MAX_PACKET_BYTES = ProtocolLimits.MAX_DATAGRAM_BYTES + OVERHEAD_BYTES;

  /** A client starts a new handshake when its channel is this old (WireGuard's REKEY_AFTER_TIME). */
  public static final long REKEY_AFTER_MILLIS = 120_000;

  /** A channel older than this is not used any more, either way (WireGuard's REJECT_AFTER_TIME). */
  public static final long REJECT_AFTER_MILLIS = 180_000;

  /** A client starts a new handshake after sending this many packets on one channel. */
  public static final long REKEY_AFTER_MESSAGES = 1L << 20;

  /** No packet is sent or accepted with a counter this high; long unreachable given the rekeys. */
  public static final long REJECT_AFTER_MESSAGES = (1L << 60);

  private SecureChannel() {}
}
