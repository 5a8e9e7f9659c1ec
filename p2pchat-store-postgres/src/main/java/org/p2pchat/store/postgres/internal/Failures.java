package org.p2pchat.store.postgres.internal;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ErrorCode;

/**
 * Turns a failure of a running store into the error its caller sees. A failure that goes away
 * by itself (the server unreachable or restarting, no pooled connection free in time, a lock
 * wait that timed out, a deadlock or serialization conflict with another node) is
 * {@link ErrorCode#SERVER_BUSY}: nothing was stored and the same request may simply be tried
 * again. Anything else is {@link ErrorCode#INTERNAL}.
 */
final class Failures {
  private Failures() {}

  /** The ChatException for {@code failure}; a ChatException is returned as it is. */
  static ChatException of(Throwable failure, String what) {
    if (failure instanceof ChatException) {
      return (ChatException) failure;
    }
    if (isTransient(failure)) {
      return new ChatException(ErrorCode.SERVER_BUSY,
          what + ": the database is unavailable or contended; try again later", failure);
    }
    return new ChatException(ErrorCode.INTERNAL, what, failure);
  }

  /** Whether {@code failure} says the connection to the server is gone or was never had. */
  static boolean isConnectionLoss(Throwable failure) {
    SQLException sql = findSqlException(failure);
    if (sql instanceof SQLTransientConnectionException) {
      return true;
    }
    String state = sql == null ? null : sql.getSQLState();
    return state != null && (state.startsWith("08") || state.startsWith("57P"));
  }

  private static boolean isTransient(Throwable failure) {
    if (isConnectionLoss(failure)) {
      return true;
    }
    SQLException sql = findSqlException(failure);
    String state = sql == null ? null : sql.getSQLState();
    return state != null
        && (state.startsWith("40") // serialization failure, deadlock detected
            || state.startsWith("53") // insufficient resources: too many connections, out of memory
            || state.equals("55P03")); // lock_not_available: lock_timeout expired
  }

  /** The first SQLException in the cause chain, or null. */
  static SQLException findSqlException(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException) {
        return (SQLException) t;
      }
    }
    return null;
  }
}
