package org.p2pchat.protocol.secure.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Noise {@code SymmetricState} (Noise spec, section 5.2) for SHA-256 and ChaChaPoly: the
 * chaining key, the handshake hash and the handshake's cipher key. Not thread-safe.
 */
final class SymmetricState {
  static final int HASH_BYTES = 32;

  private byte[] ck;
  private byte[] h;
  private byte[] k;
  private long n;

  SymmetricState(String protocolName) {
    byte[] name = protocolName.getBytes(StandardCharsets.US_ASCII);
    h = name.length <= HASH_BYTES ? Arrays.copyOf(name, HASH_BYTES) : sha256(name);
    ck = h.clone();
  }

  private SymmetricState(SymmetricState other) {
    ck = other.ck.clone();
    h = other.h.clone();
    k = other.k == null ? null : other.k.clone();
    n = other.n;
  }

  /** An independent copy, to try a message on without spoiling this state when it fails. */
  SymmetricState copy() {
    return new SymmetricState(this);
  }

  byte[] handshakeHash() {
    return h.clone();
  }

  void mixHash(byte[] data) {
    h = sha256(h, data);
  }

  void mixKey(byte[] inputKeyMaterial) {
    byte[][] out = hkdf(ck, inputKeyMaterial);
    ck = out[0];
    k = out[1];
    n = 0;
  }

  byte[] encryptAndHash(byte[] plaintext) {
    byte[] ciphertext;
    if (k == null) {
      ciphertext = plaintext.clone();
    } else {
      ciphertext = new byte[plaintext.length + Aead.TAG_BYTES];
      new JdkChaChaPoly(k).seal(n++, h, ByteBuffer.wrap(plaintext), ByteBuffer.wrap(ciphertext));
    }
    mixHash(ciphertext);
    return ciphertext;
  }

  /** @throws GeneralSecurityException when the tag does not verify */
  byte[] decryptAndHash(byte[] ciphertext) throws GeneralSecurityException {
    byte[] plaintext;
    if (k == null) {
      plaintext = ciphertext.clone();
    } else {
      if (ciphertext.length < Aead.TAG_BYTES) {
        throw new GeneralSecurityException("handshake message too short");
      }
      plaintext = new byte[ciphertext.length - Aead.TAG_BYTES];
      if (!new JdkChaChaPoly(k).open(n, h, ByteBuffer.wrap(ciphertext), ByteBuffer.wrap(plaintext))) {
        throw new GeneralSecurityException("handshake message does not authenticate");
      }
      n++;
    }
    mixHash(ciphertext);
    return plaintext;
  }

  /** The two transport keys: initiator to responder, then responder to initiator. */
  byte[][] split() {
    byte[][] keys = hkdf(ck, new byte[0]);
    Arrays.fill(ck, (byte) 0);
    if (k != null) {
      Arrays.fill(k, (byte) 0);
    }
    return keys;
  }

  /** Noise's HKDF with two outputs (RFC 5869 with HMAC-SHA256, an empty info). */
  static byte[][] hkdf(byte[] chainingKey, byte[] inputKeyMaterial) {
    byte[] temp = hmac(chainingKey, inputKeyMaterial);
    byte[] out1 = hmac(temp, new byte[] {1});
    byte[] out2 = hmac(temp, out1, new byte[] {2});
    Arrays.fill(temp, (byte) 0);
    return new byte[][] {out1, out2};
  }

  static byte[] hmac(byte[] key, byte[]... parts) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      for (byte[] p : parts) {
        mac.update(p);
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no HmacSHA256", e);
    }
  }

  static byte[] sha256(byte[]... parts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (byte[] p : parts) {
        digest.update(p);
      }
      return digest.digest();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no SHA-256", e);
    }
  }
}
