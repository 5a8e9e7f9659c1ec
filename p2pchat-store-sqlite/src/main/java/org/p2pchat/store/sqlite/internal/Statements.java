package org.p2pchat.store.sqlite.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The writer's statements of every batch, each prepared once on the writer's connection and
 * reused: transaction and savepoint control, the message insert and the id reads around it. A
 * batch of a few messages otherwise spends most of its writer time having Jdbi render and SQLite
 * prepare the same eight statements again (measured in docs/benchmarks.md). Confined to the
 * writer thread; closed with the writer's handle.
 */
final class Statements {
  private final PreparedStatement begin;
  private final PreparedStatement commit;
  private final PreparedStatement rollback;
  private final PreparedStatement savepoint;
  private final PreparedStatement release;
  private final PreparedStatement rollbackToSavepoint;
  private final PreparedStatement insert;
  private final PreparedStatement lastAssignedId;
  private final PreparedStatement lastInsertRowid;

  Statements(Connection c) {
    try {
      begin = c.prepareStatement("BEGIN IMMEDIATE");
      commit = c.prepareStatement("COMMIT");
      rollback = c.prepareStatement("ROLLBACK");
      savepoint = c.prepareStatement("SAVEPOINT task");
      release = c.prepareStatement("RELEASE task");
      rollbackToSavepoint = c.prepareStatement("ROLLBACK TO task");
      insert = c.prepareStatement(
          "INSERT INTO messages (sender_id, recipient_id, body, sent_at) VALUES (?, ?, ?, ?)");
      lastAssignedId = c.prepareStatement("SELECT seq FROM sqlite_sequence WHERE name = 'messages'");
      lastInsertRowid = c.prepareStatement("SELECT last_insert_rowid()");
    } catch (SQLException e) {
      throw new StoreSqlException(e);
    }
  }

  void begin() {
    run(begin);
  }

  void commit() {
    run(commit);
  }

  void rollback() {
    run(rollback);
  }

  void savepoint() {
    run(savepoint);
  }

  void release() {
    run(release);
  }

  void rollbackToSavepoint() {
    run(rollbackToSavepoint);
  }

  /** Adds one message row to the insert's batch. */
  void addInsert(long senderId, long recipientId, String body, long sentAtMillis) {
    try {
      insert.setLong(1, senderId);
      insert.setLong(2, recipientId);
      insert.setString(3, body);
      insert.setLong(4, sentAtMillis);
      insert.addBatch();
    } catch (SQLException e) {
      throw new StoreSqlException(e);
    }
  }

  /** Runs the rows added since the last call; on failure none of them stays queued. */
  void executeInserts() {
    try {
      insert.executeBatch();
    } catch (SQLException e) {
      clearInserts();
      throw new StoreSqlException(e);
    }
  }

  private void clearInserts() {
    try {
      insert.clearBatch();
    } catch (SQLException e) {
      // The batch failed already; that failure is the one reported.
    }
  }

  /** The highest message id ever assigned (AUTOINCREMENT's sequence), 0 before the first. */
  long lastAssignedId() {
    return queryLong(lastAssignedId, 0);
  }

  /** The row id of this connection's last insert. */
  long lastInsertRowid() {
    return queryLong(lastInsertRowid, 0);
  }

  private static long queryLong(PreparedStatement query, long ifNone) {
    try (ResultSet r = query.executeQuery()) {
      return r.next() ? r.getLong(1) : ifNone;
    } catch (SQLException e) {
      throw new StoreSqlException(e);
    }
  }

  private static void run(PreparedStatement statement) {
    try {
      statement.execute();
    } catch (SQLException e) {
      throw new StoreSqlException(e);
    }
  }

  /** A failed statement of the writer; its cause is the driver's exception. */
  static final class StoreSqlException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StoreSqlException(SQLException cause) {
      super("a store statement failed (SQLite code " + cause.getErrorCode() + ")", cause);
    }
  }
}
