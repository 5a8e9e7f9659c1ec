package org.p2pchat.testing;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.HistoryPage;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.AccountStore;
import org.p2pchat.api.store.AdminOperation;
import org.p2pchat.api.store.AdminStore;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.api.store.DeviceStore;
import org.p2pchat.api.store.NewMessage;
import org.p2pchat.api.store.StoreStats;
import org.p2pchat.api.store.StoredDevice;
import org.p2pchat.api.store.StoredUser;
import org.p2pchat.api.store.UserAccount;

/**
 * A {@link ChatStore} in memory, for tests and benchmarks: nothing survives the process.
 * Futures complete on the calling thread. Thread-safe (one lock).
 */
public final class InMemoryChatStore implements ChatStore {
  private final Map<UserName, StoredUser> users = new HashMap<>();
  private final NavigableMap<Long, ChatMessage> messages = new TreeMap<>();
  /** Deleted accounts' names: reserved, as a durable store keeps them. */
  private final Set<UserName> deleted = new HashSet<>();
  /** When their users deleted the names of {@link #deleted} that return after a quarantine. */
  private final Map<UserName, Instant> selfDeleted = new HashMap<>();
  private final Map<UserName, Instant> lastLogins = new HashMap<>();
  private final AdminStore admin = new Admin();
  private final AccountStore accounts = new Accounts();
  /** The newest admin operations, at most AdminStore.MAX_KEPT_OPERATIONS. */
  private final NavigableMap<Long, AdminOperation> operations = new TreeMap<>();
  private long lastOperationId;
  private long lastId;
  private final Devices devices = new Devices();
  private boolean closed;
  private final InMemoryRooms rooms = new InMemoryRooms(this);
  private final InMemoryContacts contacts = new InMemoryContacts(this);

  /** An empty store. */
  public InMemoryChatStore() {}

  @Override
  public CompletableFuture<Void> createUser(StoredUser user) {
    return run(() -> {
      // Times are kept to the millisecond, as a durable store keeps them.
      StoredUser kept = StoredUser.of(user.name(), user.passwordHash(), user.createdAt().truncatedTo(ChronoUnit.MILLIS));
      if (deleted.contains(user.name()) || users.putIfAbsent(user.name(), kept) != null) {
        throw new ChatException(ErrorCode.NAME_TAKEN);
      }
      return null;
    });
  }

  @Override
  public CompletableFuture<Optional<StoredUser>> findUser(UserName name) {
    return run(() -> Optional.ofNullable(users.get(name)));
  }

  @Override
  public CompletableFuture<Boolean> updatePasswordHash(UserName name, String passwordHash) {
    return run(() -> {
      StoredUser old = users.get(name);
      if (old == null) {
        return false;
      }
      users.put(name, StoredUser.of(name, passwordHash, old.createdAt()).asDisabled(old.disabled()));
      return true;
    });
  }

  @Override
  public CompletableFuture<List<ChatMessage>> append(List<NewMessage> batch) {
    return run(() -> {
      for (NewMessage m : batch) {
        if (!users.containsKey(m.sender()) || !users.containsKey(m.recipient())) {
          throw new ChatException(ErrorCode.UNKNOWN_RECIPIENT);
        }
      }
      List<ChatMessage> stored = new ArrayList<>(batch.size());
      for (NewMessage m : batch) {
        ChatMessage message = ChatMessage.builder()
            .id(++lastId)
            .sender(m.sender())
            .recipient(m.recipient())
            .body(m.body())
            .sentAt(m.sentAt().truncatedTo(ChronoUnit.MILLIS))
            .build();
        messages.put(message.id(), message);
        stored.add(message);
      }
      return stored;
    });
  }

  @Override
  public CompletableFuture<HistoryPage> history(UserName reader, HistoryQuery query) {
    return run(() -> {
      boolean before = query.direction() == HistoryQuery.Direction.BEFORE;
      NavigableMap<Long, ChatMessage> range;
      if (before) {
        range = (query.cursor() == 0 ? messages : messages.headMap(query.cursor(), false)).descendingMap();
      } else {
        range = messages.tailMap(query.cursor(), false);
      }
      List<ChatMessage> page = new ArrayList<>();
      boolean more = false;
      for (ChatMessage m : range.values()) {
        if (!matches(m, reader, query)) {
          continue;
        }
        if (page.size() == query.limit()) {
          more = true;
          break;
        }
        page.add(m);
      }
      if (before) {
        java.util.Collections.reverse(page);
      }
      OptionalLong next = OptionalLong.empty();
      if (more) {
        next = OptionalLong.of(before ? page.get(0).id() : page.get(page.size() - 1).id());
      }
      return HistoryPage.of(page, next);
    });
  }

  private static boolean matches(ChatMessage m, UserName reader, HistoryQuery query) {
    boolean mine = m.sender().equals(reader) || m.recipient().equals(reader);
    if (!mine) {
      return false;
    }
    if (query.peer().isPresent()) {
      UserName peer = query.peer().get();
      UserName other = m.sender().equals(reader) ? m.recipient() : m.sender();
      if (!other.equals(peer)) {
        return false;
      }
    }
    return !query.unreadOnly() || (m.recipient().equals(reader) && m.state() != DeliveryState.READ);
  }

  @Override
  public CompletableFuture<List<ChatMessage>> markDelivered(UserName recipient, Collection<Long> ids) {
    return run(() -> advance(recipient, ids, DeliveryState.DELIVERED));
  }

  @Override
  public CompletableFuture<List<ChatMessage>> markRead(UserName recipient, Collection<Long> ids) {
    return run(() -> advance(recipient, ids, DeliveryState.READ));
  }

  private List<ChatMessage> advance(UserName recipient, Collection<Long> ids, DeliveryState to) {
    List<ChatMessage> changed = new ArrayList<>();
    for (Long id : ids) {
      ChatMessage m = messages.get(id);
      if (m != null && m.recipient().equals(recipient) && m.state().compareTo(to) < 0) {
        ChatMessage moved = m.withState(to);
        messages.put(id, moved);
        changed.add(moved);
      }
    }
    return changed;
  }

  @Override
  public DeviceStore devices() {
    return devices;
  }

  /** The devices facet, under the store's one lock. */
  private final class Devices implements DeviceStore {
    private final NavigableMap<Long, StoredDevice> byId = new TreeMap<>();
    /** Message id by sender and idempotency key. */
    private final Map<UserName, Map<Long, Long>> keys = new HashMap<>();

    /** Forgets the user's devices and idempotency keys; under the store's lock. */
    void dropUser(UserName name) {
      byId.values().removeIf(d -> d.user().equals(name));
      keys.remove(name);
    }
    private long lastDeviceId;

    @Override
    public CompletableFuture<StoredDevice> addDevice(UserName user, String name, String secretHash, Instant at) {
      return run(() -> {
        if (!users.containsKey(user)) {
          throw new ChatException(ErrorCode.UNKNOWN_RECIPIENT);
        }
        Instant t = at.truncatedTo(ChronoUnit.MILLIS);
        StoredDevice d = StoredDevice.of(++lastDeviceId, user, name, secretHash, t, t);
        byId.put(d.id(), d);
        return d;
      });
    }

    @Override
    public CompletableFuture<Optional<StoredDevice>> findDevice(long id) {
      return run(() -> Optional.ofNullable(byId.get(id)));
    }

    @Override
    public CompletableFuture<List<StoredDevice>> devices(UserName user) {
      return run(() -> byId.values().stream().filter(d -> d.user().equals(user)).toList());
    }

    @Override
    public CompletableFuture<Boolean> touchDevice(long id, Instant at) {
      return run(() -> {
        StoredDevice d = byId.get(id);
        if (d == null) {
          return false;
        }
        byId.put(id, StoredDevice.of(id, d.user(), d.name(), d.secretHash(), d.createdAt(),
            at.truncatedTo(ChronoUnit.MILLIS)));
        return true;
      });
    }

    @Override
    public CompletableFuture<List<Long>> revokeDevices(UserName user, long id) {
      return run(() -> {
        List<Long> revoked = new ArrayList<>();
        for (StoredDevice d : List.copyOf(byId.values())) {
          if (d.user().equals(user) && (id == 0 || d.id() == id)) {
            byId.remove(d.id());
            revoked.add(d.id());
          }
        }
        return revoked;
      });
    }

    @Override
    public CompletableFuture<ChatMessage> appendOnce(NewMessage message, long key) {
      return run(() -> {
        Long earlier = keys.getOrDefault(message.sender(), Map.of()).get(key);
        if (earlier != null) {
          return messages.get(earlier);
        }
        ChatMessage stored;
        try {
          stored = append(List.of(message)).join().get(0);
        } catch (java.util.concurrent.CompletionException e) {
          throw e.getCause() instanceof ChatException c ? c : e;
        }
        keys.computeIfAbsent(message.sender(), u -> new HashMap<>()).put(key, stored.id());
        return stored;
      });
    }
  }

  @Override
  public AdminStore admin() {
    return admin;
  }

  /** The admin facet, on the same lock as the store. */
  private final class Admin implements AdminStore {
    @Override
    public CompletableFuture<List<UserAccount>> listUsers(String nameContains, int limit) {
      String part = nameContains.toLowerCase(Locale.ROOT);
      return run(() -> users.values().stream()
          .filter(u -> u.name().value().toLowerCase(Locale.ROOT).contains(part))
          .sorted(Comparator.comparing(u -> u.name().value()))
          .limit(limit).map(this::account).toList());
    }

    private UserAccount account(StoredUser u) {
      return UserAccount.of(u.name(), u.createdAt(), Optional.ofNullable(lastLogins.get(u.name())), u.disabled());
    }

    @Override
    public CompletableFuture<Optional<UserAccount>> findAccount(UserName name) {
      return run(() -> Optional.ofNullable(users.get(name)).map(this::account));
    }

    @Override
    public CompletableFuture<Boolean> recordLogin(UserName name, Instant at) {
      return run(() -> {
        if (!users.containsKey(name)) {
          return false;
        }
        lastLogins.put(name, at.truncatedTo(ChronoUnit.MILLIS));
        return true;
      });
    }

    @Override
    public CompletableFuture<Boolean> setDisabled(UserName name, boolean disabled) {
      return run(() -> {
        StoredUser u = users.get(name);
        if (u == null) {
          return false;
        }
        users.put(name, u.asDisabled(disabled));
        if (disabled) {
          record(AdminOperation.Kind.DISABLED, name, 0);
        }
        return true;
      });
    }

    private void record(AdminOperation.Kind kind, UserName name, long deviceIdsUpTo) {
      long id = ++lastOperationId;
      operations.put(id, AdminOperation.of(id, kind, name, deviceIdsUpTo));
      while (operations.size() > MAX_KEPT_OPERATIONS) {
        operations.pollFirstEntry();
      }
    }

    @Override
    public CompletableFuture<List<Long>> revokeAllDevices(UserName name) {
      return run(() -> {
        if (!users.containsKey(name)) {
          return List.<Long>of();
        }
        List<Long> ids = devices.revokeDevices(name, 0).join();
        record(AdminOperation.Kind.DEVICES_REVOKED, name, ids.isEmpty() ? 0 : ids.get(ids.size() - 1));
        return ids;
      });
    }

    @Override
    public CompletableFuture<Boolean> resetPassword(UserName name, String passwordHash) {
      return run(() -> {
        if (!updatePasswordHash(name, passwordHash).join()) {
          return false;
        }
        record(AdminOperation.Kind.PASSWORD_RESET, name, 0);
        return true;
      });
    }

    @Override
    public CompletableFuture<List<AdminOperation>> operationsAfter(long afterId, int limit) {
      if (limit < 1) {
        throw new IllegalArgumentException("limit must be >= 1: " + limit);
      }
      return run(() -> operations.tailMap(afterId, false).values().stream().limit(limit).toList());
    }

    @Override
    public CompletableFuture<Long> latestOperationId() {
      return run(() -> operations.isEmpty() ? 0L : operations.lastKey());
    }

    @Override
    public CompletableFuture<Integer> purgeRoomMessagesBefore(Instant cutoff, int maxMessages) {
      if (maxMessages < 1) {
        throw new IllegalArgumentException("maxMessages must be >= 1: " + maxMessages);
      }
      return run(() -> rooms.purgeBefore(cutoff, maxMessages));
    }

    @Override
    public CompletableFuture<Optional<Long>> deleteUser(UserName name) {
      return run(() -> {
        if (users.remove(name) == null) {
          return Optional.<Long>empty();
        }
        deleted.add(name);
        lastLogins.remove(name);
        devices.byId.values().removeIf(d -> d.user().equals(name));
        long before = messages.size();
        messages.values().removeIf(m -> m.sender().equals(name) || m.recipient().equals(name));
        long roomMessages = rooms.deleteMessagesOf(name);
        record(AdminOperation.Kind.DELETED, name, 0);
        return Optional.of(before - messages.size() + roomMessages);
      });
    }

    @Override
    public CompletableFuture<Integer> purgeMessagesBefore(Instant cutoff, int maxMessages) {
      return run(() -> {
        int purged = 0;
        Iterator<ChatMessage> it = messages.values().iterator();
        while (it.hasNext() && purged < maxMessages) {
          if (it.next().sentAt().isBefore(cutoff)) {
            it.remove();
            purged++;
          }
        }
        return purged;
      });
    }

    @Override
    public CompletableFuture<StoreStats> stats() {
      return run(() -> StoreStats.of(users.size(), messages.size(), rooms.messageCount(), -1));
    }
  }

  @Override
  public AccountStore accounts() {
    return accounts;
  }

  /** The users' account facet, on the same lock as the store. */
  private final class Accounts implements AccountStore {
    @Override
    public CompletableFuture<Boolean> deleteAccount(UserName name, Instant at) {
      return run(() -> {
        if (users.remove(name) == null) {
          return false;
        }
        deleted.add(name);
        selfDeleted.put(name, at.truncatedTo(ChronoUnit.MILLIS));
        lastLogins.remove(name);
        devices.dropUser(name);
        messages.values().removeIf(m -> m.sender().equals(name) || m.recipient().equals(name));
        rooms.dropUser(name);
        contacts.dropUser(name);
        return true;
      });
    }

    @Override
    public CompletableFuture<Void> createUser(StoredUser user, Instant quarantineEnd) {
      return run(() -> {
        Instant deletedAt = selfDeleted.get(user.name());
        if (deletedAt != null && !deletedAt.isAfter(quarantineEnd) && !users.containsKey(user.name())) {
          selfDeleted.remove(user.name());
          deleted.remove(user.name());
        }
        return null;
      }).thenCompose(v -> InMemoryChatStore.this.createUser(user));
    }
  }

  @Override
  public org.p2pchat.api.store.RoomStore rooms() {
    return rooms;
  }

  @Override
  public org.p2pchat.api.store.ContactStore contacts() {
    return contacts;
  }

  /** Whether {@code owner} blocks {@code other}; under the store's lock (from {@link #run}). */
  boolean blocks(UserName owner, UserName other) {
    return contacts.blocks(owner, other);
  }

  /** Whether the user exists; under the store's lock (from {@link #run}). */
  boolean hasUser(UserName name) {
    return users.containsKey(name);
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  synchronized <T> CompletableFuture<T> run(Supplier<T> operation) {
    if (closed) {
      return CompletableFuture.failedFuture(new ChatException(ErrorCode.CLOSED));
    }
    try {
      return CompletableFuture.completedFuture(operation.get());
    } catch (ChatException e) {
      return CompletableFuture.failedFuture(e);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(new ChatException(ErrorCode.INTERNAL, "in-memory store failed", e));
    }
  }
}
