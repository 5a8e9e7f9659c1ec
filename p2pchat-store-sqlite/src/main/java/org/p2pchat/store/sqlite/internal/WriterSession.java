package org.p2pchat.store.sqlite.internal;

import org.jdbi.v3.core.Handle;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.UserName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What write tasks work with on the writer thread: the writer's handle, the DAOs attached to it
 * and a cache of user ids. Confined to the writer thread.
 */
final class WriterSession {
  private static final Logger LOG = LoggerFactory.getLogger(WriterSession.class);

  private final Handle handle;
  private final UserDao users;
  private final MessageDao messages;
  private final UserIds userIds;
  private final Statements statements;

  WriterSession(Handle handle) {
    this.handle = handle;
    this.users = handle.attach(UserDao.class);
    this.messages = handle.attach(MessageDao.class);
    this.userIds = new UserIds(users);
    this.statements = new Statements(handle.getConnection());
  }

  /** The writer's prepared statements, reused batch after batch. */
  Statements statements() {
    return statements;
  }

  Handle handle() {
    return handle;
  }

  UserDao users() {
    return users;
  }

  MessageDao messages() {
    return messages;
  }

  /**
   * The user's row id, or -1 when there is no such user. Users are never deleted or renamed, so
   * an id seen once stays right unless the transaction that created it rolls back: then
   * {@link #forgetUncommitted()} must be called.
   */
  long userId(UserName name) {
    return userIds.of(name);
  }

  /** Drops cached ids that may come from rolled-back work. */
  void forgetUncommitted() {
    userIds.clear();
  }

  /**
   * Runs one task inside a savepoint and records its outcome: a ChatException is the task's
   * expected refusal, anything else an internal failure; either way only the task's own work is
   * rolled back. A failure to roll back (the transaction itself is gone) propagates, failing the
   * batch.
   */
  <T> void runInSavepoint(WriteTask<T> task) {
    statements.savepoint();
    try {
      T result = task.apply(this);
      statements.release();
      task.succeed(result);
    } catch (ChatException e) {
      rollbackToSavepoint();
      task.fail(e);
    } catch (RuntimeException e) {
      rollbackToSavepoint();
      LOG.warn("a store write failed and was rolled back alone", e);
      task.fail(new ChatException(ErrorCode.INTERNAL, "the store failed to write", e));
    }
  }

  /**
   * Runs {@code work} inside a savepoint.
   *
   * @return true when it succeeded; false when it failed and was rolled back
   */
  boolean tryInSavepoint(Runnable work) {
    statements.savepoint();
    try {
      work.run();
      statements.release();
      return true;
    } catch (RuntimeException e) {
      rollbackToSavepoint();
      LOG.debug("a grouped append failed; retrying its tasks one by one", e);
      return false;
    }
  }

  private void rollbackToSavepoint() {
    statements.rollbackToSavepoint();
    statements.release();
    forgetUncommitted();
  }
}
