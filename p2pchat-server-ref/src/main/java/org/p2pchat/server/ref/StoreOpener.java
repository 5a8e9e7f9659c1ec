package org.p2pchat.server.ref;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.store.sqlite.CommitListener;
import org.p2pchat.store.sqlite.SqliteChatStore;
import org.p2pchat.store.sqlite.StoreOpenException;

/**
 * Opens the server's store. The one place that knows which store implementation the server
 * runs on; everything else sees a {@link ChatStore}.
 *
 * <p>Thread-safe (stateless).
 */
public final class StoreOpener {
  /** What SQLite may create beside the database file while it opens it. */
  private static final String[] SIDE_FILES = {"-wal", "-shm", "-journal"};

  private StoreOpener() {}

  /**
   * Checks, without creating or changing anything, that {@code database} can hold a database:
   * it is not a directory, and its directory exists and can be written, or can be created.
   *
   * @throws StartupException with a plain sentence naming the path that is in the way
   */
  public static void check(Path database) throws StartupException {
    Path file = database.toAbsolutePath().normalize();
    Path dir = file.getParent();
    if (Files.isDirectory(file)) {
      throw new StartupException("the database path " + file + " is a directory, not a file");
    }
    Path existing = dir;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      throw new StartupException("cannot create the data directory " + dir + ": its file system has no root");
    }
    if (!Files.isDirectory(existing)) {
      throw new StartupException("cannot create the data directory " + existing + ": a file of that name is in the way");
    }
    if (!existing.equals(dir)) {
      if (!Files.isWritable(existing) || !Files.isExecutable(existing)) {
        throw new StartupException("cannot create the data directory " + dir + ": " + existing + " is not writable");
      }
      return;
    }
    if (!Files.isReadable(dir) || !Files.isExecutable(dir)) {
      throw new StartupException("the data directory " + dir + " is not readable");
    }
    if (!Files.isWritable(dir)) {
      throw new StartupException("the data directory " + dir + " is not writable");
    }
    if (Files.exists(file) && (!Files.isReadable(file) || !Files.isWritable(file))) {
      throw new StartupException("the database file " + file + " is not readable and writable");
    }
  }

  /**
   * Checks the path ({@link #check}), creates the database's directory if needed (owner-only)
   * and opens the store. The caller closes the store. Whatever this creates is recorded in
   * {@code created}, for the caller to remove should the start fail.
   *
   * @param database the database file; its parent directories are created
   * @param syncMode how hard each commit is flushed
   * @param created where the directories and files this start creates are recorded
   * @param commits told of each commit of the store's writer (metrics)
   * @throws StartupException with a plain sentence when the path cannot hold a database
   */
  static SqliteChatStore open(Path database, SyncMode syncMode, CreatedFiles created, CommitListener commits)
      throws StartupException {
    check(database);
    Path file = database.toAbsolutePath().normalize();
    createDirectory(file.getParent(), created);
    created.watch(file);
    for (String suffix : SIDE_FILES) {
      created.watch(file.resolveSibling(file.getFileName() + suffix));
    }
    try {
      return SqliteChatStore.builder(file)
          .synchronous(syncMode == SyncMode.NORMAL
              ? SqliteChatStore.Synchronous.NORMAL : SqliteChatStore.Synchronous.FULL)
          .commitListener(commits)
          .open();
    } catch (StoreOpenException e) {
      // Its message names the file and the cause (locked, corrupt, newer schema, unreadable).
      throw new StartupException(e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new StartupException("cannot open the database " + file + ": " + e.getMessage(), e);
    }
  }

  /** Creates the data directory (and its parents) owner-only, recording what it created in {@code created}. */
  static void createDirectory(Path dir, CreatedFiles created) throws StartupException {
    try {
      created.createDirectories(dir);
    } catch (FileAlreadyExistsException e) {
      throw new StartupException("cannot create the data directory " + e.getFile()
          + ": a file of that name is in the way", e);
    } catch (AccessDeniedException e) {
      throw new StartupException("cannot create the data directory " + e.getFile()
          + ": permission denied", e);
    } catch (IOException e) {
      throw new StartupException("cannot create the data directory " + dir + ": " + e, e);
    }
  }
}
