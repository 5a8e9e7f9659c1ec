package org.p2pchat.store.sqlite.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.AdminOperation;
import org.p2pchat.api.store.AdminStore;
import org.p2pchat.api.store.StoreStats;
import org.p2pchat.api.store.UserAccount;

/**
 * The SQLite store's {@link AdminStore}: reads on the reader connections, writes as tasks of the
 * group-commit writer, each its own small savepoint among the other writes. Thread-safe.
 */
public final class SqliteAdminStore implements AdminStore {
  private final GroupCommitWriter writer;
  private final ReaderPool readers;
  private final Clock clock;

  /** The facet of the store that owns {@code writer} and {@code readers}. */
  public SqliteAdminStore(GroupCommitWriter writer, ReaderPool readers, Clock clock) {
    this.writer = writer;
    this.readers = readers;
    this.clock = clock;
  }

  @Override
  public CompletableFuture<List<UserAccount>> listUsers(String nameContains, int limit) {
    Objects.requireNonNull(nameContains, "nameContains");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1: " + limit);
    }
    return readers.submit(r -> r.admin().list(nameContains, limit));
  }

  @Override
  public CompletableFuture<Optional<UserAccount>> findAccount(UserName name) {
    Objects.requireNonNull(name, "name");
    return readers.submit(r -> r.admin().find(name.value()));
  }

  @Override
  public CompletableFuture<Boolean> recordLogin(UserName name, Instant at) {
    Objects.requireNonNull(name, "name");
    long millis = at.toEpochMilli();
    return writer.submit(task(s -> admin(s).recordLogin(name.value(), millis)));
  }

  @Override
  public CompletableFuture<Boolean> setDisabled(UserName name, boolean disabled) {
    Objects.requireNonNull(name, "name");
    return writer.submit(task(s -> {
      AdminDao dao = admin(s);
      boolean found = dao.setDisabled(name.value(), disabled);
      if (found && disabled) {
        record(dao, AdminOperation.Kind.DISABLED, name, 0);
      }
      return found;
    }));
  }

  @Override
  public CompletableFuture<List<Long>> revokeAllDevices(UserName name) {
    Objects.requireNonNull(name, "name");
    return writer.submit(task(s -> {
      AdminDao dao = admin(s);
      if (dao.liveId(name.value()).isEmpty()) {
        return List.<Long>of();
      }
      List<Long> ids = DeviceSql.revoke(name, 0).apply(s);
      record(dao, AdminOperation.Kind.DEVICES_REVOKED, name, ids.isEmpty() ? 0 : ids.get(ids.size() - 1));
      return ids;
    }));
  }

  @Override
  public CompletableFuture<Boolean> resetPassword(UserName name, String passwordHash) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(passwordHash, "passwordHash");
    return writer.submit(task(s -> {
      AdminDao dao = admin(s);
      if (dao.liveId(name.value()).isEmpty() || !s.users().setPasswordHash(name.value(), passwordHash)) {
        return false;
      }
      record(dao, AdminOperation.Kind.PASSWORD_RESET, name, 0);
      return true;
    }));
  }

  @Override
  public CompletableFuture<List<AdminOperation>> operationsAfter(long afterId, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1: " + limit);
    }
    return readers.submit(r -> r.handle().createQuery("SELECT id, kind, user_name, device_ids_up_to"
            + " FROM admin_operations WHERE id > ? ORDER BY id LIMIT ?")
        .bind(0, afterId).bind(1, limit)
        .map((rs, ctx) -> AdminOperation.of(rs.getLong(1), AdminOperation.Kind.of(rs.getInt(2)),
            UserName.of(rs.getString(3)), rs.getLong(4)))
        .list());
  }

  @Override
  public CompletableFuture<Long> latestOperationId() {
    return readers.submit(r -> r.admin().latestOperationId());
  }

  private void record(AdminDao dao, AdminOperation.Kind kind, UserName name, long deviceIdsUpTo) {
    dao.recordOperation(kind.code(), name.value(), deviceIdsUpTo, clock.millis());
    dao.pruneOperations(MAX_KEPT_OPERATIONS);
  }

  @Override
  public CompletableFuture<Optional<Long>> deleteUser(UserName name) {
    Objects.requireNonNull(name, "name");
    return writer.submit(task(s -> {
      AdminDao dao = admin(s);
      var id = dao.liveId(name.value());
      if (id.isEmpty()) {
        return Optional.<Long>empty();
      }
      long deleted = dao.deleteMessagesOf(id.getAsLong()) + dao.deleteRoomMessagesOf(id.getAsLong());
      dao.deleteDevicesOf(id.getAsLong());
      dao.markDeleted(id.getAsLong(), clock.millis());
      s.forgetUncommitted(); // the cached id of the name now names a deleted account
      record(dao, AdminOperation.Kind.DELETED, name, 0);
      return Optional.of(deleted);
    }));
  }

  @Override
  public CompletableFuture<Integer> purgeMessagesBefore(Instant cutoff, int maxMessages) {
    Objects.requireNonNull(cutoff, "cutoff");
    if (maxMessages < 1) {
      throw new IllegalArgumentException("maxMessages must be >= 1: " + maxMessages);
    }
    long millis = cutoff.toEpochMilli();
    return writer.submit(task(s -> admin(s).purgeBefore(millis, maxMessages)));
  }

  @Override
  public CompletableFuture<Integer> purgeRoomMessagesBefore(Instant cutoff, int maxMessages) {
    Objects.requireNonNull(cutoff, "cutoff");
    if (maxMessages < 1) {
      throw new IllegalArgumentException("maxMessages must be >= 1: " + maxMessages);
    }
    long millis = cutoff.toEpochMilli();
    return writer.submit(task(s -> admin(s).purgeRoomMessagesBefore(millis, maxMessages)));
  }

  @Override
  public CompletableFuture<StoreStats> stats() {
    return readers.submit(r -> {
      AdminDao dao = r.admin();
      return StoreStats.of(dao.users(), dao.messages(), dao.roomMessages(), dao.bytes());
    });
  }

  private static AdminDao admin(WriterSession s) {
    return s.handle().attach(AdminDao.class);
  }

  private interface Work<T> {
    T apply(WriterSession session);
  }

  private static <T> WriteTask<T> task(Work<T> work) {
    return new WriteTask<>() {
      @Override
      T apply(WriterSession session) {
        return work.apply(session);
      }
    };
  }
}
