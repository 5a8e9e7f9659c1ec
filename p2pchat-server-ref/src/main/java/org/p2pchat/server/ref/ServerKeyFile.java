package org.p2pchat.server.ref;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import org.p2pchat.protocol.secure.ServerKeyPair;

/**
 * The server's static key pair and the file it lives in. {@link #prepare} reads an existing
 * file (refusing one that others than its owner may read, as ssh does) or makes a new key in
 * memory without writing anything; {@link #storeIfNew} writes a new key only once the rest of
 * the start has succeeded, so that a failed start leaves no key behind.
 *
 * <p>The check is made here, before {@link ServerKeyPair#load} reads the file, rather than in
 * the protocol module: refusing to start is the server's policy, and an application that
 * embeds the engine may keep its key elsewhere.
 *
 * <p>Not thread-safe: the starting thread owns it.
 */
final class ServerKeyFile {
  private static final Set<PosixFilePermission> OTHERS_THAN_OWNER = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  private final Path file;
  private final ServerKeyPair keys;
  private final boolean isNew;

  private ServerKeyFile(Path file, ServerKeyPair keys, boolean isNew) {
    this.file = file;
    this.keys = keys;
    this.isNew = isNew;
  }

  /**
   * Loads the key in {@code file}, or makes a new one to be stored there by {@link #storeIfNew}.
   * Writes nothing.
   *
   * @param file the key file
   * @param dataDir the data directory, which the start creates if needed: the key file's
   *     directory must exist unless it is this one
   * @throws StartupException when the file is open to others than its owner, cannot be read,
   *     does not hold a key, or could not be created
   */
  static ServerKeyFile prepare(Path file, Path dataDir) throws StartupException {
    Path f = file.toAbsolutePath().normalize();
    if (Files.exists(f)) {
      if (!Files.isRegularFile(f)) {
        throw new StartupException("the key file " + f + " is not a regular file");
      }
      checkOwnerOnly(f);
      try {
        return new ServerKeyFile(f, ServerKeyPair.load(f), false);
      } catch (IOException | RuntimeException e) {
        throw new StartupException(loadFailure(f, e), e);
      }
    }
    Path dir = f.getParent();
    boolean createdByStart = dir.equals(dataDir.toAbsolutePath().normalize()) && !Files.exists(dir);
    if (!createdByStart) {
      if (!Files.isDirectory(dir)) {
        throw new StartupException("cannot create the key file " + f + ": its directory " + dir + " does not exist");
      }
      if (!Files.isWritable(dir)) {
        throw new StartupException("cannot create the key file " + f + ": its directory " + dir + " is not writable");
      }
    }
    return new ServerKeyFile(f, ServerKeyPair.generate(), true);
  }

  /**
   * Refuses a key file that its group or others may read, write or execute, naming the file,
   * its mode and the fix. Where the file system has no POSIX permissions (Windows, FAT), there
   * is nothing to check and nothing is refused.
   *
   * @throws StartupException when the file is open to others than its owner
   */
  static void checkOwnerOnly(Path file) throws StartupException {
    PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    if (view == null) {
      return;
    }
    Set<PosixFilePermission> mode;
    try {
      mode = view.readAttributes().permissions();
    } catch (UnsupportedOperationException e) {
      return;
    } catch (IOException e) {
      throw new StartupException("cannot read the permissions of the key file " + file + ": " + e.getMessage(), e);
    }
    if (mode.stream().anyMatch(OTHERS_THAN_OWNER::contains)) {
      throw new StartupException("the key file " + file + " has mode " + octal(mode) + " ("
          + PosixFilePermissions.toString(mode) + "): a private key must be readable by its owner only;"
          + " fix it with: chmod 600 " + file);
    }
  }

  /** The key pair. */
  ServerKeyPair keys() {
    return keys;
  }

  /** The file the key lives in (absolute). */
  Path file() {
    return file;
  }

  /** Whether this start made the key (then {@link #storeIfNew} writes it). */
  boolean isNew() {
    return isNew;
  }

  /**
   * Writes a new key to its file (owner-only), recording the file in {@code created}; does
   * nothing for a key that was loaded. Call it once everything else that can fail has been done.
   *
   * @throws StartupException when the file cannot be written
   */
  void storeIfNew(CreatedFiles created) throws StartupException {
    if (!isNew) {
      return;
    }
    try {
      keys.store(file);
      created.add(file);
    } catch (FileAlreadyExistsException e) {
      // Someone else's file: never claimed, so never deleted.
      throw new StartupException("the key file " + file + " appeared while the server was starting"
          + " (is another server starting on the same directory?)", e);
    } catch (IOException | RuntimeException e) {
      created.add(file); // store() created it before it failed to write it
      throw new StartupException("cannot create the key file " + file + ": " + e.getMessage(), e);
    }
  }

  private static String loadFailure(Path file, Exception e) {
    String why = String.valueOf(e.getMessage());
    // ServerKeyPair names the file when it holds no key; other failures name only the cause.
    return why.contains(file.toString()) ? why : "cannot read the key file " + file + ": " + why;
  }

  /** A mode as chmod writes it, such as {@code 0644}. */
  static String octal(Set<PosixFilePermission> mode) {
    int bits = 0;
    for (PosixFilePermission p : mode) {
      bits |= 1 << (8 - p.ordinal());
    }
    return String.format("%04o", bits);
  }
}
