package org.p2pchat.protocol.server.internal;

import java.util.HashMap;
import java.util.Map;
import org.p2pchat.api.UserName;

/**
 * The relay's bandwidth bounds (docs/protocol.md section 25): a token bucket per user and one
 * for everyone, each refilled at its rate and holding at most one second of it. A packet
 * passes only when both buckets hold its bytes. Buckets of users not heard from in a minute
 * are forgotten, so the map stays as small as the set of users relaying now. Owned by the
 * event loop; not thread-safe.
 */
final class RelayBudget {
  private static final long FORGET_AFTER_MILLIS = 60_000;

  private final long perUserRate;
  private final long totalRate;
  private final Bucket total;
  private final Map<UserName, Bucket> perUser = new HashMap<>();
  private long lastSweepMillis;

  /** One token bucket; tokens are bytes. */
  private static final class Bucket {
    double tokens;
    long lastMillis;

    Bucket(long rate, long nowMillis) {
      this.tokens = rate;
      this.lastMillis = nowMillis;
    }

    void refill(long rate, long nowMillis) {
      tokens = Math.min(rate, tokens + rate * (nowMillis - lastMillis) / 1000.0);
      lastMillis = nowMillis;
    }
  }

  RelayBudget(long perUserBytesPerSecond, long totalBytesPerSecond, long nowMillis) {
    this.perUserRate = perUserBytesPerSecond;
    this.totalRate = totalBytesPerSecond;
    this.total = new Bucket(totalBytesPerSecond, nowMillis);
    this.lastSweepMillis = nowMillis;
  }

  /** Takes {@code bytes} from {@code user}'s bucket and the total; false (taking nothing) when either lacks them. */
  boolean take(UserName user, int bytes, long nowMillis) {
    if (nowMillis - lastSweepMillis >= FORGET_AFTER_MILLIS) {
      perUser.values().removeIf(b -> nowMillis - b.lastMillis >= FORGET_AFTER_MILLIS);
      lastSweepMillis = nowMillis;
    }
    Bucket mine = perUser.get(user);
    if (mine == null) {
      mine = new Bucket(perUserRate, nowMillis); // once per user relaying: nothing per packet
      perUser.put(user, mine);
    }
    mine.refill(perUserRate, nowMillis);
    total.refill(totalRate, nowMillis);
    if (mine.tokens < bytes || total.tokens < bytes) {
      return false;
    }
    mine.tokens -= bytes;
    total.tokens -= bytes;
    return true;
  }

  int users() {
    return perUser.size();
  }
}
