package org.p2pchat.store.postgres.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Properties;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.p2pchat.store.postgres.StoreOpenException;
import org.postgresql.Driver;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Builds the store's connections, all configured in this one place: the driver's data source
 * (timeouts, keepalive, batched-insert rewriting, session settings), the pool over it, and the
 * Jdbi instance over either. Also turns a failure at open into a {@link StoreOpenException}
 * whose message names the target and never the password.
 */
public final class Connections {
  /** What the store's sessions show as {@code application_name} in {@code pg_stat_activity}. */
  public static final String APPLICATION_NAME = "p2pchat-store";

  /** The pool's name, which its threads' names start with. */
  static final String POOL_NAME = "p2pchat-store-postgres";

  private Connections() {}

  /**
   * The URL's settings as the driver parses them.
   *
   * @throws IllegalArgumentException when {@code jdbcUrl} is not a PostgreSQL JDBC URL or carries
   *     a password; the message never repeats the URL, which might hold one
   */
  public static Properties parseUrl(String jdbcUrl) {
    Properties parsed = jdbcUrl.startsWith("jdbc:postgresql:") ? Driver.parseURL(jdbcUrl, null) : null;
    if (parsed == null) {
      throw new IllegalArgumentException(
          "jdbcUrl must be a PostgreSQL JDBC URL such as jdbc:postgresql://host:5432/database");
    }
    for (String key : parsed.stringPropertyNames()) {
      if (key.toLowerCase(Locale.ROOT).contains("password")) {
        throw new IllegalArgumentException("jdbcUrl must not carry a password (it would end up in logs);"
            + " pass it with the builder's password(...)");
      }
    }
    return parsed;
  }

  /**
   * Names the database for messages and logs: {@code postgresql://host:port/database as user}.
   * Built from the parsed URL, never from the URL text, so nothing else of it can leak.
   */
  public static String target(Properties url, String user) {
    String hosts = url.getProperty("PGHOST", "localhost");
    String ports = url.getProperty("PGPORT", "5432");
    String[] h = hosts.split(",");
    String[] p = ports.split(",");
    StringBuilder servers = new StringBuilder();
    for (int i = 0; i < h.length; i++) {
      if (i > 0) {
        servers.append(',');
      }
      servers.append(h[i]).append(':').append(i < p.length ? p[i] : p[p.length - 1]);
    }
    return "postgresql://" + servers + "/" + url.getProperty("PGDBNAME", "") + " as " + user;
  }

  /**
   * The driver's data source, which opens one connection per call.
   *
   * <p>Every session gets {@code lock_timeout}, so a writer never waits for another node's lock
   * longer than that, and {@code idle_in_transaction_session_timeout} at the socket timeout, so a
   * node that vanished in the middle of a transaction (a network partition leaves its socket
   * open) releases its locks once it would have given up on the connection itself.
   * {@code enable_bitmapscan} is off because it is the one plan that makes a history page cost as
 * much as the reader's whole history: the planner cannot know how many messages the user named
 * in the query has, guesses the average, and for a guess below the page size prefers reading
 * every matching row through a bitmap and sorting them to an ordered range scan cut at the page
 * size. None of the store's statements wants many rows, so nothing else loses by it.
 * {@code reWriteBatchedInserts} turns a batch of inserts into multi-row inserts: one round trip
   * and one statement per few hundred rows, which is what makes group commit cheap per message.
   */
  public static PGSimpleDataSource dataSource(String jdbcUrl, String user, String password,
      int connectTimeoutSeconds, int socketTimeoutSeconds, long lockTimeoutMillis) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(jdbcUrl);
    ds.setUser(user);
    if (password != null) {
      ds.setPassword(password);
    }
    ds.setConnectTimeout(connectTimeoutSeconds);
    ds.setLoginTimeout(connectTimeoutSeconds);
    ds.setSocketTimeout(socketTimeoutSeconds);
    ds.setTcpKeepAlive(true);
    ds.setReWriteBatchedInserts(true);
    ds.setApplicationName(APPLICATION_NAME);
    String options = "-c lock_timeout=" + lockTimeoutMillis
        + " -c idle_in_transaction_session_timeout=" + socketTimeoutSeconds * 1000L
        + " -c enable_bitmapscan=off";
    String given = ds.getOptions();
    ds.setOptions(given == null || given.isBlank() ? options : given + " " + options);
    return ds;
  }

  /**
   * A fixed-size pool over {@code ds}: one connection per reader thread and one for the writer,
   * opened in the background. It replaces connections that broke (a server restart, a failover)
   * and bounds the wait for one by {@code connectTimeoutMillis}.
   */
  public static HikariDataSource pool(DataSource ds, int size, long connectTimeoutMillis) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(POOL_NAME);
    config.setDataSource(ds);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(size);
    config.setConnectionTimeout(connectTimeoutMillis);
    config.setValidationTimeout(connectTimeoutMillis);
    // The store proved the server reachable just before (and migrated it): do not connect twice.
    config.setInitializationFailTimeout(-1);
    return new HikariDataSource(config);
  }

  /**
   * A Jdbi over {@code ds} with the PostgreSQL plugin (java.time and arrays bound the driver's
   * way) that renders no statement details into exception messages, since bound arguments
   * include password hashes.
   */
  public static Jdbi jdbi(DataSource ds) {
    Jdbi jdbi = Jdbi.create(ds);
    jdbi.installPlugin(new PostgresPlugin());
    jdbi.getConfig(StatementExceptions.class)
        .setMessageRendering(StatementExceptions.MessageRendering.NONE);
    jdbi.registerRowMapper(new MessageMapper());
    return jdbi;
  }

  /** Opens a handle, turning any failure into a {@link StoreOpenException} that names the target. */
  public static Handle open(Jdbi jdbi, String target) throws StoreOpenException {
    try {
      return jdbi.open();
    } catch (RuntimeException e) {
      throw openFailure(target, e);
    }
  }

  /** Classifies a failure met while opening the store into a clear open error. */
  public static StoreOpenException openFailure(String target, Throwable failure) {
    SQLException sql = Failures.findSqlException(failure);
    String state = sql == null || sql.getSQLState() == null ? "" : sql.getSQLState();
    StoreOpenException.Reason reason;
    String cause;
    if (state.equals("28P01") || state.equals("28000")) {
      reason = StoreOpenException.Reason.BAD_CREDENTIALS;
      cause = "the server refused the user name or password (or lets this user not connect from here)";
    } else if (state.equals("3D000")) {
      reason = StoreOpenException.Reason.NO_DATABASE;
      cause = "the server has no such database";
    } else if (state.startsWith("08") || state.equals("57P03") || isNetworkFailure(failure)) {
      reason = StoreOpenException.Reason.UNREACHABLE;
      cause = "no PostgreSQL server answered there";
    } else if (state.equals("42501")) {
      reason = StoreOpenException.Reason.REFUSED;
      cause = "the user lacks a privilege the store needs";
    } else if (state.equals("55P03")) {
      reason = StoreOpenException.Reason.REFUSED;
      cause = "another store held a lock longer than the lock timeout (still migrating the schema?)";
    } else if (state.equals("42P07")) {
      reason = StoreOpenException.Reason.REFUSED;
      cause = "the database holds other tables of the names the store uses";
    } else {
      reason = StoreOpenException.Reason.REFUSED;
      cause = "the server would not let the store work";
    }
    String detail = sql != null ? sql.getMessage() : String.valueOf(failure);
    return new StoreOpenException(target, reason,
        "cannot open p2pchat store " + target + ": " + cause + " (" + detail + ")", failure);
  }

  private static boolean isNetworkFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof NoRouteToHostException
          || t instanceof UnknownHostException || t instanceof SocketTimeoutException) {
        return true;
      }
    }
    return false;
  }
}
