package org.p2pchat.store.sqlite.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.Room;
import org.p2pchat.api.RoomHistoryPage;
import org.p2pchat.api.RoomLimits;
import org.p2pchat.api.RoomMember;
import org.p2pchat.api.RoomMessage;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.RoomStore.RoomDelivery;

/**
 * The SQL of rooms (schema version 2), on a handle: writes run on the writer's handle inside
 * its transaction, reads on a reader's. Each method checks who may do it in the same
 * transaction as the change.
 */
final class RoomSql {
  private static final String ROOM_COLUMNS = "r.id, r.title, o.name,"
      + " (SELECT count(*) FROM room_members c WHERE c.room_id = r.id)"
      + " FROM rooms r JOIN users o ON o.id = r.owner_id";
  private static final String MESSAGE_COLUMNS = "SELECT rm.id, u.name, rm.body, rm.sent_at,"
      + " (SELECT count(*) FROM room_members c WHERE c.room_id = rm.room_id"
      + " AND c.read_up_to >= rm.id AND c.user_id <> rm.sender_id)"
      + " FROM room_messages rm JOIN users u ON u.id = rm.sender_id WHERE rm.room_id = :room";

  private RoomSql() {}

  /** A member's row: the read marker, and whether they own the room. */
  private record Membership(long userId, long readUpTo, boolean owner) {}

  static long userId(Handle h, UserName name) {
    return h.createQuery("SELECT id FROM users WHERE name = :name").bind("name", name.value())
        .mapTo(Long.class).findOne().orElse(-1L);
  }

  private static Membership joined(Handle h, long roomId, UserName user) {
    long uid = userId(h, user);
    return h.createQuery("SELECT m.read_up_to, r.owner_id = m.user_id FROM room_members m"
            + " JOIN rooms r ON r.id = m.room_id WHERE m.room_id = :room AND m.user_id = :user")
        .bind("room", roomId).bind("user", uid)
        .map((rs, ctx) -> new Membership(uid, rs.getLong(1), rs.getBoolean(2)))
        .findOne().orElseThrow(() -> new ChatException(ErrorCode.NO_SUCH_ROOM));
  }

  private static Membership owned(Handle h, long roomId, UserName user) {
    Membership m = joined(h, roomId, user);
    if (!m.owner) {
      throw new ChatException(ErrorCode.NOT_ROOM_OWNER);
    }
    return m;
  }

  private static void checkRoomCount(Handle h, long uid) {
    int rooms = h.createQuery("SELECT count(*) FROM room_members WHERE user_id = :user")
        .bind("user", uid).mapTo(Integer.class).one();
    if (rooms >= RoomLimits.MAX_ROOMS_PER_USER) {
      throw new ChatException(ErrorCode.TOO_MANY_ROOMS);
    }
  }

  private static void join(Handle h, long roomId, long uid) {
    h.createUpdate("INSERT INTO room_members (room_id, user_id, joined) VALUES (:room, :user,"
            + " (SELECT coalesce(max(joined), 0) + 1 FROM room_members WHERE room_id = :room))")
        .bind("room", roomId).bind("user", uid).execute();
  }

  static Room create(Handle h, UserName owner, String title, Instant createdAt) {
    long uid = userId(h, owner);
    if (uid < 0) {
      throw new ChatException(ErrorCode.UNKNOWN_RECIPIENT);
    }
    checkRoomCount(h, uid);
    h.createUpdate("INSERT INTO rooms (title, owner_id, created_at) VALUES (:title, :owner, :at)")
        .bind("title", title).bind("owner", uid).bind("at", createdAt.toEpochMilli()).execute();
    long id = h.createQuery("SELECT last_insert_rowid()").mapTo(Long.class).one();
    join(h, id, uid);
    return new Room(id, title, owner, 1);
  }

  static void add(Handle h, long roomId, UserName actor, UserName member) {
    owned(h, roomId, actor);
    long uid = userId(h, member);
    if (uid < 0) {
      throw new ChatException(ErrorCode.UNKNOWN_RECIPIENT);
    }
    boolean present = h.createQuery("SELECT count(*) FROM room_members WHERE room_id = :room AND user_id = :user")
        .bind("room", roomId).bind("user", uid).mapTo(Integer.class).one() > 0;
    if (present) {
      return;
    }
    if (ContactSql.isBlocked(h, uid, owned(h, roomId, actor).userId)) {
      throw new ChatException(ErrorCode.BLOCKED);
    }
    if (memberCount(h, roomId) >= RoomLimits.MAX_MEMBERS) {
      throw new ChatException(ErrorCode.ROOM_FULL);
    }
    checkRoomCount(h, uid);
    join(h, roomId, uid);
  }

  private static int memberCount(Handle h, long roomId) {
    return h.createQuery("SELECT count(*) FROM room_members WHERE room_id = :room")
        .bind("room", roomId).mapTo(Integer.class).one();
  }

  static void remove(Handle h, long roomId, UserName actor, UserName member) {
    Membership a = joined(h, roomId, actor);
    if (!actor.equals(member) && !a.owner) {
      throw new ChatException(ErrorCode.NOT_ROOM_OWNER);
    }
    long uid = userId(h, member);
    if (h.createUpdate("DELETE FROM room_members WHERE room_id = :room AND user_id = :user")
        .bind("room", roomId).bind("user", uid).execute() == 0) {
      return;
    }
    if (memberCount(h, roomId) == 0) {
      h.createUpdate("DELETE FROM room_messages WHERE room_id = :room").bind("room", roomId).execute();
      h.createUpdate("DELETE FROM rooms WHERE id = :room").bind("room", roomId).execute();
    } else {
      // The owner left: the member who joined earliest takes over (a no-op for anyone else).
      h.createUpdate("UPDATE rooms SET owner_id = (SELECT user_id FROM room_members"
              + " WHERE room_id = :room ORDER BY joined LIMIT 1) WHERE id = :room AND owner_id = :user")
          .bind("room", roomId).bind("user", uid).execute();
    }
  }

  static void rename(Handle h, long roomId, UserName actor, String title) {
    owned(h, roomId, actor);
    h.createUpdate("UPDATE rooms SET title = :title WHERE id = :room")
        .bind("title", title).bind("room", roomId).execute();
  }

  static List<Room> rooms(Handle h, UserName member, long after, int limit) {
    return h.createQuery("SELECT " + ROOM_COLUMNS
            + " JOIN room_members m ON m.room_id = r.id"
            + " WHERE m.user_id = :user AND r.id > :after ORDER BY r.id LIMIT :limit")
        .bind("user", userId(h, member)).bind("after", after).bind("limit", limit)
        .map((rs, ctx) -> new Room(rs.getLong(1), rs.getString(2), UserName.of(rs.getString(3)), rs.getInt(4)))
        .list();
  }

  static List<RoomMember> members(Handle h, long roomId, UserName reader) {
    joined(h, roomId, reader);
    return h.createQuery("SELECT u.name, m.read_up_to FROM room_members m JOIN users u ON u.id = m.user_id"
            + " WHERE m.room_id = :room ORDER BY u.name")
        .bind("room", roomId)
        .map((rs, ctx) -> new RoomMember(UserName.of(rs.getString(1)), rs.getLong(2)))
        .list();
  }

  private static List<UserName> memberNames(Handle h, long roomId) {
    return h.createQuery("SELECT u.name FROM room_members m JOIN users u ON u.id = m.user_id"
            + " WHERE m.room_id = :room")
        .bind("room", roomId).map((rs, ctx) -> UserName.of(rs.getString(1))).list();
  }

  static RoomDelivery append(Handle h, long roomId, UserName sender, String body, Instant sentAt) {
    Membership m = joined(h, roomId, sender);
    long at = sentAt.toEpochMilli();
    h.createUpdate("INSERT INTO room_messages (room_id, sender_id, body, sent_at) VALUES (:room, :sender, :body, :at)")
        .bind("room", roomId).bind("sender", m.userId).bind("body", body).bind("at", at).execute();
    long id = h.createQuery("SELECT last_insert_rowid()").mapTo(Long.class).one();
    return new RoomDelivery(new RoomMessage(roomId, id, sender, body, Instant.ofEpochMilli(at), 0),
        memberNames(h, roomId));
  }

  static RoomHistoryPage history(Handle h, long roomId, UserName reader, HistoryQuery query) {
    if (query.peer().isPresent()) {
      throw new IllegalArgumentException("a room history query names no peer");
    }
    Membership m = joined(h, roomId, reader);
    boolean before = query.direction() == HistoryQuery.Direction.BEFORE;
    long cursor = before && query.cursor() == 0 ? Long.MAX_VALUE : query.cursor();
    String sql = MESSAGE_COLUMNS
        + (before ? " AND rm.id < :cursor" : " AND rm.id > :cursor")
        + (query.unreadOnly() ? " AND rm.id > :marker AND rm.sender_id <> :reader" : "")
        + (before ? " ORDER BY rm.id DESC" : " ORDER BY rm.id") + " LIMIT :limit";
    List<RoomMessage> rows = new ArrayList<>(h.createQuery(sql)
        .bind("room", roomId).bind("cursor", cursor).bind("marker", m.readUpTo).bind("reader", m.userId)
        .bind("limit", query.limit() + 1)
        .map((rs, ctx) -> new RoomMessage(roomId, rs.getLong(1), UserName.of(rs.getString(2)),
            rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)), rs.getInt(5)))
        .list());
    boolean more = rows.size() > query.limit();
    List<RoomMessage> page = new ArrayList<>(more ? rows.subList(0, query.limit()) : rows);
    if (before) {
      Collections.reverse(page);
    }
    OptionalLong next = OptionalLong.empty();
    if (more) {
      next = OptionalLong.of(before ? page.get(0).id() : page.get(page.size() - 1).id());
    }
    return new RoomHistoryPage(page, next);
  }

  static List<UserName> markRead(Handle h, long roomId, UserName reader, long upToMessageId) {
    Membership m = joined(h, roomId, reader);
    long newest = h.createQuery("SELECT coalesce(max(id), 0) FROM room_messages WHERE room_id = :room")
        .bind("room", roomId).mapTo(Long.class).one();
    long upTo = Math.min(upToMessageId, newest);
    if (upTo <= m.readUpTo) {
      return List.of();
    }
    h.createUpdate("UPDATE room_members SET read_up_to = :upTo WHERE room_id = :room AND user_id = :user")
        .bind("upTo", upTo).bind("room", roomId).bind("user", m.userId).execute();
    return h.createQuery("SELECT DISTINCT u.name FROM room_messages rm"
            + " JOIN room_members s ON s.room_id = rm.room_id AND s.user_id = rm.sender_id"
            + " JOIN users u ON u.id = rm.sender_id"
            + " WHERE rm.room_id = :room AND rm.id > :old AND rm.id <= :upTo AND rm.sender_id <> :user"
            + " ORDER BY u.name")
        .bind("room", roomId).bind("old", m.readUpTo).bind("upTo", upTo).bind("user", m.userId)
        .map((rs, ctx) -> UserName.of(rs.getString(1))).list();
  }
}
