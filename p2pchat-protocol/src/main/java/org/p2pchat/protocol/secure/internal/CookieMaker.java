package org.p2pchat.protocol.secure.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The server's stateless cookies (WireGuard's, section 5.4.7 of its paper): a cookie is a MAC
 * of the sender's address under a secret that changes every two minutes, so checking one needs
 * no state per sender and no Diffie-Hellman. Not thread-safe.
 */
final class CookieMaker {
  /** How long a secret, and so a cookie, lives. */
  static final long SECRET_LIFETIME_MILLIS = 120_000;

  private final SecureRandom random;
  private final byte[] cookieKey;
  private byte[] secret = new byte[32];
  private byte[] previousSecret = new byte[32];
  private long secretCreatedMillis = Long.MIN_VALUE;

  CookieMaker(byte[] serverPublicKey, SecureRandom random) {
    this.cookieKey = Packets.cookieKey(serverPublicKey);
    this.random = random;
  }

  private void rotate(long nowMillis) {
    if (secretCreatedMillis == Long.MIN_VALUE || nowMillis - secretCreatedMillis >= SECRET_LIFETIME_MILLIS) {
      previousSecret = secret;
      secret = new byte[32];
      random.nextBytes(secret);
      secretCreatedMillis = nowMillis;
    }
  }

  private static byte[] cookie(byte[] secret, InetSocketAddress sender) {
    byte[] ip = sender.getAddress().getAddress();
    byte[] material = Arrays.copyOf(ip, ip.length + 2);
    material[ip.length] = (byte) (sender.getPort() >>> 8);
    material[ip.length + 1] = (byte) sender.getPort();
    return Arrays.copyOf(Packets.hmac(secret, material), Packets.COOKIE_BYTES);
  }

  /** Whether the initiation's mac2 was made with a current cookie for {@code sender}. */
  boolean hasValidMac2(byte[] initiation, InetSocketAddress sender, long nowMillis) {
    rotate(nowMillis);
    for (byte[] s : new byte[][] {secret, previousSecret}) {
      byte[] expected = Packets.mac(cookie(s, sender), initiation, Packets.INITIATION_MAC2_OFFSET);
      if (Packets.macEquals(initiation, Packets.INITIATION_MAC2_OFFSET, expected)) {
        return true;
      }
    }
    return false;
  }

  /** Writes a COOKIE packet answering {@code initiation} into {@code out}, flipped. */
  void writeReply(byte[] initiation, InetSocketAddress sender, long nowMillis, ByteBuffer out) {
    rotate(nowMillis);
    byte[] nonce = new byte[Packets.NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] mac1 = Arrays.copyOfRange(initiation, Packets.INITIATION_MAC1_OFFSET, Packets.INITIATION_MAC2_OFFSET);
    out.clear();
    out.put(Packets.COOKIE);
    out.put(initiation, Packets.INITIATION_SENDER_OFFSET, 4);
    out.put(nonce);
    CookieSeal.seal(cookieKey, nonce, mac1, cookie(secret, sender), out);
    out.flip();
  }
}
