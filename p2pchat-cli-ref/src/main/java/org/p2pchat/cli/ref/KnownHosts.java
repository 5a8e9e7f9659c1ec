package org.p2pchat.cli.ref;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.p2pchat.api.ServerPublicKey;

/**
 * The servers whose keys this user trusts, as SSH's {@code known_hosts}: one line per server,
 * {@code HOST:PORT BASE64-KEY}; blank lines and lines starting with {@code #} are ignored.
 * Not thread-safe; the CLI reads and appends it once per command.
 */
public final class KnownHosts {
  private final Path file;

  /** The file need not exist; it is created on the first {@link #add}. */
  public KnownHosts(Path file) {
    this.file = file;
  }

  /** The file. */
  public Path file() {
    return file;
  }

  /**
   * The key trusted for {@code hostPort}, if any.
   *
   * @throws IOException when the file exists but cannot be read, or a line for this server is
   *     not a key
   */
  public Optional<ServerPublicKey> lookup(String hostPort) throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      String[] parts = l.split("\\s+");
      if (parts.length >= 2 && parts[0].equalsIgnoreCase(hostPort)) {
        try {
          return Optional.of(ServerPublicKey.parse(parts[1]));
        } catch (IllegalArgumentException e) {
          throw new IOException("the line for " + hostPort + " in " + file + " is not a server key");
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Appends {@code hostPort}'s key, creating the file and its directory (owner-only where the
   * file system allows) when missing.
   *
   * @throws IOException when it cannot be written
   */
  public void add(String hostPort, ServerPublicKey key) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null && !Files.isDirectory(dir)) {
      if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectories(dir);
      }
    }
    Files.writeString(file, hostPort + " " + key.base64() + "\n", StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
