package org.p2pchat.api.client;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a client keeps its device credential between sessions and between runs: the
 * application chooses. {@link #inMemory()} keeps it for the life of the process,
 * {@link #ownerOnlyFile(Path)} in a file only its owner may read.
 *
 * <p>The client calls these methods on its events thread, never on its network thread. An
 * implementation must be thread-safe.
 */
public interface CredentialStore {

  /**
   * Reads the stored credential.
   *
   * @return the credential, or empty when none is stored
   * @throws IOException when it cannot be read
   */
  Optional<DeviceCredential> load() throws IOException;

  /**
   * Stores a credential, replacing any other.
   *
   * @param credential the credential
   * @throws IOException when it cannot be written
   */
  void save(DeviceCredential credential) throws IOException;

  /**
   * Forgets the stored credential (logged out, or revoked).
   *
   * @throws IOException when it cannot be removed
   */
  void clear() throws IOException;

  /**
   * The device's peer-to-peer key (an X25519 private key, 32 bytes), if one was saved: kept
   * with the credential so that contacts see the same key for this device every time
   * (docs/protocol.md section 25). By default nothing is kept, and each start makes a new key.
   *
   * @return the key, if saved
   * @throws IOException when the store cannot be read
   */
  default Optional<byte[]> loadPeerKey() throws IOException {
    return Optional.empty();
  }

  /**
   * Saves the device's peer-to-peer key. By default it is not kept.
   *
   * @param privateKey 32 bytes
   * @throws IOException when the store cannot be written
   */
  default void savePeerKey(byte[] privateKey) throws IOException {}

  /** {@return a store that keeps the credential in memory only} */
  static CredentialStore inMemory() {
    return new InMemoryCredentialStore();
  }

  /**
   * A store in one file that only its owner may read and write (mode {@code rw-------} where the
   * file system has POSIX permissions), written atomically; its parent directory is created
   * owner-only if missing.
   *
   * @param file the file
   * @return the store
   */
  static CredentialStore ownerOnlyFile(Path file) {
    return new FileCredentialStore(file);
  }
}
