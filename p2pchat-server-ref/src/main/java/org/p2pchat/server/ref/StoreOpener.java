package org.p2pchat.server.ref;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.store.sqlite.SqliteChatStore;
import org.p2pchat.store.sqlite.StoreOpenException;

/**
 * Opens the server's store. The one place that knows which store implementation the server
 * runs on; everything else sees a {@link ChatStore}.
 *
 * <p>Thread-safe (stateless).
 */
public final class StoreOpener {

  private StoreOpener() {}

  /**
   * Creates the database's directory if needed, checks that it can be written, and opens the
   * store. The caller closes the store.
   *
   * @param database the database file; its parent directories are created
   * @param syncMode how hard each commit is flushed
   * @throws StartupException with a plain sentence when the path cannot hold a database
   */
  public static ChatStore open(Path database, SyncMode syncMode) throws StartupException {
    Path file = database.toAbsolutePath().normalize();
    Path dir = file.getParent();
    try {
      if (!Files.isDirectory(dir)) {
        // Owner-only: the directory holds the database (and later the server's key).
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
    } catch (FileAlreadyExistsException e) {
      throw new StartupException("cannot create the data directory " + e.getFile()
          + ": a file of that name is in the way", e);
    } catch (AccessDeniedException e) {
      throw new StartupException("cannot create the data directory " + e.getFile()
          + ": permission denied", e);
    } catch (IOException e) {
      throw new StartupException("cannot create the data directory " + dir + ": " + e, e);
    }
    if (Files.isDirectory(file)) {
      throw new StartupException("the database path " + file + " is a directory, not a file");
    }
    if (!Files.isWritable(dir)) {
      throw new StartupException("the data directory " + dir + " is not writable");
    }
    if (Files.exists(file) && !Files.isWritable(file)) {
      throw new StartupException("the database file " + file + " is not writable");
    }
    try {
      return SqliteChatStore.builder(file)
          .synchronous(syncMode == SyncMode.NORMAL
              ? SqliteChatStore.Synchronous.NORMAL : SqliteChatStore.Synchronous.FULL)
          .open();
    } catch (StoreOpenException e) {
      // Its message names the file and the cause (locked, corrupt, newer schema, unreadable).
      throw new StartupException(e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new StartupException("cannot open the database " + file + ": " + e.getMessage(), e);
    }
  }
}
