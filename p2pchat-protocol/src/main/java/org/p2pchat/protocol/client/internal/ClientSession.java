package org.p2pchat.protocol.client.internal;

import org.p2pchat.api.UserName;

/**
 * The client's session: its token, its user, and when the next keepalive is due. Loop-confined
 * but for {@link #user()}, which any thread may read.
 */
final class ClientSession {
  /** The shortest keepalive interval the client accepts from a server, in ms. */
  private static final long MIN_KEEPALIVE_MILLIS = 1000;

  private volatile UserName user;
  private boolean open;
  private long tokenHi;
  private long tokenLo;
  private long keepaliveMillis;
  private long nextPingMillis;
  /** Counts the sessions opened, so that late news of an old session leaves a new one alone. */
  private long generation;
  /** Whether the server took FEATURES(batched acknowledgements) for this session. */
  private boolean batchedAcks;

  ClientSession(long defaultKeepaliveMillis) {
    this.keepaliveMillis = defaultKeepaliveMillis;
  }

  /** Starts a session that LOGIN returned. */
  void open(UserName name, long hi, long lo, long serverKeepaliveMillis, long nowMillis) {
    tokenHi = hi;
    tokenLo = lo;
    keepaliveMillis = Math.max(MIN_KEEPALIVE_MILLIS, serverKeepaliveMillis);
    nextPingMillis = nowMillis + keepaliveMillis;
    open = true;
    user = name;
    generation++;
    batchedAcks = false;
  }

  /** Ends the session: logged out, or lost. */
  void end() {
    open = false;
    user = null;
  }

  boolean isOpen() {
    return open;
  }

  /** The logged-in user, or null. Thread-safe. */
  UserName user() {
    return user;
  }

  long tokenHi() {
    return tokenHi;
  }

  long tokenLo() {
    return tokenLo;
  }

  /** Which session this is: changes with each {@link #open}. */
  long generation() {
    return generation;
  }

  /** Whether pushes may be acknowledged many at once (PUSH_ACKS) in this session. */
  boolean batchedAcks() {
    return open && batchedAcks;
  }

  /** The server took FEATURES(batched acknowledgements) for this session. */
  void batchedAcksAgreed() {
    batchedAcks = true;
  }

  /** The keepalive interval in force, ms. */
  long keepaliveMillis() {
    return keepaliveMillis;
  }

  /** Whether a keepalive is due now; if so, the next one is scheduled. */
  boolean pingDue(long nowMillis) {
    if (!open || nowMillis < nextPingMillis) {
      return false;
    }
    nextPingMillis = nowMillis + keepaliveMillis;
    return true;
  }
}
