package org.p2pchat.testing;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.Room;
import org.p2pchat.api.RoomHistoryPage;
import org.p2pchat.api.RoomLimits;
import org.p2pchat.api.RoomMember;
import org.p2pchat.api.RoomMessage;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.RoomStore;

/** The rooms of an {@link InMemoryChatStore}, under its lock. */
final class InMemoryRooms implements RoomStore {
  /** A room: members in joining order, with their read markers. */
  private static final class State {
    String title;
    UserName owner;
    final Map<UserName, Long> members = new LinkedHashMap<>();
    final NavigableMap<Long, RoomMessage> messages = new TreeMap<>();
  }

  private final InMemoryChatStore store;
  private final NavigableMap<Long, State> rooms = new TreeMap<>();
  private long lastRoomId;
  private long lastMessageId;

  InMemoryRooms(InMemoryChatStore store) {
    this.store = store;
  }

  /** Deletes up to {@code max} of the oldest room messages sent before {@code cutoff}; under the store's lock. */
  int purgeBefore(Instant cutoff, int max) {
    NavigableMap<Long, State> byMessage = new TreeMap<>();
    for (State s : rooms.values()) {
      for (RoomMessage m : s.messages.values()) {
        if (m.sentAt().isBefore(cutoff)) {
          byMessage.put(m.id(), s);
        }
      }
    }
    int purged = 0;
    for (var e : byMessage.entrySet()) {
      if (purged == max) {
        break;
      }
      e.getValue().messages.remove(e.getKey());
      purged++;
    }
    return purged;
  }

  /** Deletes every room message {@code sender} sent; under the store's lock. */
  long deleteMessagesOf(UserName sender) {
    long deleted = 0;
    for (State s : rooms.values()) {
      int before = s.messages.size();
      s.messages.values().removeIf(m -> m.sender().equals(sender));
      deleted += before - s.messages.size();
    }
    return deleted;
  }

  /** Room messages stored; under the store's lock. */
  long messageCount() {
    return rooms.values().stream().mapToLong(s -> s.messages.size()).sum();
  }

  @Override
  public CompletableFuture<Room> createRoom(UserName owner, String title, Instant createdAt) {
    RoomLimits.checkTitle(title);
    return store.run(() -> {
      if (!store.hasUser(owner)) {
        throw new ChatException(ErrorCode.UNKNOWN_RECIPIENT);
      }
      checkRoomCount(owner);
      State s = new State();
      s.title = title;
      s.owner = owner;
      s.members.put(owner, 0L);
      long id = ++lastRoomId;
      rooms.put(id, s);
      return view(id, s);
    });
  }

  @Override
  public CompletableFuture<Void> addMember(long roomId, UserName actor, UserName member) {
    return store.run(() -> {
      State s = owned(roomId, actor);
      if (s.members.containsKey(member)) {
        return null;
      }
      if (!store.hasUser(member)) {
        throw new ChatException(ErrorCode.UNKNOWN_RECIPIENT);
      }
      if (store.blocks(member, actor)) {
        throw new ChatException(ErrorCode.BLOCKED);
      }
      if (s.members.size() >= RoomLimits.MAX_MEMBERS) {
        throw new ChatException(ErrorCode.ROOM_FULL);
      }
      checkRoomCount(member);
      s.members.put(member, 0L);
      return null;
    });
  }

  @Override
  public CompletableFuture<Void> removeMember(long roomId, UserName actor, UserName member) {
    return store.run(() -> {
      State s = joined(roomId, actor);
      if (!actor.equals(member) && !actor.equals(s.owner)) {
        throw new ChatException(ErrorCode.NOT_ROOM_OWNER);
      }
      s.members.remove(member);
      if (s.members.isEmpty()) {
        rooms.remove(roomId);
      } else if (member.equals(s.owner)) {
        s.owner = s.members.keySet().iterator().next();
      }
      return null;
    });
  }

  @Override
  public CompletableFuture<Void> rename(long roomId, UserName actor, String title) {
    RoomLimits.checkTitle(title);
    return store.run(() -> {
      owned(roomId, actor).title = title;
      return null;
    });
  }

  @Override
  public CompletableFuture<List<Room>> rooms(UserName member, long afterRoomId, int limit) {
    return store.run(() -> {
      List<Room> page = new ArrayList<>();
      for (Map.Entry<Long, State> e : rooms.tailMap(afterRoomId, false).entrySet()) {
        if (page.size() == limit) {
          break;
        }
        if (e.getValue().members.containsKey(member)) {
          page.add(view(e.getKey(), e.getValue()));
        }
      }
      return page;
    });
  }

  @Override
  public CompletableFuture<List<RoomMember>> members(long roomId, UserName reader) {
    return store.run(() -> {
      List<RoomMember> members = new ArrayList<>();
      joined(roomId, reader).members.forEach((name, read) -> members.add(new RoomMember(name, read)));
      members.sort((a, b) -> a.name().value().compareTo(b.name().value()));
      return members;
    });
  }

  @Override
  public CompletableFuture<RoomDelivery> appendToRoom(long roomId, UserName sender, String body, Instant sentAt) {
    return store.run(() -> {
      State s = joined(roomId, sender);
      RoomMessage m = new RoomMessage(roomId, ++lastMessageId, sender, body,
          sentAt.truncatedTo(ChronoUnit.MILLIS), 0);
      s.messages.put(m.id(), m);
      return new RoomDelivery(m, new ArrayList<>(s.members.keySet()));
    });
  }

  @Override
  public CompletableFuture<RoomHistoryPage> roomHistory(long roomId, UserName reader, HistoryQuery query) {
    if (query.peer().isPresent()) {
      throw new IllegalArgumentException("a room history query names no peer");
    }
    return store.run(() -> {
      State s = joined(roomId, reader);
      long marker = s.members.get(reader);
      boolean before = query.direction() == HistoryQuery.Direction.BEFORE;
      NavigableMap<Long, RoomMessage> range = before
          ? (query.cursor() == 0 ? s.messages : s.messages.headMap(query.cursor(), false)).descendingMap()
          : s.messages.tailMap(query.cursor(), false);
      List<RoomMessage> page = new ArrayList<>();
      boolean more = false;
      for (RoomMessage m : range.values()) {
        if (query.unreadOnly() && (m.id() <= marker || m.sender().equals(reader))) {
          continue;
        }
        if (page.size() == query.limit()) {
          more = true;
          break;
        }
        page.add(withReadCount(s, m));
      }
      if (before) {
        Collections.reverse(page);
      }
      OptionalLong next = OptionalLong.empty();
      if (more) {
        next = OptionalLong.of(before ? page.get(0).id() : page.get(page.size() - 1).id());
      }
      return new RoomHistoryPage(page, next);
    });
  }

  @Override
  public CompletableFuture<List<UserName>> markRoomRead(long roomId, UserName reader, long upToMessageId) {
    return store.run(() -> {
      State s = joined(roomId, reader);
      long old = s.members.get(reader);
      long upTo = s.messages.isEmpty() ? 0 : Math.min(upToMessageId, s.messages.lastKey());
      TreeSet<String> senders = new TreeSet<>();
      if (upTo <= old) {
        return List.of();
      }
      s.members.put(reader, upTo);
      for (RoomMessage m : s.messages.subMap(old, false, upTo, true).values()) {
        if (!m.sender().equals(reader) && s.members.containsKey(m.sender())) {
          senders.add(m.sender().value());
        }
      }
      return senders.stream().map(UserName::of).toList();
    });
  }

  private static RoomMessage withReadCount(State s, RoomMessage m) {
    int count = 0;
    for (Map.Entry<UserName, Long> e : s.members.entrySet()) {
      if (!e.getKey().equals(m.sender()) && e.getValue() >= m.id()) {
        count++;
      }
    }
    return new RoomMessage(m.roomId(), m.id(), m.sender(), m.body(), m.sentAt(), count);
  }

  private void checkRoomCount(UserName user) {
    int n = 0;
    for (State s : rooms.values()) {
      if (s.members.containsKey(user)) {
        n++;
      }
    }
    if (n >= RoomLimits.MAX_ROOMS_PER_USER) {
      throw new ChatException(ErrorCode.TOO_MANY_ROOMS);
    }
  }

  private State joined(long roomId, UserName user) {
    State s = rooms.get(roomId);
    if (s == null || !s.members.containsKey(user)) {
      throw new ChatException(ErrorCode.NO_SUCH_ROOM);
    }
    return s;
  }

  private State owned(long roomId, UserName user) {
    State s = joined(roomId, user);
    if (!s.owner.equals(user)) {
      throw new ChatException(ErrorCode.NOT_ROOM_OWNER);
    }
    return s;
  }

  private static Room view(long id, State s) {
    return new Room(id, s.title, s.owner, s.members.size());
  }

  /**
   * Removes {@code user} from every room as a leaving member (the oldest member takes over a
   * room they owned; a room left empty goes), and every room message they sent; under the
   * store's lock.
   */
  void dropUser(UserName user) {
    for (Iterator<State> it = rooms.values().iterator(); it.hasNext(); ) {
      State s = it.next();
      s.messages.values().removeIf(m -> m.sender().equals(user));
      if (s.members.remove(user) == null) {
        continue;
      }
      if (s.members.isEmpty()) {
        it.remove();
      } else if (user.equals(s.owner)) {
        s.owner = s.members.keySet().iterator().next();
      }
    }
  }
}
