package org.p2pchat.store.sqlite.internal;

import java.time.Instant;
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
 * The devices facet in SQL: reads on a reader's connection, writes as {@link WriteTask}s on the
 * writer's (so a keyed append and its look-up run in one transaction, one at a time: two resends
 * of one key never both insert).
 */
public final class DeviceSql {
  private static final String DEVICE_COLUMNS =
      "d.id, u.name, d.name, d.secret_hash, d.created_at, d.last_used_at FROM devices d JOIN users u ON u.id = d.user_id";
  private static final RowMapper<StoredDevice> DEVICE = (rs, ctx) -> StoredDevice.of(rs.getLong(1),
      UserName.of(rs.getString(2)), rs.getString(3), rs.getString(4), Instant.ofEpochMilli(rs.getLong(5)),
      Instant.ofEpochMilli(rs.getLong(6)));

  private DeviceSql() {}

  /** The device of that id, if any. */
  public static Optional<StoredDevice> find(Reads reads, long id) {
    return reads.handle().createQuery("SELECT " + DEVICE_COLUMNS + " WHERE d.id = ?").bind(0, id).map(DEVICE).findOne();
  }

  /** The user's devices in id order. */
  public static List<StoredDevice> list(Reads reads, UserName user) {
    return reads.handle().createQuery("SELECT " + DEVICE_COLUMNS + " WHERE u.name = ? ORDER BY d.id")
        .bind(0, user.value()).map(DEVICE).list();
  }

  /** Adds a device; fails with UNKNOWN_RECIPIENT for an unknown user. */
  public static WriteTask<StoredDevice> add(UserName user, String name, String secretHash, Instant at) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(secretHash, "secretHash");
    long millis = at.toEpochMilli();
    return new WriteTask<>() {
      @Override
      StoredDevice apply(WriterSession session) {
        long userId = session.userId(user);
        if (userId < 0) {
          throw new ChatException(ErrorCode.UNKNOWN_RECIPIENT);
        }
        session.handle().createUpdate("INSERT INTO devices (user_id, name, secret_hash, created_at, last_used_at)"
            + " VALUES (?, ?, ?, ?, ?)").bind(0, userId).bind(1, name).bind(2, secretHash).bind(3, millis)
            .bind(4, millis).execute();
        long id = session.messages().lastInsertRowid();
        return StoredDevice.of(id, user, name, secretHash, Instant.ofEpochMilli(millis), Instant.ofEpochMilli(millis));
      }
    };
  }

  /** Records a device's use; whether it exists. */
  public static WriteTask<Boolean> touch(long id, Instant at) {
    long millis = at.toEpochMilli();
    return new WriteTask<>() {
      @Override
      Boolean apply(WriterSession session) {
        return session.handle().createUpdate("UPDATE devices SET last_used_at = ? WHERE id = ?")
            .bind(0, millis).bind(1, id).execute() > 0;
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
        Handle h = session.handle();
        String where = id == 0 ? " WHERE user_id = ?" : " WHERE user_id = ? AND id = ?";
        var select = h.createQuery("SELECT id FROM devices" + where + " ORDER BY id").bind(0, userId);
        var delete = h.createUpdate("DELETE FROM devices" + where).bind(0, userId);
        if (id != 0) {
          select.bind(1, id);
          delete.bind(1, id);
        }
        List<Long> ids = select.mapTo(Long.class).list();
        delete.execute();
        return ids;
      }
    };
  }

  /** Appends a message unless its sender used the key before; the message stored (now or then). */
  public static WriteTask<ChatMessage> appendOnce(NewMessage message, long key) {
    Objects.requireNonNull(message, "message");
    return new WriteTask<>() {
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
        long sentAt = message.sentAt().toEpochMilli();
        h.createUpdate("INSERT INTO messages (sender_id, recipient_id, body, sent_at, idempotency_key)"
            + " VALUES (?, ?, ?, ?, ?)").bind(0, senderId).bind(1, recipientId).bind(2, message.body())
            .bind(3, sentAt).bind(4, key).execute();
        return ChatMessage.builder().id(session.messages().lastInsertRowid()).sender(message.sender())
            .recipient(message.recipient()).body(message.body()).sentAt(Instant.ofEpochMilli(sentAt)).build();
      }
    };
  }
}
