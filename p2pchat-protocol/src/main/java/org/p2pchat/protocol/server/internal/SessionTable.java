package org.p2pchat.protocol.server.internal;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.p2pchat.api.UserName;

/**
 * The sessions of one server: by token, and by user for pushes. Bounded in total and per user.
 * Owned by the event loop; not thread-safe.
 */
final class SessionTable {
  /**
   * Told when a user's sessions here change, for presence (docs/protocol.md section 21). Called
   * on the loop, inside the change; must not touch the table.
   */
  interface Observer {
    /** {@code user}'s first session here came up (they had none). */
    void firstSessionUp(UserName user, long nowMillis);

    /**
     * One of {@code user}'s sessions here ended (logout, expiry, revocation, eviction).
     *
     * @param lastHeardMillis when the ended session was last heard from
     * @param wasLast whether the user has no session here any more
     */
    void sessionDown(UserName user, long lastHeardMillis, boolean wasLast);
  }

  private static final Observer NOBODY = new Observer() {
    @Override
    public void firstSessionUp(UserName user, long nowMillis) {}

    @Override
    public void sessionDown(UserName user, long lastHeardMillis, boolean wasLast) {}
  };

  private Observer observer = NOBODY;
  private final TokenMap<Session> byToken = new TokenMap<>();
  private final Map<UserName, List<Session>> byUser = new HashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final int maxSessions;
  private final int maxPerUser;
  private final long idleTimeoutMillis;

  SessionTable(int maxSessions, int maxPerUser, long idleTimeoutMillis) {
    this.maxSessions = maxSessions;
    this.maxPerUser = maxPerUser;
    this.idleTimeoutMillis = idleTimeoutMillis;
  }

  /** Tells {@code observer} of every later change of a user's sessions. */
  void observe(Observer observer) {
    this.observer = observer;
  }

  /** Whether {@code user} has any live session here (online or not). */
  boolean hasAny(UserName user) {
    return byUser.containsKey(user);
  }

  /** Whether a new session fits (after making room by expiry). */
  boolean isFull() {
    return byToken.size() >= maxSessions;
  }

  /** Opens a session with a fresh unguessable token, ending the user's oldest beyond the per-user bound. */
  Session open(UserName user, InetSocketAddress address, long nowMillis) {
    long hi;
    long lo;
    do {
      hi = random.nextLong();
      lo = random.nextLong();
    } while (byToken.containsKey(hi, lo));
    Session session = new Session(hi, lo, user, address, nowMillis);
    List<Session> mine = byUser.computeIfAbsent(user, u -> new ArrayList<>(2));
    boolean first = mine.isEmpty();
    if (mine.size() >= maxPerUser) {
      Session oldest = mine.remove(0);
      byToken.remove(oldest.tokenHi, oldest.tokenLo);
      oldest.closed = true;
      observer.sessionDown(user, oldest.lastHeardMillis, false);
    }
    mine.add(session);
    byToken.put(hi, lo, session);
    if (first) {
      observer.firstSessionUp(user, nowMillis);
    }
    return session;
  }

  /** The live session of a token, or null when unknown or idle too long (then it is ended). */
  Session find(long tokenHi, long tokenLo, long nowMillis) {
    Session s = byToken.get(tokenHi, tokenLo);
    if (s != null && nowMillis - s.lastHeardMillis > idleTimeoutMillis) {
      close(s);
      return null;
    }
    return s;
  }

  /** Ends a session. */
  void close(Session session) {
    if (byToken.remove(session.tokenHi, session.tokenLo) == null) {
      return;
    }
    session.closed = true;
    List<Session> mine = byUser.get(session.user);
    if (mine != null) {
      mine.remove(session);
      if (mine.isEmpty()) {
        byUser.remove(session.user);
      }
      observer.sessionDown(session.user, session.lastHeardMillis, mine.isEmpty());
    }
  }

  /** Ends the user's sessions opened with any of {@code deviceIds}, but {@code except}. */
  void closeDevices(UserName user, List<Long> deviceIds, Session except) {
    List<Session> mine = byUser.get(user);
    if (mine == null) {
      return;
    }
    for (Session s : List.copyOf(mine)) {
      if (s != except && s.deviceId != 0 && deviceIds.contains(s.deviceId)) {
        close(s);
      }
    }
  }

  /** Ends every session of the user, as a deleted account's (docs/protocol.md section 22). */
  void closeUser(UserName user) {
    closeUser(user, s -> true);
  }

  /**
   * Ends the user's sessions that {@code which} selects.
   *
   * @return how many ended
   */
  int closeUser(UserName user, java.util.function.Predicate<Session> which) {
    List<Session> mine = byUser.get(user);
    if (mine == null) {
      return 0;
    }
    int ended = 0;
    for (Session s : List.copyOf(mine)) {
      if (which.test(s)) {
        close(s);
        ended++;
      }
    }
    return ended;
  }

  /** The user's sessions heard from within {@code windowMillis}: the devices worth pushing to. */
  List<Session> online(UserName user, long nowMillis, long windowMillis) {
    List<Session> mine = byUser.get(user);
    if (mine == null) {
      return List.of();
    }
    List<Session> live = new ArrayList<>(mine.size());
    for (Session s : mine) {
      if (nowMillis - s.lastHeardMillis <= windowMillis) {
        live.add(s);
      }
    }
    return live;
  }

  /** Ends every session idle longer than the timeout. */
  void expire(long nowMillis) {
    for (Session s : byToken.values()) { // a copy: closing moves entries of the map
      if (nowMillis - s.lastHeardMillis > idleTimeoutMillis) {
        close(s);
      }
    }
  }

  /** Every session, a copy. */
  List<Session> all() {
    return new ArrayList<>(byToken.values());
  }

  int size() {
    return byToken.size();
  }

  /** Distinct users with at least one session. */
  int users() {
    return byUser.size();
  }
}
