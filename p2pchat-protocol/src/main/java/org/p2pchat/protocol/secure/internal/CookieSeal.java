package org.p2pchat.protocol.secure.internal;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals a cookie in a COOKIE packet: ChaCha20-Poly1305 under a key derived from the server's
 * public key, a random 12-byte nonce, and the initiation's mac1 as associated data (so only the
 * sender of that initiation can use the reply). Stateless, thread-safe.
 */
final class CookieSeal {
  private CookieSeal() {}

  static void seal(byte[] key, byte[] nonce, byte[] mac1, byte[] cookie, ByteBuffer out) {
    try {
      Cipher cipher = Cipher.getInstance("ChaCha20-Poly1305");
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
      cipher.updateAAD(mac1);
      out.put(cipher.doFinal(cookie));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("sealing a cookie failed: " + e.getMessage(), e);
    }
  }

  /** The cookie, or null when the sealed bytes do not authenticate. */
  static byte[] open(byte[] key, byte[] nonce, byte[] mac1, byte[] sealed) {
    try {
      Cipher cipher = Cipher.getInstance("ChaCha20-Poly1305");
      cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
      cipher.updateAAD(mac1);
      return cipher.doFinal(sealed);
    } catch (AEADBadTagException e) {
      return null;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("opening a cookie failed: " + e.getMessage(), e);
    }
  }
}
