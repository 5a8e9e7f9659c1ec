package org.p2pchat.store.sqlite.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.p2pchat.api.UserName;

/**
 * Users' row ids by name, read through a {@link UserDao} and remembered: rows are never deleted
 * or renamed (a deleted account keeps its row, and its name, should it return after its
 * quarantine, reuses that row), so an id read from committed data stays right for good; a writer
 * forgets its ids when it deletes an account, which then receives nothing. Bounded, since user names
 * arrive from peers; names without a user are not remembered (the user may be created later).
 * Confined to one thread at a time, like the connection the DAO is attached to.
 */
final class UserIds {
  private static final int MAX_CACHED_USERS = 10_000;

  private final UserDao users;
  private final Map<String, Long> ids = new LinkedHashMap<>(256, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
      return size() > MAX_CACHED_USERS;
    }
  };

  UserIds(UserDao users) {
    this.users = users;
  }

  /** The user's row id, or -1 when there is no such user. */
  long of(UserName name) {
    Long cached = ids.get(name.value());
    if (cached != null) {
      return cached;
    }
    OptionalLong id = users.id(name.value());
    if (id.isEmpty()) {
      return -1;
    }
    ids.put(name.value(), id.getAsLong());
    return id.getAsLong();
  }

  /** Forgets every id; for a writer whose ids may come from work that was then rolled back. */
  void clear() {
    ids.clear();
  }
}
