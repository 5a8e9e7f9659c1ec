package org.p2pchat.store.sqlite.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.p2pchat.api.ChatMessage;

/**
 * The writer's statements of every batch, each prepared once on the writer's connection and
 * reused: transaction and savepoint control, the message insert and the id reads around it, and
 * the point look-up and update of a delivery or read mark. A
 * batch of a few messages otherwise spends most of its writer time having Jdbi render and SQLite
 * prepare the same eight statements again (measured in docs/benchmarks.md). Confined to the
 * writer thread; closed with the writer's handle.
 */
final class Statements {
  private static final MessageMapper MAPPER = new MessageMapper();

  private final PreparedStatement begin;
  private final PreparedStatement commit;
  private final PreparedStatement rollback;
  private final PreparedStatement savepoint;
  private final PreparedStatement release;
  private final PreparedStatement rollbackToSavepoint;
  private final PreparedStatement insert;
  private final PreparedStatement lastAssignedId;
  private final PreparedStatement lastInsertRowid;
  private final PreparedStatement addressedBelow;
  private final PreparedStatement setState;

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
      addressedBelow = c.prepareStatement("SELECT " + MessageMapper.COLUMNS + " FROM messages m"
          + MessageMapper.JOIN_NAMES + " WHERE m.id = ? AND m.recipient_id = ? AND m.state < ?");
      setState = c.prepareStatement("UPDATE messages SET state = ? WHERE id = ?");
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

  /**
   * The message {@code id} if it is addressed to the recipient and its state is below
   * {@code state}, else null: a point look-up by primary key.
   */
  ChatMessage addressedBelow(long id, long recipientId, int state) {
    try {
      addressedBelow.setLong(1, id);
      addressedBelow.setLong(2, recipientId);
      addressedBelow.setInt(3, state);
      try (ResultSet r = addressedBelow.executeQuery()) {
        return r.next() ? MAPPER.map(r, null) : null;
      }
    } catch (SQLException e) {
      throw new StoreSqlException(e);
    }
  }

  /** Sets the state of the messages {@code ids}, one batch of point updates. */
  void setState(int state, List<Long> ids) {
    try {
      for (Long id : ids) {
        setState.setInt(1, state);
        setState.setLong(2, id);
        setState.addBatch();
      }
      setState.executeBatch();
    } catch (SQLException e) {
      try {
        setState.clearBatch();
      } catch (SQLException ignored) {
        // the first failure is the one reported
      }
      throw new StoreSqlException(e);
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
