package org.p2pchat.store.postgres.internal;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.NewMessage;
import org.p2pchat.api.store.StoredUser;

/** The write tasks other than append. */
public final class WriteTasks {
  /**
   * Moves the wanted messages forward in one statement. The state test sits in the UPDATE
   * itself, not in a SELECT before it: another node may mark the same message at the same time,
   * and PostgreSQL re-checks an UPDATE's condition on the row version it waited for, so a state
   * never moves backward and each change is reported by one node only.
   */
  private static final String ADVANCE = "UPDATE messages m SET state = :to FROM users s"
      + " WHERE m.recipient_id = :recipient AND m.state < :to AND m.id = ANY(:ids) AND s.id = m.sender_id"
      + " RETURNING m.id, s.name, m.body, m.sent_at";

  private WriteTasks() {}

  /** Creates a user; fails with NAME_TAKEN when the name (in any case) exists. */
  public static WriteTask<Void> createUser(StoredUser user) {
    Objects.requireNonNull(user, "user");
    return new WriteTask<>() {
      @Override
      Void apply(WriterSession session) {
        // ON CONFLICT waits for another node's uncommitted insert of the same name, then does
        // nothing if it committed: exactly one create of a name wins, across nodes too.
        int inserted = session.handle()
            .createUpdate("INSERT INTO users (name, password_hash, created_at) VALUES (?, ?, ?)"
                + " ON CONFLICT (name) DO NOTHING")
            .bind(0, user.name().value())
            .bind(1, user.passwordHash())
            .bind(2, OffsetDateTime.ofInstant(user.createdAt().truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC))
            .execute();
        if (inserted == 0) {
          throw new ChatException(ErrorCode.NAME_TAKEN);
        }
        return null;
      }
    };
  }

  /** Replaces a password hash; completes with whether the user existed. */
  public static WriteTask<Boolean> updatePasswordHash(UserName name, String passwordHash) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(passwordHash, "passwordHash");
    return new WriteTask<>() {
      @Override
      Boolean apply(WriterSession session) {
        return session.handle()
            .createUpdate("UPDATE users SET password_hash = ? WHERE name = ?")
            .bind(0, passwordHash)
            .bind(1, name.value())
            .execute() > 0;
      }
    };
  }

  /** Moves messages addressed to {@code recipient} forward to {@code to}; returns those changed. */
  public static WriteTask<List<ChatMessage>> advance(UserName recipient, Collection<Long> ids, DeliveryState to) {
    Objects.requireNonNull(recipient, "recipient");
    TreeSet<Long> wanted = new TreeSet<>();
    for (Long id : ids) {
      if (id != null && id > 0) {
        wanted.add(id);
      }
    }
    long[] idArray = wanted.stream().mapToLong(Long::longValue).toArray();
    return new WriteTask<>() {
      @Override
      List<ChatMessage> apply(WriterSession session) {
        long recipientId = session.userId(recipient);
        if (recipientId < 0 || idArray.length == 0) {
          return new ArrayList<>();
        }
        List<ChatMessage> changed = session.handle()
            .createQuery(ADVANCE)
            .bind("to", (short) to.code())
            .bind("recipient", recipientId)
            .bind("ids", idArray)
            .map((rs, ctx) -> ChatMessage.builder()
                .id(rs.getLong(1))
                .sender(UserName.of(rs.getString(2)))
                .recipient(recipient)
                .body(rs.getString(3))
                .sentAt(rs.getObject(4, OffsetDateTime.class).toInstant())
                .state(to)
                .build())
            .list();
        // RETURNING has no order; the contract reports changes in id order.
        List<ChatMessage> sorted = new ArrayList<>(changed);
        sorted.sort(Comparator.comparingLong(ChatMessage::id));
        return sorted;
      }
    };
  }

  /** Appends messages atomically; see {@link AppendTask}. */
  public static WriteTask<List<ChatMessage>> append(List<NewMessage> messages) {
    return new AppendTask(List.copyOf(messages));
  }

  /** Whether {@code task} appends messages, so that its transaction must hold the append lock. */
  static boolean isAppend(WriteTask<?> task) {
    return task instanceof AppendTask;
  }

  /** Whether {@code task}'s transaction must hold the append lock: it appends, keyed or not. */
  static boolean needsAppendLock(WriteTask<?> task) {
    return task instanceof AppendTask || task instanceof DeviceSql.KeyedAppend;
  }
}
