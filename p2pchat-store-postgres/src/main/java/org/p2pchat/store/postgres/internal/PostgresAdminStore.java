package org.p2pchat.store.postgres.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.AdminOperation;
import org.p2pchat.api.store.AdminStore;
import org.p2pchat.api.store.StoreStats;
import org.p2pchat.api.store.UserAccount;

/**
 * The PostgreSQL store's {@link AdminStore}: reads on the reader pool, writes as tasks of the
 * group-commit writer. A deleted account keeps its row (name reserved) with {@code deleted_at}
 * set and is left out of every read. Thread-safe.
 */
public final class PostgresAdminStore implements AdminStore {
  private static final String ACCOUNT = "SELECT name, created_at, last_login_at, disabled FROM users";

  private final GroupCommitWriter writer;
  private final ReaderPool readers;
  private final Clock clock;

  /** The facet of the store that owns {@code writer} and {@code readers}. */
  public PostgresAdminStore(GroupCommitWriter writer, ReaderPool readers, Clock clock) {
    this.writer = writer;
    this.readers = readers;
    this.clock = clock;
  }

  private static UserAccount account(java.sql.ResultSet rs) throws java.sql.SQLException {
    OffsetDateTime last = rs.getObject(3, OffsetDateTime.class);
    return UserAccount.of(UserName.of(rs.getString(1)), rs.getObject(2, OffsetDateTime.class).toInstant(),
        Optional.ofNullable(last).map(OffsetDateTime::toInstant), rs.getBoolean(4));
  }

  private static OffsetDateTime utc(Instant at) {
    return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
  }

  @Override
  public CompletableFuture<List<UserAccount>> listUsers(String nameContains, int limit) {
    Objects.requireNonNull(nameContains, "nameContains");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1: " + limit);
    }
    String part = nameContains.toLowerCase(Locale.ROOT);
    return readers.submit(h -> h.createQuery(ACCOUNT + " WHERE deleted_at IS NULL AND strpos(name, ?) > 0"
            + " ORDER BY name LIMIT ?")
        .bind(0, part).bind(1, limit).map((rs, ctx) -> account(rs)).list());
  }

  @Override
  public CompletableFuture<Optional<UserAccount>> findAccount(UserName name) {
    Objects.requireNonNull(name, "name");
    return readers.submit(h -> h.createQuery(ACCOUNT + " WHERE deleted_at IS NULL AND name = ?")
        .bind(0, name.value()).map((rs, ctx) -> account(rs)).findOne());
  }

  @Override
  public CompletableFuture<Boolean> recordLogin(UserName name, Instant at) {
    Objects.requireNonNull(name, "name");
    OffsetDateTime when = utc(at);
    return writer.submit(task(h -> h.createUpdate(
            "UPDATE users SET last_login_at = ? WHERE name = ? AND deleted_at IS NULL")
        .bind(0, when).bind(1, name.value()).execute() > 0));
  }

  @Override
  public CompletableFuture<Boolean> setDisabled(UserName name, boolean disabled) {
    Objects.requireNonNull(name, "name");
    return writer.submit(task(h -> {
      boolean found = h.createUpdate("UPDATE users SET disabled = ? WHERE name = ? AND deleted_at IS NULL")
          .bind(0, disabled).bind(1, name.value()).execute() > 0;
      if (found && disabled) {
        record(h, AdminOperation.Kind.DISABLED, name, 0);
      }
      return found;
    }));
  }

  @Override
  public CompletableFuture<List<Long>> revokeAllDevices(UserName name) {
    Objects.requireNonNull(name, "name");
    return writer.submit(new WriteTask<>() {
      @Override
      List<Long> apply(WriterSession session) {
        Handle h = session.handle();
        if (liveId(h, name).isEmpty()) {
          return List.of();
        }
        List<Long> ids = DeviceSql.revoke(name, 0).apply(session);
        record(h, AdminOperation.Kind.DEVICES_REVOKED, name, ids.isEmpty() ? 0 : ids.get(ids.size() - 1));
        return ids;
      }
    });
  }

  @Override
  public CompletableFuture<Boolean> resetPassword(UserName name, String passwordHash) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(passwordHash, "passwordHash");
    return writer.submit(task(h -> {
      Optional<Long> id = liveId(h, name);
      if (id.isEmpty()) {
        return false;
      }
      h.createUpdate("UPDATE users SET password_hash = ? WHERE id = ?").bind(0, passwordHash).bind(1, id.get())
          .execute();
      record(h, AdminOperation.Kind.PASSWORD_RESET, name, 0);
      return true;
    }));
  }

  @Override
  public CompletableFuture<List<AdminOperation>> operationsAfter(long afterId, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1: " + limit);
    }
    return readers.submit(h -> h.createQuery("SELECT id, kind, user_name, device_ids_up_to"
            + " FROM admin_operations WHERE id > ? ORDER BY id LIMIT ?")
        .bind(0, afterId).bind(1, limit)
        .map((rs, ctx) -> AdminOperation.of(rs.getLong(1), AdminOperation.Kind.of(rs.getInt(2)),
            UserName.of(rs.getString(3)), rs.getLong(4)))
        .list());
  }

  @Override
  public CompletableFuture<Long> latestOperationId() {
    return readers.submit(h -> h.createQuery("SELECT coalesce(max(id), 0) FROM admin_operations")
        .mapTo(Long.class).one());
  }

  private static Optional<Long> liveId(Handle h, UserName name) {
    return h.createQuery("SELECT id FROM users WHERE name = ? AND deleted_at IS NULL FOR UPDATE")
        .bind(0, name.value()).mapTo(Long.class).findOne();
  }

  /** Records an operation, keeping the newest {@link #MAX_KEPT_OPERATIONS}: the table stays bounded. */
  private void record(Handle h, AdminOperation.Kind kind, UserName name, long deviceIdsUpTo) {
    h.createUpdate("INSERT INTO admin_operations (kind, user_name, device_ids_up_to, at) VALUES (?, ?, ?, ?)")
        .bind(0, (short) kind.code()).bind(1, name.value()).bind(2, deviceIdsUpTo).bind(3, clock.millis()).execute();
    h.createUpdate("DELETE FROM admin_operations WHERE id <"
            + " (SELECT min(id) FROM (SELECT id FROM admin_operations ORDER BY id DESC LIMIT ?) newest)")
        .bind(0, MAX_KEPT_OPERATIONS).execute();
  }

  @Override
  public CompletableFuture<Integer> purgeRoomMessagesBefore(Instant cutoff, int maxMessages) {
    Objects.requireNonNull(cutoff, "cutoff");
    if (maxMessages < 1) {
      throw new IllegalArgumentException("maxMessages must be >= 1: " + maxMessages);
    }
    long before = cutoff.toEpochMilli();
    return writer.submit(task(h -> h.createUpdate("DELETE FROM room_messages WHERE id IN"
            + " (SELECT id FROM room_messages WHERE sent_at < ? ORDER BY id LIMIT ?)")
        .bind(0, before).bind(1, maxMessages).execute()));
  }

  @Override
  public CompletableFuture<Optional<Long>> deleteUser(UserName name) {
    Objects.requireNonNull(name, "name");
    return writer.submit(forgetting(h -> {
      Optional<Long> id = h.createQuery("SELECT id FROM users WHERE name = ? AND deleted_at IS NULL FOR UPDATE")
          .bind(0, name.value()).mapTo(Long.class).findOne();
      if (id.isEmpty()) {
        return Optional.<Long>empty();
      }
      long deleted = h.createUpdate("DELETE FROM messages WHERE sender_id = ? OR recipient_id = ?")
          .bind(0, id.get()).bind(1, id.get()).execute();
      deleted += h.createUpdate("DELETE FROM room_messages WHERE sender_id = ?").bind(0, id.get()).execute();
      h.createUpdate("DELETE FROM devices WHERE user_id = ?").bind(0, id.get()).execute();
      h.createUpdate("UPDATE users SET deleted_at = ?, password_hash = '', disabled = true WHERE id = ?")
          .bind(0, utc(clock.instant())).bind(1, id.get()).execute();
      record(h, AdminOperation.Kind.DELETED, name, 0);
      return Optional.of(deleted);
    }));
  }

  @Override
  public CompletableFuture<Integer> purgeMessagesBefore(Instant cutoff, int maxMessages) {
    Objects.requireNonNull(cutoff, "cutoff");
    if (maxMessages < 1) {
      throw new IllegalArgumentException("maxMessages must be >= 1: " + maxMessages);
    }
    OffsetDateTime before = utc(cutoff);
    return writer.submit(task(h -> h.createUpdate("DELETE FROM messages WHERE id IN"
            + " (SELECT id FROM messages WHERE sent_at < ? ORDER BY id LIMIT ?)")
        .bind(0, before).bind(1, maxMessages).execute()));
  }

  @Override
  public CompletableFuture<StoreStats> stats() {
    return readers.submit(h -> StoreStats.of(
        h.createQuery("SELECT count(*) FROM users WHERE deleted_at IS NULL").mapTo(Long.class).one(),
        h.createQuery("SELECT count(*) FROM messages").mapTo(Long.class).one(),
        h.createQuery("SELECT count(*) FROM room_messages").mapTo(Long.class).one(),
        // Every table of the store's schema, with its indexes and TOAST.
        h.createQuery("SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c"
            + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'")
            .mapTo(Long.class).one()));
  }

  /** A task after which the writer forgets its cached user ids: one may name a deleted account. */
  private static <T> WriteTask<T> forgetting(Function<Handle, T> work) {
    return new WriteTask<>() {
      @Override
      T apply(WriterSession session) {
        T result = work.apply(session.handle());
        session.forgetUncommitted();
        return result;
      }
    };
  }

  private static <T> WriteTask<T> task(Function<Handle, T> work) {
    return new WriteTask<>() {
      @Override
      T apply(WriterSession session) {
        return work.apply(session.handle());
      }
    };
  }
}
