package org.p2pchat.protocol.secure.internal;

import java.nio.ByteBuffer;

/**
 * ChaCha20-Poly1305 under one key, with Noise's nonce: 32 zero bits, then the 64-bit counter
 * little-endian. The one seam between the channel and the cipher implementation.
 * Not thread-safe: one instance per direction, used by one thread.
 */
public interface Aead {
  /** The length of the authentication tag, in bytes. */
  int TAG_BYTES = 16;

  /**
   * Encrypts the bytes between {@code plaintext}'s position and limit into {@code out} at its
   * position, followed by the tag; both buffers' positions advance.
   *
   * @param counter any but 2^64 - 1 ({@code -1L}), which Noise reserves
   * @param ad associated data, may be empty, not null
   * @throws IllegalArgumentException for the reserved counter
   */
  void seal(long counter, byte[] ad, ByteBuffer plaintext, ByteBuffer out);

  /**
   * Decrypts and authenticates the bytes between {@code ciphertext}'s position and limit (tag
   * included) into {@code out}.
   *
   * @return false when the tag does not verify, or {@code counter} is 2^64 - 1; then
   *     {@code out}'s contents are undefined
   */
  boolean open(long counter, byte[] ad, ByteBuffer ciphertext, ByteBuffer out);
}
