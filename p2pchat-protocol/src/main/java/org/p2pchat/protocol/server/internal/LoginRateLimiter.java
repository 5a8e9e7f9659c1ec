package org.p2pchat.protocol.server.internal;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import org.p2pchat.api.UserName;

/**
 * Fixed-window counters, bounded in entries: failed logins per account and per source address
 * (password guessing), and registrations per source address (each costs a hash and a row).
 * A successful login costs nothing, so a script that logs in for every command is never shut
 * out. Owned by the event loop.
 */
final class LoginRateLimiter {
  private static final class Window {
    long startMillis;
    int count;
  }

  /** Registrations are counted apart from failed logins of the same address. */
  private record Registrations(InetAddress address) {}

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
   * Whether a login from {@code address} for {@code account} may be tried now.
   *
   * @return 0 when allowed, else the milliseconds until it may be
   */
  long checkLogin(InetAddress address, UserName account, long nowMillis) {
    return Math.max(waitFor(account, perAccount, nowMillis), waitFor(address, perAddress, nowMillis));
  }

  /** Failed logins in the current windows of an account and of an address. */
  record Failures(int account, int address) {}

  /** Counts a failed login against the account and the address; returns both counts now. */
  Failures recordFailure(InetAddress address, UserName account, long nowMillis) {
    return new Failures(++window(account, nowMillis).count, ++window(address, nowMillis).count);
  }

  /** Failed logins allowed per account per window. */
  int perAccount() {
    return perAccount;
  }

  /** Failed logins allowed per address per window. */
  int perAddress() {
    return perAddress;
  }

  /** The window, ms. */
  long windowMillis() {
    return windowMillis;
  }

  /**
   * Counts a registration from {@code address}.
   *
   * @return 0 when allowed, else the milliseconds until one may be
   */
  long tryAcquireRegistration(InetAddress address, long nowMillis) {
    Registrations key = new Registrations(address);
    long wait = waitFor(key, perAddress, nowMillis);
    if (wait == 0) {
      window(key, nowMillis).count++;
    }
    return wait;
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
