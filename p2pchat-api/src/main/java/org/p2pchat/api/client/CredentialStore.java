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
