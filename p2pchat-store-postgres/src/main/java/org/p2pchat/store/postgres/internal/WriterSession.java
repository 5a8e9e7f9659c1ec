package org.p2pchat.store.postgres.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.UserName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What write tasks work with on the writer thread: the handle of the batch's transaction and a
 * cache of user ids that outlives batches. Confined to the writer thread.
 */
final class WriterSession {
  private static final Logger LOG = LoggerFactory.getLogger(WriterSession.class);
  /** Bounds the cache: user names arrive from peers. */
  private static final int MAX_CACHED_USERS = 10_000;

  private Handle handle;
  private final Map<String, Long> userIds = new LinkedHashMap<>(256, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
      return size() > MAX_CACHED_USERS;
    }
  };

  /** Starts work on the next batch's handle, whose transaction is open. */
  void use(Handle batchHandle) {
    this.handle = batchHandle;
  }

  Handle handle() {
    return handle;
  }

  /**
   * The user's row id, or -1 when there is no such user (yet: another node may create it any
   * time, so only ids found are cached). Users are never deleted or renamed, so an id seen once
   * stays right unless the transaction that created it rolls back: then
   * {@link #forgetUncommitted()} must be called.
   */
  long userId(UserName name) {
    Long cached = userIds.get(name.value());
    if (cached != null) {
      return cached;
    }
    OptionalLong id = Reads.userId(handle, name);
    if (id.isEmpty()) {
      return -1;
    }
    userIds.put(name.value(), id.getAsLong());
    return id.getAsLong();
  }

  /** Drops cached ids that may come from rolled-back work. */
  void forgetUncommitted() {
    userIds.clear();
  }

  /**
   * Runs one task inside a savepoint and records its outcome: a ChatException is the task's
   * expected refusal, anything else a failure (SERVER_BUSY when it is transient, such as a lock
   * timeout, INTERNAL otherwise); either way only the task's own work is rolled back. A failure
   * to roll back (the transaction or the connection itself is gone) propagates, failing the
   * batch.
   */
  <T> void runInSavepoint(WriteTask<T> task) {
    handle.execute("SAVEPOINT task");
    try {
      T result = task.apply(this);
      handle.execute("RELEASE SAVEPOINT task");
      task.succeed(result);
    } catch (ChatException e) {
      rollbackToSavepoint();
      task.fail(e);
    } catch (RuntimeException e) {
      rollbackToSavepoint();
      LOG.warn("a store write failed and was rolled back alone", e);
      task.fail(Failures.of(e, "the store failed to write"));
    }
  }

  /**
   * Runs the only task of a transaction, without a savepoint, and records its outcome as
   * {@link #runInSavepoint} does.
   *
   * @return true when it succeeded and the transaction should commit; false when it failed and
   *     the transaction must be rolled back
   */
  <T> boolean runAlone(WriteTask<T> task) {
    try {
      task.succeed(task.apply(this));
      return true;
    } catch (ChatException e) {
      task.fail(e);
      return false;
    } catch (RuntimeException e) {
      LOG.warn("a store write failed and was rolled back", e);
      task.fail(Failures.of(e, "the store failed to write"));
      return false;
    }
  }

  /**
   * Runs {@code work} inside a savepoint.
   *
   * @return true when it succeeded; false when it failed and was rolled back
   */
  boolean tryInSavepoint(Runnable work) {
    handle.execute("SAVEPOINT task");
    try {
      work.run();
      handle.execute("RELEASE SAVEPOINT task");
      return true;
    } catch (RuntimeException e) {
      rollbackToSavepoint();
      LOG.debug("a grouped append failed; retrying its tasks one by one", e);
      return false;
    }
  }

  private void rollbackToSavepoint() {
    handle.execute("ROLLBACK TO SAVEPOINT task");
    handle.execute("RELEASE SAVEPOINT task");
    forgetUncommitted();
  }
}
