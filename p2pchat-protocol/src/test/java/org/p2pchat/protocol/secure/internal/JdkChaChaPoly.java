package org.p2pchat.protocol.secure.internal;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@link Aead} on the JDK's {@code ChaCha20-Poly1305} cipher (RFC 8439). One {@link Cipher}
 * instance is kept and re-initialised per message. Not thread-safe.
 *
 * <p>Test code: the alternative that {@link SecureChannelBenchmark} measures the transport's
 * {@link NoiseJavaChaChaPoly} against ({@code docs/benchmarks.md}, "Secure channel"); the channel
 * itself cannot use it, since noise-java's handshake hands out cipher states, never keys.
 */
final class JdkChaChaPoly implements Aead {
  private static final int NONCE_BYTES = 12;

  private final SecretKeySpec key;
  private Cipher cipher;
  private final byte[] nonce = new byte[NONCE_BYTES];
  private long lastCounter = -1;

  /** @param key 32 bytes; copied */
  JdkChaChaPoly(byte[] key) {
    if (key.length != 32) {
      throw new IllegalArgumentException("a ChaCha20-Poly1305 key has 32 bytes");
    }
    this.key = new SecretKeySpec(key, "ChaCha20");
    this.cipher = newCipher();
  }

  private static Cipher newCipher() {
    try {
      return Cipher.getInstance("ChaCha20-Poly1305");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no ChaCha20-Poly1305 cipher", e);
    }
  }

  /**
   * The JDK's cipher refuses to be initialised twice in a row with the same key and nonce, in
   * either mode. A receiver meets a repeated counter whenever someone replays or forges a
   * packet, so a repeat gets a fresh instance instead of an exception.
   */
  private Cipher cipherFor(long counter) {
    if (counter == lastCounter) {
      cipher = newCipher();
    }
    lastCounter = counter;
    return cipher;
  }

  private IvParameterSpec nonce(long counter) {
    for (int i = 0; i < 8; i++) {
      nonce[4 + i] = (byte) (counter >>> (8 * i));
    }
    return new IvParameterSpec(nonce);
  }

  @Override
  public void seal(long counter, byte[] ad, ByteBuffer plaintext, ByteBuffer out) {
    try {
      Cipher c = cipherFor(counter);
      c.init(Cipher.ENCRYPT_MODE, key, nonce(counter));
      if (ad.length > 0) {
        c.updateAAD(ad);
      }
      c.doFinal(plaintext, out);
    } catch (GeneralSecurityException e) {
      // Only a reused (key, nonce) or a too small buffer gets here: both are bugs of the caller.
      throw new IllegalStateException("encryption failed: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean open(long counter, byte[] ad, ByteBuffer ciphertext, ByteBuffer out) {
    if (ciphertext.remaining() < TAG_BYTES) {
      return false;
    }
    try {
      Cipher c = cipherFor(counter);
      c.init(Cipher.DECRYPT_MODE, key, nonce(counter));
      if (ad.length > 0) {
        c.updateAAD(ad);
      }
      c.doFinal(ciphertext, out);
      return true;
    } catch (AEADBadTagException e) {
      return false;
    } catch (GeneralSecurityException e) {
      // e.g. an output buffer too small for a hostile length: the packet is dropped, never the loop
      cipher = newCipher();
      return false;
    }
  }
}
