package org.p2pchat.protocol.server.internal;

import java.net.InetSocketAddress;
import org.p2pchat.api.UserName;

/** One logged-in device. Owned by the event loop; not thread-safe. */
final class Session {
  final TokenKey token;
  final UserName user;
  final long createdMillis;
  /** The latest source address: follows NAT rebinding, since pushes must go where the device is. */
  InetSocketAddress address;
  long lastHeardMillis;
  /** Set when the session ends, so that work still referring to it (pushes) stops. */
  boolean closed;

  Session(TokenKey token, UserName user, InetSocketAddress address, long nowMillis) {
    this.token = token;
    this.user = user;
    this.address = address;
    this.createdMillis = nowMillis;
    this.lastHeardMillis = nowMillis;
  }

  void heardFrom(InetSocketAddress from, long nowMillis) {
    address = from;
    lastHeardMillis = nowMillis;
  }
}
