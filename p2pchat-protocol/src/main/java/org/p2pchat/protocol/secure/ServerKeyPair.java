package org.p2pchat.protocol.secure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;
import org.p2pchat.api.ServerPublicKey;
import org.p2pchat.protocol.secure.internal.NoiseNk;

/**
 * A server's static X25519 key pair. Immutable, thread-safe. Its private half is a secret: it
 * is never printed ({@link #toString()} shows the public fingerprint only).
 *
 * <p>File form ({@link #store}, {@link #load}): one line, the standard base64 of the 32-byte
 * private key, in a file readable and writable by its owner only ({@code rw-------}).
 */
public final class ServerKeyPair {
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private final byte[] privateKey;
  private final ServerPublicKey publicKey;

  private ServerKeyPair(byte[] privateKey) {
    this.privateKey = privateKey;
    this.publicKey = ServerPublicKey.of(NoiseNk.publicKey(privateKey));
  }

  /** A new random key pair. */
  public static ServerKeyPair generate() {
    return new ServerKeyPair(NoiseNk.generatePrivateKey());
  }

  /**
   * The key pair of this private key.
   *
   * @throws IllegalArgumentException when it is not 32 bytes long
   */
  public static ServerKeyPair fromPrivateKey(byte[] privateKey) {
    if (privateKey.length != NoiseNk.KEY_BYTES) {
      throw new IllegalArgumentException("a server private key has 32 bytes");
    }
    return new ServerKeyPair(privateKey.clone());
  }

  /**
   * Reads a key pair written by {@link #store}.
   *
   * @throws IOException when the file cannot be read or does not hold a key
   */
  public static ServerKeyPair load(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
    try {
      return fromPrivateKey(Base64.getDecoder().decode(text));
    } catch (IllegalArgumentException e) {
      throw new IOException("the key file " + file + " does not hold a server key (32 bytes in base64)");
    }
  }

  /**
   * Loads the key pair in {@code file}, or generates one and stores it there (owner-only) when
   * the file does not exist.
   *
   * @throws IOException when the file cannot be read or written
   */
  public static ServerKeyPair loadOrGenerate(Path file) throws IOException {
    if (Files.exists(file)) {
      return load(file);
    }
    ServerKeyPair pair = generate();
    try {
      pair.store(file);
    } catch (FileAlreadyExistsException e) {
      return load(file); // another process won the race: use its key
    }
    return pair;
  }

  /**
   * Writes the private key to a new file, readable and writable by its owner only where the
   * file system has POSIX permissions.
   *
   * @throws FileAlreadyExistsException when the file exists: a key is never overwritten
   * @throws IOException when it cannot be written
   */
  public void store(Path file) throws IOException {
    byte[] line = (Base64.getEncoder().encodeToString(privateKey) + "\n").getBytes(StandardCharsets.US_ASCII);
    boolean posix = file.toAbsolutePath().getParent() != null
        && Files.getFileStore(file.toAbsolutePath().getParent()).supportsFileAttributeView("posix");
    FileAttribute<?>[] attributes = posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
        : new FileAttribute<?>[0];
    Files.createFile(file, attributes);
    try {
      Files.write(file, line, StandardOpenOption.TRUNCATE_EXISTING);
    } finally {
      Arrays.fill(line, (byte) 0);
    }
  }

  /** The public half, which clients pin. */
  public ServerPublicKey publicKey() {
    return publicKey;
  }

  /** The 32-byte private key (a copy). A secret: never log it. */
  public byte[] privateKey() {
    return privateKey.clone();
  }

  /** The public key's fingerprint; never the private key. */
  @Override
  public String toString() {
    return "ServerKeyPair[" + publicKey.fingerprint() + "]";
  }
}
