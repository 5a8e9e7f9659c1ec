package org.p2pchat.protocol;

import org.p2pchat.protocol.server.internal.PasswordHasher;

/**
 * Password hashes as the server stores them (Argon2id in PHC string form, with the parameters
 * of a {@link ServerConfig}), for tools that set a password without the server: an operator's
 * password reset. Thread-safe.
 */
public final class PasswordHashes {
  private PasswordHashes() {}

  /**
   * Hashes {@code password} with a fresh random salt, on the calling thread (about 50 ms and
   * 19 MiB with the default parameters).
   *
   * @param password the password; never logged or kept
   * @param config whose Argon2 parameters to use
   * @return the PHC string to store
   */
  public static String hash(String password, ServerConfig config) {
    return new PasswordHasher(config.argon2MemoryKib(), config.argon2Iterations(), Runnable::run).hash(password).join();
  }
}
