package org.p2pchat.protocol.secure.internal;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;

/**
 * X25519 (RFC 7748) on raw 32-byte keys, over the JDK's {@code XDH} provider. Keys are the
 * byte strings of RFC 7748 (little-endian), as Noise and the test vectors write them.
 * Thread-safe (stateless).
 */
public final class X25519 {
  /** The length of a private key, a public key and a shared secret, in bytes. */
  public static final int KEY_BYTES = 32;

  private static final byte[] BASE_POINT = new byte[KEY_BYTES];
  private static final SecureRandom RANDOM = new SecureRandom();

  static {
    BASE_POINT[0] = 9;
  }

  private X25519() {}

  /** A fresh random private key. */
  public static byte[] generatePrivate() {
    byte[] k = new byte[KEY_BYTES];
    RANDOM.nextBytes(k);
    return k;
  }

  /** The public key of {@code privateKey}: X25519(k, 9). */
  public static byte[] publicKey(byte[] privateKey) throws GeneralSecurityException {
    return dh(privateKey, BASE_POINT);
  }

  /**
   * The shared secret of a private and a public key.
   *
   * @throws GeneralSecurityException when the public key is of small order (the result would
   *     be all zero), or a key is malformed
   */
  public static byte[] dh(byte[] privateKey, byte[] publicKey) throws GeneralSecurityException {
    if (privateKey.length != KEY_BYTES || publicKey.length != KEY_BYTES) {
      throw new GeneralSecurityException("an X25519 key has 32 bytes");
    }
    KeyFactory factory = KeyFactory.getInstance("XDH");
    PrivateKey priv = factory.generatePrivate(
        new XECPrivateKeySpec(NamedParameterSpec.X25519, privateKey.clone()));
    PublicKey pub = factory.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, toU(publicKey)));
    KeyAgreement agreement = KeyAgreement.getInstance("XDH");
    agreement.init(priv);
    agreement.doPhase(pub, true);
    return agreement.generateSecret();
  }

  /** RFC 7748 decodeUCoordinate: little-endian, the top bit masked. */
  private static BigInteger toU(byte[] littleEndian) {
    byte[] bigEndian = new byte[KEY_BYTES];
    for (int i = 0; i < KEY_BYTES; i++) {
      bigEndian[i] = littleEndian[KEY_BYTES - 1 - i];
    }
    bigEndian[0] &= 0x7f;
    return new BigInteger(1, bigEndian);
  }
}
