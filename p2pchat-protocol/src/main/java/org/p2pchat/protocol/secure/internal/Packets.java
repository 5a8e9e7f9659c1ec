package org.p2pchat.protocol.secure.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The outer packets of the secure channel ({@code docs/protocol.md} section 16). Integers are
 * big-endian, as in the v1 frames. Every packet starts with its type byte; a v1 frame starts
 * with {@code 0x50} ("P"), which is no type here.
 *
 * <pre>
 * INITIATION   0x01 | sender index u32 | Noise message 1 (52) | mac1 (16) | mac2 (16)      = 89
 * RESPONSE     0x02 | sender index u32 | receiver index u32 | Noise message 2 (56)         = 65
 * COOKIE       0x03 | receiver index u32 | nonce (12) | sealed cookie (16 + 16)           = 49
 * DATA         0x04 | receiver index u32 | counter u64 | sealed frame (n + 16)            = 29 + n
 * KEY_REQUEST  0x05 | zero padding (63)                                                   = 64
 * KEY_REPLY    0x06 | server static public key (32)                                       = 33
 * </pre>
 *
 * <p>The Noise payload of message 1 is the sender index again, that of message 2 the sender
 * and receiver indexes: so the indexes in clear, which route packets before any decryption, are
 * also authenticated by the handshake.
 */
public final class Packets {
  public static final byte INITIATION = 0x01;
  public static final byte RESPONSE = 0x02;
  public static final byte COOKIE = 0x03;
  public static final byte DATA = 0x04;
  public static final byte KEY_REQUEST = 0x05;
  public static final byte KEY_REPLY = 0x06;

  public static final int MAC_BYTES = 16;
  public static final int COOKIE_BYTES = 16;
  public static final int NONCE_BYTES = 12;
  public static final int INITIATION_PAYLOAD_BYTES = 4;
  public static final int RESPONSE_PAYLOAD_BYTES = 8;
  public static final int INITIATION_MESSAGE_BYTES = NoiseNk.messageBytes(INITIATION_PAYLOAD_BYTES);
  public static final int RESPONSE_MESSAGE_BYTES = NoiseNk.messageBytes(RESPONSE_PAYLOAD_BYTES);

  public static final int INITIATION_SENDER_OFFSET = 1;
  public static final int INITIATION_MESSAGE_OFFSET = 5;
  public static final int INITIATION_MAC1_OFFSET = INITIATION_MESSAGE_OFFSET + INITIATION_MESSAGE_BYTES;
  public static final int INITIATION_MAC2_OFFSET = INITIATION_MAC1_OFFSET + MAC_BYTES;
  public static final int INITIATION_BYTES = INITIATION_MAC2_OFFSET + MAC_BYTES;

  public static final int RESPONSE_SENDER_OFFSET = 1;
  public static final int RESPONSE_RECEIVER_OFFSET = 5;
  public static final int RESPONSE_MESSAGE_OFFSET = 9;
  public static final int RESPONSE_BYTES = RESPONSE_MESSAGE_OFFSET + RESPONSE_MESSAGE_BYTES;

  public static final int COOKIE_RECEIVER_OFFSET = 1;
  public static final int COOKIE_NONCE_OFFSET = 5;
  public static final int COOKIE_SEALED_OFFSET = COOKIE_NONCE_OFFSET + NONCE_BYTES;
  public static final int COOKIE_PACKET_BYTES = COOKIE_SEALED_OFFSET + COOKIE_BYTES + Aead.TAG_BYTES;

  public static final int DATA_RECEIVER_OFFSET = 1;
  public static final int DATA_COUNTER_OFFSET = 5;
  public static final int DATA_HEADER_BYTES = 13;

  public static final int KEY_REQUEST_BYTES = 64;
  public static final int KEY_REPLY_BYTES = 1 + NoiseNk.KEY_BYTES;

  /** Bound into every handshake hash, so a handshake of another protocol never passes for ours. */
  public static final byte[] PROLOGUE = "p2pchat secure channel v1".getBytes(StandardCharsets.US_ASCII);

  private static final byte[] MAC1_LABEL = "mac1----".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] COOKIE_LABEL = "cookie--".getBytes(StandardCharsets.US_ASCII);

  private Packets() {}

  /** The key of mac1: anyone who knows the server's public key can compute it. */
  public static byte[] mac1Key(byte[] serverPublicKey) {
    return sha256(MAC1_LABEL, serverPublicKey);
  }

  /** The key that seals cookie replies to initiations sent to this server. */
  public static byte[] cookieKey(byte[] serverPublicKey) {
    return sha256(COOKIE_LABEL, serverPublicKey);
  }

  /** A MAC: HMAC-SHA256 truncated to 16 bytes over {@code packet[0, length)}. */
  public static byte[] mac(byte[] key, byte[] packet, int length) {
    return Arrays.copyOf(hmac(key, Arrays.copyOf(packet, length)), MAC_BYTES);
  }

  /** HMAC-SHA256 of the concatenated {@code parts}. */
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

  private static byte[] sha256(byte[]... parts) {
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

  /** Whether {@code packet[offset, offset + 16)} equals {@code expected}, in constant time. */
  public static boolean macEquals(byte[] packet, int offset, byte[] expected) {
    return MessageDigest.isEqual(Arrays.copyOfRange(packet, offset, offset + MAC_BYTES), expected);
  }

  /** The big-endian u32 at {@code offset}. */
  public static int getInt(byte[] b, int offset) {
    return ((b[offset] & 0xff) << 24) | ((b[offset + 1] & 0xff) << 16) | ((b[offset + 2] & 0xff) << 8)
        | (b[offset + 3] & 0xff);
  }

  /** Writes {@code value} as a big-endian u32 at {@code offset}. */
  public static void putInt(byte[] b, int offset, int value) {
    b[offset] = (byte) (value >>> 24);
    b[offset + 1] = (byte) (value >>> 16);
    b[offset + 2] = (byte) (value >>> 8);
    b[offset + 3] = (byte) value;
  }
}
