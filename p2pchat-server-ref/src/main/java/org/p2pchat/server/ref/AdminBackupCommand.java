package org.p2pchat.server.ref;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code admin backup FILE}: an online backup with SQLite's {@code VACUUM INTO}: a consistent
 * snapshot of the database as of one moment, taken through a read transaction, so a running
 * server goes on writing meanwhile. The copy is owner-only (it holds password hashes), checked
 * with {@code PRAGMA integrity_check}, and needs no {@code -wal} file beside it.
 */
@Command(name = "backup", mixinStandardHelpOptions = true,
    description = {"Copy the database to FILE while the server runs (SQLite's VACUUM INTO: one consistent "
        + "snapshot), owner-only, and check the copy. Restore: see docs/operations.md."})
final class AdminBackupCommand implements Callable<Integer> {
  @ParentCommand AdminCommand admin;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "Where the copy goes; it must not exist.")
  Path target;

  @Override
  public Integer call() throws StartupException {
    if (admin.isPostgres()) {
      throw new ParameterException(spec.commandLine(), "backup copies a SQLite database; back a PostgreSQL "
          + "database up with its own tool, while the servers run: pg_dump --format=custom --file=p2pchat.dump "
          + "--host=HOST --username=USER DATABASE, restored with pg_restore (see docs/operations.md)");
    }
    Path db = admin.databaseFile();
    if (!Files.isRegularFile(db)) {
      throw new StartupException("there is no p2pchat database at " + db + " (--db or P2PCHAT_DB names it)");
    }
    Path copy = target.toAbsolutePath().normalize();
    createOwnerOnly(copy);
    boolean done = false;
    try {
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
        try (Statement s = c.createStatement()) {
          s.executeQuery("PRAGMA busy_timeout = 5000").close();
        }
        try (PreparedStatement vacuum = c.prepareStatement("VACUUM INTO ?")) {
          vacuum.setString(1, copy.toString());
          vacuum.execute();
        }
      }
      String integrity;
      long users;
      long messages;
      long roomMessages;
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + copy + "?mode=ro");
           Statement s = c.createStatement()) {
        integrity = single(s, "PRAGMA integrity_check");
        users = Long.parseLong(single(s, "SELECT count(*) FROM users"));
        messages = Long.parseLong(single(s, "SELECT count(*) FROM messages"));
        roomMessages = Long.parseLong(single(s, "SELECT count(*) FROM room_messages"));
      }
      if (!"ok".equals(integrity)) {
        throw new StartupException("the copy " + copy + " failed its integrity check: " + integrity);
      }
      done = true;
      admin.out().println("backed up " + db + " to " + copy + " (" + users + " accounts, " + messages
          + " messages, " + roomMessages + " room messages, " + Files.size(copy) + " bytes; integrity ok)");
      admin.out().flush();
      return 0;
    } catch (SQLException | IOException e) {
      throw new StartupException("cannot back up " + db + " to " + copy + ": " + e.getMessage(), e);
    } finally {
      if (!done) {
        try {
          Files.deleteIfExists(copy);
        } catch (IOException ignored) {
          // the failure being reported matters more than the empty file left behind
        }
      }
    }
  }

  private static String single(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** An empty owner-only file (VACUUM INTO writes into an empty file), or a clear refusal. */
  private static void createOwnerOnly(Path copy) throws StartupException {
    try {
      if (copy.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(copy, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(copy);
      }
    } catch (FileAlreadyExistsException e) {
      throw new StartupException("the backup file " + copy + " exists already: choose a new name", e);
    } catch (IOException e) {
      throw new StartupException("cannot create the backup file " + copy + ": " + e, e);
    }
  }
}
