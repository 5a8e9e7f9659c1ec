package org.p2pchat.api;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * A server's static X25519 public key: what a client pins. Immutable, thread-safe.
 *
 * <p>Its text form is the standard base64 of the 32 bytes; its {@link #fingerprint()} is
 * {@code SHA256:} followed by the unpadded base64 of the SHA-256 of the 32 bytes, as OpenSSH
 * prints host keys.
 */
public final class ServerPublicKey {
  /** The length of the key, in bytes. */
  public static final int BYTES = 32;

  private final byte[] key;

  private ServerPublicKey(byte[] key) {
    this.key = key;
  }

  /**
   * The key of these 32 bytes.
   *
   * @param key the 32 bytes, copied
   * @return the key
   * @throws IllegalArgumentException when {@code key} is not 32 bytes long
   */
  public static ServerPublicKey of(byte[] key) {
    if (key.length != BYTES) {
      throw new IllegalArgumentException("a server public key has 32 bytes, not " + key.length);
    }
    return new ServerPublicKey(key.clone());
  }

  /**
   * Parses the base64 text form ({@link #base64()}).
   *
   * @param text the base64 of 32 bytes; surrounding white space is ignored
   * @return the key
   * @throws IllegalArgumentException when {@code text} is not the base64 of 32 bytes
   */
  public static ServerPublicKey parse(String text) {
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(text.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a server public key is 32 bytes in base64; this is not base64", e);
    }
    return of(decoded);
  }

  /** {@return the 32 bytes (a copy)} */
  public byte[] bytes() {
    return key.clone();
  }

  /** {@return the standard base64 of the 32 bytes (44 characters)} */
  public String base64() {
    return Base64.getEncoder().encodeToString(key);
  }

  /** {@return {@code SHA256:} and the unpadded base64 of the key's SHA-256, for people to compare} */
  public String fingerprint() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
      return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no SHA-256", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ServerPublicKey other && MessageDigest.isEqual(key, other.key);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(key);
  }

  /** The fingerprint. */
  @Override
  public String toString() {
    return fingerprint();
  }
}
