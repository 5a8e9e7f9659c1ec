package org.p2pchat.store.postgres.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.NewMessage;
import org.p2pchat.api.store.StoredDevice;

/**
 * The devices facet in SQL: reads on a reader's connection, writes as {@link WriteTask}s of the
 * group-commit writer. A keyed append needs the append lock ({@link WriteTasks#needsAppendLock}): it runs under
 * the {@link AppendLock}, so its look-up and insert exclude every other append of every store
 * on the database, and two resends of one key never both insert.
 */
public final class DeviceSql {
  private static final String DEVICE_COLUMNS =
      "d.id, u.name, d.name, d.secret_hash, d.created_at, d.last_used_at FROM devices d JOIN users u ON u.id = d.user_id";
  private static final RowMapper<StoredDevice> DEVICE = (rs, ctx) -> StoredDevice.of(rs.getLong(1),
      UserName.of(rs.getString(2)), rs.getString(3), rs.getString(4),
      rs.getObject(5, OffsetDateTime.class).toInstant(), rs.getObject(6, OffsetDateTime.class).toInstant());
  private static final String ALLOCATE_ONE = "SELECT nextval('message_ids')";

  private DeviceSql() {}

  private static OffsetDateTime utc(Instant at) {
    return OffsetDateTime.ofInstant(at.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC);
  }

  /** The device of that id, if any. */
  public static Optional<StoredDevice> find(Handle handle, long id) {
    return handle.createQuery("SELECT " + DEVICE_COLUMNS + " WHERE d.id = ?").bind(0, id).map(DEVICE).findOne();
  }

  /** The user's devices in id order. */
  public static List<StoredDevice> list(Handle handle, UserName user) {
    return handle.createQuery("SELECT " + DEVICE_COLUMNS + " WHERE u.name = ? ORDER BY d.id")
        .bind(0, user.value()).map(DEVICE).list();
  }

  /** Adds a device; fails with UNKNOWN_RECIPIENT for an unknown user. */
  public static WriteTask<StoredDevice> add(UserName user, String name, String secretHash, Instant at) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(secretHash, "secretHash");
    Instant t = at.truncatedTo(ChronoUnit.MILLIS);
    return new WriteTask<>() {
      @Override
      StoredDevice apply(WriterSession session) {
        long userId = session.userId(user);
        if (userId < 0) {
          throw new ChatException(ErrorCode.UNKNOWN_RECIPIENT);
        }
        long id = session.handle().createQuery("INSERT INTO devices (user_id, name, secret_hash, created_at,"
            + " last_used_at) VALUES (?, ?, ?, ?, ?) RETURNING id").bind(0, userId).bind(1, name).bind(2, secretHash)
            .bind(3, utc(t)).bind(4, utc(t)).mapTo(Long.class).one();
        return StoredDevice.of(id, user, name, secretHash, t, t);
      }
    };
  }

  /** Records a device's use; whether it exists. */
  public static WriteTask<Boolean> touch(long id, Instant at) {
    return new WriteTask<>() {
      @Override
      Boolean apply(WriterSession session) {
        return session.handle().createUpdate("UPDATE devices SET last_used_at = ? WHERE id = ?")
            .bind(0, utc(at)).bind(1, id).execute() > 0;
      }
    };
  }

  /** Revokes one device of the user, or all for id 0; the ids revoked, increasing. */
  public static WriteTask<List<Long>> revoke(UserName user, long id) {
    Objects.requireNonNull(user, "user");
    return new WriteTask<>() {
      @Override
      List<Long> apply(WriterSession session) {
        long userId = session.userId(user);
        if (userId < 0) {
          return new ArrayList<>();
        }
        String where = id == 0 ? " WHERE user_id = ?" : " WHERE user_id = ? AND id = ?";
        var delete = session.handle().createQuery("DELETE FROM devices" + where + " RETURNING id").bind(0, userId);
        if (id != 0) {
          delete.bind(1, id);
        }
        List<Long> ids = new ArrayList<>(delete.mapTo(Long.class).list());
        ids.sort(null);
        return ids;
      }
    };
  }

  /** Appends a message unless its sender used the key before; the message stored (now or then). */
  public static WriteTask<ChatMessage> appendOnce(NewMessage message, long key) {
    return new KeyedAppend(Objects.requireNonNull(message, "message"), key);
  }

  /** The write of {@link #appendOnce}: an append, run under the append lock. */
  static final class KeyedAppend extends WriteTask<ChatMessage> {
    private final NewMessage message;
    private final long key;

    KeyedAppend(NewMessage message, long key) {
      this.message = message;
      this.key = key;
    }

    @Override
    ChatMessage apply(WriterSession session) {
      long senderId = session.userId(message.sender());
      long recipientId = session.userId(message.recipient());
      if (senderId < 0 || recipientId < 0) {
        throw new ChatException(ErrorCode.UNKNOWN_RECIPIENT);
      }
      Handle h = session.handle();
      Optional<ChatMessage> earlier = h.createQuery("SELECT " + MessageMapper.COLUMNS + " FROM messages m"
          + MessageMapper.JOIN_NAMES + " WHERE m.sender_id = ? AND m.idempotency_key = ?")
          .bind(0, senderId).bind(1, key).map(new MessageMapper()).findOne();
      if (earlier.isPresent()) {
        return earlier.get();
      }
      Instant sentAt = message.sentAt().truncatedTo(ChronoUnit.MILLIS);
      long id = h.createQuery(ALLOCATE_ONE).mapTo(Long.class).one();
      h.createUpdate("INSERT INTO messages (id, sender_id, recipient_id, body, sent_at, idempotency_key)"
          + " VALUES (?, ?, ?, ?, ?, ?)").bind(0, id).bind(1, senderId).bind(2, recipientId).bind(3, message.body())
          .bind(4, utc(sentAt)).bind(5, key).execute();
      return ChatMessage.builder().id(id).sender(message.sender()).recipient(message.recipient())
          .body(message.body()).sentAt(sentAt).build();
    }
  }
}
