package org.p2pchat.protocol.secure.internal;

import com.southernstorm.noise.protocol.CipherState;
import com.southernstorm.noise.protocol.Noise;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.BadPaddingException;
import javax.crypto.ShortBufferException;
import org.p2pchat.protocol.secure.SecureChannel;

/**
 * {@link Aead} on noise-java's ChaChaPoly {@link CipherState}, with its nonce set explicitly
 * per message. Plain Java like the JDK's cipher, but without the JCE's per-message
 * initialisation, which makes it the faster of the two on the small frames chat sends
 * ({@code docs/benchmarks.md}, "Secure channel"). Not thread-safe.
 */
public final class NoiseJavaChaChaPoly implements Aead {
  private final CipherState cipher;
  private final byte[] scratch = new byte[SecureChannel.MAX_PACKET_BYTES + TAG_BYTES];

  /** @param key 32 bytes; copied */
  public NoiseJavaChaChaPoly(byte[] key) {
    if (key.length != 32) {
      throw new IllegalArgumentException("a ChaCha20-Poly1305 key has 32 bytes");
    }
    try {
      cipher = Noise.createCipher("ChaChaPoly");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("noise-java has no ChaChaPoly", e);
    }
    cipher.initializeKey(key, 0);
  }

  /**
   * Over one of the transport ciphers a handshake's split gave (noise-java never hands the key
   * out); this instance owns it from now on.
   *
   * @throws IllegalArgumentException when it is not a keyed ChaChaPoly cipher
   */
  public NoiseJavaChaChaPoly(CipherState cipher) {
    if (!"ChaChaPoly".equals(cipher.getCipherName()) || !cipher.hasKey()) {
      throw new IllegalArgumentException("a keyed ChaChaPoly cipher state is needed, not " + cipher.getCipherName());
    }
    this.cipher = cipher;
  }

  /**
   * Noise reserves the nonce 2^64 - 1 (its rekey), and noise-java throws
   * {@link IllegalStateException} for it: no packet is sealed under it, none opens.
   */
  private static final long RESERVED_NONCE = -1L;

  @Override
  public void seal(long counter, byte[] ad, ByteBuffer plaintext, ByteBuffer out) {
    if (counter == RESERVED_NONCE) {
      throw new IllegalArgumentException("the counter 2^64 - 1 is reserved by Noise");
    }
    int length = plaintext.remaining();
    byte[] source;
    int sourceOffset;
    if (plaintext.hasArray()) {
      source = plaintext.array();
      sourceOffset = plaintext.arrayOffset() + plaintext.position();
    } else {
      plaintext.get(scratch, 0, length);
      plaintext.position(plaintext.position() - length);
      source = scratch;
      sourceOffset = 0;
    }
    cipher.setNonce(counter);
    try {
      if (out.hasArray()) {
        int sealed = cipher.encryptWithAd(ad.length == 0 ? null : ad, source, sourceOffset,
            out.array(), out.arrayOffset() + out.position(), length);
        out.position(out.position() + sealed);
      } else {
        int sealed = cipher.encryptWithAd(ad.length == 0 ? null : ad, source, sourceOffset, scratch, 0, length);
        out.put(scratch, 0, sealed);
      }
      plaintext.position(plaintext.position() + length);
    } catch (ShortBufferException e) {
      throw new IllegalStateException("a frame larger than the channel carries", e);
    }
  }

  @Override
  public boolean open(long counter, byte[] ad, ByteBuffer ciphertext, ByteBuffer out) {
    int length = ciphertext.remaining();
    if (counter == RESERVED_NONCE || length < TAG_BYTES || length > scratch.length
        || out.remaining() < length - TAG_BYTES) {
      return false;
    }
    byte[] source;
    int sourceOffset;
    if (ciphertext.hasArray()) {
      source = ciphertext.array();
      sourceOffset = ciphertext.arrayOffset() + ciphertext.position();
    } else {
      ciphertext.get(scratch, 0, length); // a socket's direct buffer: one copy is unavoidable
      source = scratch;
      sourceOffset = 0;
    }
    cipher.setNonce(counter);
    try {
      if (out.hasArray()) {
        int opened = cipher.decryptWithAd(ad.length == 0 ? null : ad, source, sourceOffset,
            out.array(), out.arrayOffset() + out.position(), length);
        out.position(out.position() + opened);
      } else {
        int opened = cipher.decryptWithAd(ad.length == 0 ? null : ad, source, sourceOffset, scratch, 0, length);
        out.put(scratch, 0, opened);
      }
      return true;
    } catch (BadPaddingException | ShortBufferException e) {
      return false;
    }
  }
}
