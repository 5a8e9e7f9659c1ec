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
    return writer.submit(task(h -> h.createUpdate(
            "UPDATE users SET disabled = ? WHERE name = ? AND deleted_at IS NULL")
        .bind(0, disabled).bind(1, name.value()).execute() > 0));
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
      h.createUpdate("DELETE FROM devices WHERE user_id = ?").bind(0, id.get()).execute();
      h.createUpdate("UPDATE users SET deleted_at = ?, password_hash = '', disabled = true WHERE id = ?")
          .bind(0, utc(clock.instant())).bind(1, id.get()).execute();
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
        h.createQuery("SELECT pg_total_relation_size('users') + pg_total_relation_size('messages')")
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
