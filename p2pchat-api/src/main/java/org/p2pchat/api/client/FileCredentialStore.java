package org.p2pchat.api.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.p2pchat.api.UserName;

/**
 * {@link CredentialStore#ownerOnlyFile(Path)}: three lines, {@code user=}, {@code device=} and
 * {@code secret=} (base64) after a version line, written to an owner-only temporary file and
 * moved into place. The peer-to-peer key lives beside it in {@code FILE.peer-key} (base64, owner
 * only too), which {@link #clear()} leaves: the key belongs to the installation, not the login.
 */
final class FileCredentialStore implements CredentialStore {
  private static final String HEADER = "p2pchat device credential v1";
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

  private final Path file;

  FileCredentialStore(Path file) {
    this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
  }

  @Override
  public synchronized Optional<DeviceCredential> load() throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.size() < 4 || !lines.get(0).equals(HEADER)) {
      throw new IOException("the credential file " + file + " is not one this p2pchat wrote");
    }
    try {
      return Optional.of(DeviceCredential.of(UserName.of(value(lines.get(1), "user")),
          Long.parseLong(value(lines.get(2), "device")), Base64.getDecoder().decode(value(lines.get(3), "secret"))));
    } catch (RuntimeException e) {
      throw new IOException("the credential file " + file + " is damaged", e);
    }
  }

  private String value(String line, String key) throws IOException {
    if (!line.startsWith(key + "=")) {
      throw new IOException("the credential file " + file + " lacks its " + key + " line");
    }
    return line.substring(key.length() + 1);
  }

  @Override
  public synchronized void save(DeviceCredential credential) throws IOException {
    writeOwnerOnly(file, HEADER + "\nuser=" + credential.user().value() + "\ndevice=" + credential.deviceId()
        + "\nsecret=" + Base64.getEncoder().encodeToString(credential.secret()) + "\n");
  }

  /** Writes {@code text} to an owner-only temporary file beside {@code target} and moves it into place. */
  private static void writeOwnerOnly(Path target, String text) throws IOException {
    Path dir = target.getParent();
    boolean posix = Files.getFileAttributeView(dir.getRoot(), java.nio.file.attribute.PosixFileAttributeView.class) != null;
    if (!Files.isDirectory(dir)) {
      if (posix) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
      } else {
        Files.createDirectories(dir);
      }
    }
    FileAttribute<?>[] attributes = posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)} : new FileAttribute<?>[0];
    Path temp = Files.createTempFile(dir, ".credential", ".tmp", attributes);
    try {
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (FileAlreadyExistsException | java.nio.file.AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  @Override
  public synchronized Optional<byte[]> loadPeerKey() throws IOException {
    Path keyFile = peerKeyFile();
    if (!Files.exists(keyFile)) {
      return Optional.empty();
    }
    try {
      byte[] key = Base64.getDecoder().decode(Files.readString(keyFile, StandardCharsets.UTF_8).strip());
      if (key.length != 32) {
        throw new IOException("the peer key file " + keyFile + " does not hold a 32-byte key");
      }
      return Optional.of(key);
    } catch (IllegalArgumentException e) {
      throw new IOException("the peer key file " + keyFile + " is damaged", e);
    }
  }

  @Override
  public synchronized void savePeerKey(byte[] privateKey) throws IOException {
    writeOwnerOnly(peerKeyFile(), Base64.getEncoder().encodeToString(privateKey) + "\n");
  }

  private Path peerKeyFile() {
    return file.resolveSibling(file.getFileName() + ".peer-key");
  }

  @Override
  public synchronized void clear() throws IOException {
    Files.deleteIfExists(file);
  }

  @Override
  public String toString() {
    return "CredentialStore{" + file + "}";
  }
}
