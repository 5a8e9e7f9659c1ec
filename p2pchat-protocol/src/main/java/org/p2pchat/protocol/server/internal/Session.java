package org.p2pchat.protocol.server.internal;

import java.net.InetSocketAddress;
import org.p2pchat.api.UserName;

/** One logged-in device. Owned by the event loop; not thread-safe. */
final class Session {
  /** The session token, the first and the last 8 of its 16 bytes. */
  final long tokenHi;
  final long tokenLo;
  final UserName user;
  final long createdMillis;
  /** The latest source address: follows NAT rebinding, since pushes must go where the device is. */
  InetSocketAddress address;
  long lastHeardMillis;
  /** Set when the session ends, so that work still referring to it (pushes) stops. */
  boolean closed;
  /** The device the session was opened with (LOGIN_DEVICE or RESUME); 0 for a plain LOGIN. */
  long deviceId;
  /**
   * Whether the client said (FEATURES) that it understands PUSH_STATES: its sender's states are
   * then pushed many to a datagram.
   */
  boolean batchedAcks;
  /** The introductions this session asked for in the current window (PEER_CONNECT, link id 0). */
  int introductions;
  long introductionWindowStartMillis;

  Session(long tokenHi, long tokenLo, UserName user, InetSocketAddress address, long nowMillis) {
    this.tokenHi = tokenHi;
    this.tokenLo = tokenLo;
    this.user = user;
    this.address = address;
    this.createdMillis = nowMillis;
    this.lastHeardMillis = nowMillis;
  }

  void heardFrom(InetSocketAddress from, long nowMillis) {
    address = from;
    lastHeardMillis = nowMillis;
  }

  /**
   * Records a request from the device, like {@link #heardFrom}.
   *
   * @return whether the device comes back after a silence longer than {@code onlineWindowMillis},
   *     during which no push could reach it
   */
  boolean heardFromAfter(InetSocketAddress from, long nowMillis, long onlineWindowMillis) {
    boolean wasAway = nowMillis - lastHeardMillis > onlineWindowMillis;
    heardFrom(from, nowMillis);
    return wasAway;
  }
}
