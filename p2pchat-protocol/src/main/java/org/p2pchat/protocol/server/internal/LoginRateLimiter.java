package org.p2pchat.protocol.server.internal;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import org.p2pchat.api.UserName;

/**
 * Fixed-window counters of login attempts per source address (every attempt) and per account
 * (failures only), bounded in entries. Owned by the event loop.
 */
final class LoginRateLimiter {
  private static final class Window {
    long startMillis;
    int count;
  }

  private final Map<Object, Window> windows;
  private final int perAccount;
  private final int perAddress;
  private final long windowMillis;

  LoginRateLimiter(int perAccount, int perAddress, long windowMillis, int maxEntries) {
    this.perAccount = perAccount;
    this.perAddress = perAddress;
    this.windowMillis = windowMillis;
    this.windows = new LinkedHashMap<>(256, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<Object, Window> eldest) {
        return size() > maxEntries;
      }
    };
  }

  /**
   * Counts an attempt from {@code address} for {@code account}.
   *
   * @return 0 when allowed, else the milliseconds until a retry may be allowed
   */
  long tryAcquire(InetAddress address, UserName account, long nowMillis) {
    long accountWait = waitFor(account, perAccount, nowMillis);
    if (accountWait > 0) {
      return accountWait;
    }
    Window w = window(address, nowMillis);
    if (w.count >= perAddress) {
      return w.startMillis + windowMillis - nowMillis;
    }
    w.count++;
    return 0;
  }

  /**
   * Counts an attempt from {@code address} that concerns no account (a registration).
   *
   * @return 0 when allowed, else the milliseconds until a retry may be allowed
   */
  long tryAcquireAddress(InetAddress address, long nowMillis) {
    Window w = window(address, nowMillis);
    if (w.count >= perAddress) {
      return Math.max(1, w.startMillis + windowMillis - nowMillis);
    }
    w.count++;
    return 0;
  }

  /** Counts a failed login against the account. */
  void recordFailure(UserName account, long nowMillis) {
    window(account, nowMillis).count++;
  }

  private long waitFor(Object key, int limit, long nowMillis) {
    Window w = windows.get(key);
    if (w == null || nowMillis - w.startMillis >= windowMillis || w.count < limit) {
      return 0;
    }
    return Math.max(1, w.startMillis + windowMillis - nowMillis);
  }

  private Window window(Object key, long nowMillis) {
    Window w = windows.computeIfAbsent(key, k -> new Window());
    if (w.count == 0 || nowMillis - w.startMillis >= windowMillis) {
      w.startMillis = nowMillis;
      w.count = 0;
    }
    return w;
  }

  int size() {
    return windows.size();
  }
}
