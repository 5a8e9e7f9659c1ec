package org.p2pchat.testing;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalLong;
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
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.api.store.NewMessage;
import org.p2pchat.api.store.StoredUser;

/**
 * A {@link ChatStore} in memory, for tests and benchmarks: nothing survives the process.
 * Futures complete on the calling thread. Thread-safe (one lock).
 */
public final class InMemoryChatStore implements ChatStore {
  private final Map<UserName, StoredUser> users = new HashMap<>();
  private final NavigableMap<Long, ChatMessage> messages = new TreeMap<>();
  private long lastId;
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
      if (users.putIfAbsent(user.name(), kept) != null) {
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
      users.put(name, StoredUser.of(name, passwordHash, old.createdAt()));
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
