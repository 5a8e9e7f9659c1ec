package org.p2pchat.store.sqlite.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.p2pchat.store.sqlite.StoreOpenException;

/** Creates the database file owner-only before SQLite sees it, and checks that it is usable. */
public final class StoreFiles {
  private static final Set<PosixFilePermission> OWNER_RW = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_RWX = PosixFilePermissions.fromString("rwx------");

  private StoreFiles() {}

  /**
   * Makes sure {@code file} exists as a regular file this process can read and write, creating
   * it (and a missing parent directory) owner-only. SQLite gives its -wal and -shm files the
   * database file's permissions, so they are owner-only too.
   *
   * @return whether the file was created by this call
   * @throws StoreOpenException with reason UNREADABLE when the file cannot be created or used
   */
  public static boolean prepare(Path file) throws StoreOpenException {
    boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null && !Files.isDirectory(parent)) {
        if (posix) {
          Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(OWNER_RWX));
        } else {
          Files.createDirectories(parent);
        }
      }
      if (!Files.exists(file)) {
        try {
          if (posix) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_RW));
          } else {
            Files.createFile(file);
          }
          return true;
        } catch (FileAlreadyExistsException e) {
          // Created by someone else between the check and now: treat it as an existing file.
        }
      }
    } catch (IOException e) {
      throw new StoreOpenException(file, StoreOpenException.Reason.UNREADABLE,
          "cannot create p2pchat database " + file + ": " + e, e);
    }
    if (!Files.isRegularFile(file)) {
      throw new StoreOpenException(file, StoreOpenException.Reason.UNREADABLE,
          "cannot open p2pchat database " + file + ": it is not a regular file", null);
    }
    if (!Files.isReadable(file) || !Files.isWritable(file)) {
      throw new StoreOpenException(file, StoreOpenException.Reason.UNREADABLE,
          "cannot open p2pchat database " + file + ": this process may not read and write it", null);
    }
    return false;
  }
}
