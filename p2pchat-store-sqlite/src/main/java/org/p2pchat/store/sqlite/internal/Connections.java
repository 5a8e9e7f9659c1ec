package org.p2pchat.store.sqlite.internal;

import java.nio.file.Path;
import java.sql.SQLException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.p2pchat.store.sqlite.StoreOpenException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * Opens the store's SQLite connections, each configured the same way: busy timeout, foreign keys
 * on, the chosen synchronous mode, no generated-key fetching (DESIGN 10: it costs 20-40% of an
 * insert and the writer knows its ids without it).
 */
public final class Connections {
  private Connections() {}

  /**
   * A Jdbi over {@code file} that never creates the file (StoreFiles did, with the right
   * permissions), renders no statement details into exception messages, since bound arguments
   * include password hashes, and attaches the store's SqlObject DAOs.
   */
  public static Jdbi jdbi(Path file, boolean fullSync, int busyTimeoutMillis) {
    SQLiteConfig config = new SQLiteConfig();
    config.resetOpenMode(SQLiteOpenMode.CREATE);
    config.setBusyTimeout(busyTimeoutMillis);
    config.enforceForeignKeys(true);
    config.setSynchronous(fullSync ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
    config.setGetGeneratedKeys(false);
    String url = "jdbc:sqlite:" + file.toAbsolutePath();
    Jdbi jdbi = Jdbi.create(() -> config.createConnection(url));
    jdbi.getConfig(StatementExceptions.class)
        .setMessageRendering(StatementExceptions.MessageRendering.NONE);
    jdbi.installPlugin(new SqlObjectPlugin());
    return jdbi;
  }

  /**
   * Opens a handle, turning any failure into a {@link StoreOpenException} that names the file.
   */
  public static Handle open(Jdbi jdbi, Path file) throws StoreOpenException {
    try {
      return jdbi.open();
    } catch (RuntimeException e) {
      throw openFailure(file, e);
    }
  }

  /** Classifies a failure met while opening {@code file} into a clear open error. */
  public static StoreOpenException openFailure(Path file, Throwable failure) {
    SQLException sql = findSqlException(failure);
    int code = sql == null ? -1 : sql.getErrorCode() & 0xff;
    StoreOpenException.Reason reason;
    String cause;
    switch (code) {
      case 5: // SQLITE_BUSY
      case 6: // SQLITE_LOCKED
        reason = StoreOpenException.Reason.LOCKED;
        cause = "it is locked by another connection or process";
        break;
      case 11: // SQLITE_CORRUPT
      case 26: // SQLITE_NOTADB
        reason = StoreOpenException.Reason.CORRUPT;
        cause = "it is not a SQLite database or it is corrupt";
        break;
      default:
        reason = StoreOpenException.Reason.UNREADABLE;
        cause = "SQLite cannot use it";
        break;
    }
    String detail = sql != null ? sql.getMessage() : String.valueOf(failure);
    return new StoreOpenException(file, reason,
        "cannot open p2pchat database " + file + ": " + cause + " (" + detail + ")", failure);
  }

  private static SQLException findSqlException(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException) {
        return (SQLException) t;
      }
    }
    return null;
  }
}
