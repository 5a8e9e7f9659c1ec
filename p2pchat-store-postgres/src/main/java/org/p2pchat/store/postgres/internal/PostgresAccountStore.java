package org.p2pchat.store.postgres.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.jdbi.v3.core.Handle;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.AccountStore;
import org.p2pchat.api.store.StoredUser;

/**
 * The PostgreSQL store's {@link AccountStore} (docs/protocol.md section 22): each call one task
 * of the group-commit writer, in its own savepoint. The account's row is locked first, so a
 * deletion and another node's writes for the same user take turns. Thread-safe.
 */
public final class PostgresAccountStore implements AccountStore {
  private final GroupCommitWriter writer;
  private final BooleanSupplier closed;

  /** The facet of the store whose writer and closed flag these are. */
  public PostgresAccountStore(GroupCommitWriter writer, BooleanSupplier closed) {
    this.writer = writer;
    this.closed = closed;
  }

  private static OffsetDateTime utc(Instant at) {
    return OffsetDateTime.ofInstant(at.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC);
  }

  @Override
  public CompletableFuture<Boolean> deleteAccount(UserName name, Instant at) {
    Objects.requireNonNull(name, "name");
    OffsetDateTime when = utc(at);
    return write(new WriteTask<>() {
      @Override
      Boolean apply(WriterSession session) {
        Handle h = session.handle();
        Optional<Long> id = h.createQuery("SELECT id FROM users WHERE name = ? AND deleted_at IS NULL FOR UPDATE")
            .bind(0, name.value()).mapTo(Long.class).findOne();
        if (id.isEmpty()) {
          return false;
        }
        delete(h, id.get(), when);
        session.forgetUncommitted(); // the cached id of the name now names a deleted account
        return true;
      }
    });
  }

  private static void delete(Handle h, long uid, OffsetDateTime at) {
    h.createUpdate("DELETE FROM messages WHERE sender_id = ? OR recipient_id = ?").bind(0, uid).bind(1, uid).execute();
    h.createUpdate("DELETE FROM room_messages WHERE sender_id = ?").bind(0, uid).execute();
    List<Long> rooms = h.createQuery("SELECT room_id FROM room_members WHERE user_id = ? ORDER BY room_id")
        .bind(0, uid).mapTo(Long.class).list();
    for (long room : rooms) {
      h.createUpdate("DELETE FROM room_members WHERE room_id = ? AND user_id = ?").bind(0, room).bind(1, uid).execute();
      int left = h.createQuery("SELECT count(*) FROM room_members WHERE room_id = ?")
          .bind(0, room).mapTo(Integer.class).one();
      if (left == 0) {
        h.createUpdate("DELETE FROM room_messages WHERE room_id = ?").bind(0, room).execute();
        h.createUpdate("DELETE FROM rooms WHERE id = ?").bind(0, room).execute();
      } else {
        // The owner left: the member who joined earliest takes over (a no-op for anyone else).
        h.createUpdate("UPDATE rooms SET owner_id = (SELECT user_id FROM room_members"
                + " WHERE room_id = ? ORDER BY joined LIMIT 1) WHERE id = ? AND owner_id = ?")
            .bind(0, room).bind(1, room).bind(2, uid).execute();
      }
    }
    h.createUpdate("DELETE FROM contacts WHERE owner_id = ? OR other_id = ?").bind(0, uid).bind(1, uid).execute();
    h.createUpdate("DELETE FROM blocks WHERE owner_id = ? OR other_id = ?").bind(0, uid).bind(1, uid).execute();
    h.createUpdate("DELETE FROM devices WHERE user_id = ?").bind(0, uid).execute();
    h.createUpdate("DELETE FROM presence_hidden WHERE user_id = ?").bind(0, uid).execute();
    h.createUpdate("UPDATE users SET deleted_at = ?, password_hash = '', disabled = true, self_deleted = true,"
        + " last_login_at = NULL WHERE id = ?").bind(0, at).bind(1, uid).execute();
  }

  @Override
  public CompletableFuture<Void> createUser(StoredUser user, Instant quarantineEnd) {
    Objects.requireNonNull(user, "user");
    OffsetDateTime cutoff = utc(quarantineEnd);
    return write(new WriteTask<>() {
      @Override
      Void apply(WriterSession session) {
        Handle h = session.handle();
        OffsetDateTime created = utc(user.createdAt());
        int inserted = h.createUpdate("INSERT INTO users (name, password_hash, created_at) VALUES (?, ?, ?)"
                + " ON CONFLICT (name) DO NOTHING")
            .bind(0, user.name().value()).bind(1, user.passwordHash()).bind(2, created).execute();
        if (inserted == 0 && h.createUpdate("UPDATE users SET password_hash = ?, created_at = ?, disabled = false,"
                + " last_login_at = NULL, deleted_at = NULL, self_deleted = false"
                + " WHERE name = ? AND self_deleted AND deleted_at <= ?")
            .bind(0, user.passwordHash()).bind(1, created).bind(2, user.name().value()).bind(3, cutoff)
            .execute() == 0) {
          throw new ChatException(ErrorCode.NAME_TAKEN);
        }
        return null;
      }
    });
  }

  private <T> CompletableFuture<T> write(WriteTask<T> task) {
    if (closed.getAsBoolean()) {
      return CompletableFuture.failedFuture(new ChatException(ErrorCode.CLOSED, "the store is closed"));
    }
    return writer.submit(task);
  }
}
