package org.p2pchat.store.sqlite.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.p2pchat.api.UserName;

/**
 * The names each user blocks, remembered so that the check before every send can answer "not
 * blocked" on the caller's thread, without a hop to a reader thread (docs/benchmarks.md, issue
 * 17). It only ever answers "surely not blocked": a name in a remembered set is checked against
 * the database, which knows about deleted accounts and names taken again. A block is safe
 * because every block is written through this store, which forgets the blocker's set before the
 * block's future completes ({@link #changed}); a set read while a block was being written is
 * not kept ({@link #changes}). Bounded: small sets only, and a fixed number of users.
 *
 * <p>Thread-safe.
 */
final class BlockedNames {
  /** A user who blocks more than this many is not remembered: their sends take the reader path. */
  static final int MAX_NAMES_PER_USER = 64;

  private final ConcurrentHashMap<String, Set<String>> byOwner = new ConcurrentHashMap<>();
  private final AtomicLong changes = new AtomicLong();
  private final int maxOwners;

  BlockedNames(int maxOwners) {
    this.maxOwners = maxOwners;
  }

  /** Whether the remembered set says {@code owner} does not block {@code other}; false when unknown. */
  boolean surelyNotBlocked(UserName owner, UserName other) {
    Set<String> names = byOwner.get(key(owner));
    return names != null && !names.contains(key(other));
  }

  /** How many block lists changed so far: read before reading a set from the database. */
  long changes() {
    return changes.get();
  }

  /**
   * Remembers what the database said {@code owner} blocks, read after {@link #changes()} returned
   * {@code changesBefore}; kept only if no block list changed since.
   */
  void loaded(UserName owner, List<UserName> names, long changesBefore) {
    if (names.size() > MAX_NAMES_PER_USER || byOwner.size() >= maxOwners) {
      return;
    }
    Set<String> keys = new HashSet<>();
    for (UserName n : names) {
      keys.add(key(n));
    }
    Set<String> set = Set.copyOf(keys);
    byOwner.compute(key(owner), (k, old) -> changes.get() == changesBefore ? set : old);
  }

  /** {@code owner} blocked or unblocked someone: forget their set (called once that is committed). */
  void changed(UserName owner) {
    changes.incrementAndGet();
    byOwner.remove(key(owner));
  }

  private static String key(UserName name) {
    return name.value().toLowerCase(Locale.ROOT); // names compare without case, as the users table's
  }
}
