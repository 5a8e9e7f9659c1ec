package org.p2pchat.store.sqlite.internal;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.AccountStore;
import org.p2pchat.api.store.StoredUser;

/**
 * The SQLite store's {@link AccountStore}: each call one task of the group-commit writer, its own
 * savepoint among the other writes. Thread-safe.
 */
public final class SqliteAccountStore implements AccountStore {
  private final GroupCommitWriter writer;
  private final BooleanSupplier closed;

  /** The facet of the store whose writer and closed flag these are. */
  public SqliteAccountStore(GroupCommitWriter writer, BooleanSupplier closed) {
    this.writer = writer;
    this.closed = closed;
  }

  @Override
  public CompletableFuture<Boolean> deleteAccount(UserName name, Instant at) {
    Objects.requireNonNull(name, "name");
    long atMillis = at.toEpochMilli();
    return write(new WriteTask<>() {
      @Override
      Boolean apply(WriterSession session) {
        OptionalLong id = session.handle().attach(AdminDao.class).liveId(name.value());
        if (id.isEmpty()) {
          return false;
        }
        AccountSql.delete(session.handle(), id.getAsLong(), atMillis);
        session.forgetUncommitted(); // the cached id of the name now names a deleted account
        return true;
      }
    });
  }

  @Override
  public CompletableFuture<Void> createUser(StoredUser user, Instant quarantineEnd) {
    Objects.requireNonNull(user, "user");
    long cutoff = quarantineEnd.toEpochMilli();
    return write(new WriteTask<>() {
      @Override
      Void apply(WriterSession session) {
        String name = user.name().value();
        long created = user.createdAt().toEpochMilli();
        if (!session.users().insert(name, user.passwordHash(), created)
            && !AccountSql.reclaim(session.handle(), name, user.passwordHash(), created, cutoff)) {
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
