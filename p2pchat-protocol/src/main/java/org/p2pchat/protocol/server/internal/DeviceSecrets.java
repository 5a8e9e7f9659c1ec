package org.p2pchat.protocol.server.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Device secrets: 256 random bits each, of which the store keeps only the SHA-256 (hex). A slow
 * hash would add nothing: the secret has full entropy, unlike a password. Thread-safe.
 */
final class DeviceSecrets {
  /** A secret's length in bytes. */
  static final int SECRET_BYTES = 32;

  private final SecureRandom random = new SecureRandom();

  /** A new secret. */
  byte[] newSecret() {
    byte[] s = new byte[SECRET_BYTES];
    random.nextBytes(s);
    return s;
  }

  /** The hash the store keeps: lower-case hex of the secret's SHA-256. */
  static String hash(byte[] secret) {
    return HexFormat.of().formatHex(sha256().digest(secret));
  }

  /** Whether {@code secret} hashes to {@code storedHash}, compared in constant time. */
  static boolean matches(byte[] secret, String storedHash) {
    return MessageDigest.isEqual(hash(secret).getBytes(StandardCharsets.US_ASCII),
        storedHash.getBytes(StandardCharsets.US_ASCII));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
