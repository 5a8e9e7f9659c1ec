package org.p2pchat.protocol.secure.internal;

import com.southernstorm.noise.protocol.CipherStatePair;
import com.southernstorm.noise.protocol.DHState;
import com.southernstorm.noise.protocol.HandshakeState;
import com.southernstorm.noise.protocol.Noise;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.function.Predicate;
import javax.crypto.BadPaddingException;
import javax.crypto.ShortBufferException;

/**
 * The {@code Noise_NK_25519_ChaChaPoly_SHA256} handshake (Noise spec, section 7.4) on noise-java's
 * {@link HandshakeState}, one message each way:
 *
 * <pre>
 *   NK:
 *     &lt;- s
 *     ...
 *     -&gt; e, es
 *     &lt;- e, ee
 * </pre>
 *
 * What this class adds to the library is what a datagram channel needs around it: a responder in
 * one call per initiation, an initiator that a forged message 2 cannot spoil, a check of the
 * payload before the handshake is accepted, and the refusal of a peer's ephemeral key of small
 * order. Stateless apart from the instances it returns; those are not thread-safe.
 */
public final class NoiseNk {
  /** The protocol name, which is also the initial handshake hash. */
  public static final String PROTOCOL_NAME = "Noise_NK_25519_ChaChaPoly_SHA256";

  /** The length of an X25519 key, public or private, in bytes. */
  public static final int KEY_BYTES = 32;

  private static final int TAG_BYTES = 16;

  /**
   * The public keys X25519 turns into an all-zero shared secret (libsodium's list): 0, 1, the
   * two points of order 8, and p - 1, p, p + 1. The JDK's XDH refused them and WireGuard does;
   * noise-java refuses only 0, so they are refused here before any Diffie-Hellman.
   */
  private static final byte[][] SMALL_ORDER = smallOrderKeys();

  private NoiseNk() {}

  /** The length of a handshake message with a payload of {@code payloadBytes}. */
  public static int messageBytes(int payloadBytes) {
    return KEY_BYTES + payloadBytes + TAG_BYTES;
  }

  /** A fresh random X25519 private key. */
  public static byte[] generatePrivateKey() {
    DHState dh = newDh();
    dh.generateKeyPair();
    byte[] key = new byte[KEY_BYTES];
    dh.getPrivateKey(key, 0);
    dh.destroy();
    return key;
  }

  /** The X25519 public key of {@code privateKey} (32 bytes, clamped as RFC 7748 says). */
  public static byte[] publicKey(byte[] privateKey) {
    DHState dh = keyPair(privateKey);
    byte[] key = new byte[KEY_BYTES];
    dh.getPublicKey(key, 0);
    dh.destroy();
    return key;
  }

  /**
   * Whether {@code key} is no usable X25519 public key for a handshake: of small order (the
   * shared secret would be all zero whatever the private key), or with its top bit set (no
   * X25519 implementation writes one, and noise-java would not mask it as RFC 7748 does).
   */
  public static boolean isWeakPublicKey(byte[] key, int offset) {
    if ((key[offset + KEY_BYTES - 1] & 0x80) != 0) {
      return true;
    }
    for (byte[] weak : SMALL_ORDER) {
      if (Arrays.equals(key, offset, offset + KEY_BYTES, weak, 0, KEY_BYTES)) {
        return true;
      }
    }
    return false;
  }

  /** The responder's static key pair, prepared once; {@link DHState#copyFrom} needs no X25519. */
  public static final class StaticKey {
    private final DHState keyPair;

    /** @param privateKey 32 bytes; copied */
    public StaticKey(byte[] privateKey) {
      this.keyPair = keyPair(privateKey);
    }
  }

  /** Message 2 and the responder's transport ciphers: sender for responder to initiator. */
  public record Response(byte[] message, CipherStatePair ciphers, byte[] handshakeHash) {}

  /**
   * Answers one message 1 as the responder, or returns null when it does not authenticate, is
   * malformed, carries a weak ephemeral key, or its payload fails {@code check}.
   *
   * @param ephemeralPrivate null for a fresh ephemeral key; fixed only by the test vectors
   */
  public static Response respond(byte[] prologue, StaticKey key, byte[] message1, Predicate<byte[]> check,
      byte[] payload, byte[] ephemeralPrivate) {
    if (message1.length < KEY_BYTES + TAG_BYTES || isWeakPublicKey(message1, 0)) {
      return null;
    }
    HandshakeState state = newState(HandshakeState.RESPONDER);
    try {
      state.getLocalKeyPair().copyFrom(key.keyPair);
      if (ephemeralPrivate != null) {
        state.getFixedEphemeralKey().setPrivateKey(ephemeralPrivate, 0);
      }
      state.setPrologue(prologue, 0, prologue.length);
      state.start();
      byte[] received = new byte[message1.length];
      int length;
      try {
        length = state.readMessage(message1, 0, message1.length, received, 0);
      } catch (BadPaddingException | ShortBufferException e) {
        return null;
      }
      if (!check.test(Arrays.copyOf(received, length))) {
        return null;
      }
      byte[] message2 = new byte[messageBytes(payload.length)];
      state.writeMessage(message2, 0, payload, 0, payload.length);
      byte[] hash = state.getHandshakeHash().clone();
      return new Response(message2, state.split(), hash);
    } catch (ShortBufferException e) {
      throw new IllegalStateException("message 2 is sized by messageBytes", e);
    } finally {
      state.destroy();
    }
  }

  /**
   * The initiator's side: message 1 is written at once; {@link #read} takes message 2. A message
   * 2 that fails leaves this side ready for the real one.
   *
   * <p>noise-java marks a {@link HandshakeState} failed after one bad message, and a forged
   * {@code RESPONSE} must not spoil the handshake in progress ({@code docs/protocol.md} 16.3). So
   * this side holds its ephemeral key and, after a failure, rebuilds the state to the same point
   * through the library's fixed-ephemeral hook (made for test vectors): the key is fresh for
   * each initiator and only ever writes the same message 1 again, which is checked byte for byte.
   */
  public static final class Initiator {
    private final byte[] prologue;
    private final byte[] responderStatic;
    private final byte[] payload;
    private final DHState ephemeral;
    private final byte[] message1;
    private HandshakeState state;

    /**
     * @param ephemeralPrivate null for a fresh ephemeral key; fixed only by the test vectors
     * @throws GeneralSecurityException when the responder's key is weak ({@link #isWeakPublicKey})
     */
    public Initiator(byte[] prologue, byte[] responderStatic, byte[] payload, byte[] ephemeralPrivate)
        throws GeneralSecurityException {
      if (responderStatic.length != KEY_BYTES || isWeakPublicKey(responderStatic, 0)) {
        throw new GeneralSecurityException("the responder's static key is not a usable X25519 public key");
      }
      this.prologue = prologue.clone();
      this.responderStatic = responderStatic.clone();
      this.payload = payload.clone();
      this.ephemeral = newDh();
      if (ephemeralPrivate == null) {
        ephemeral.generateKeyPair();
      } else {
        ephemeral.setPrivateKey(ephemeralPrivate, 0);
      }
      this.message1 = new byte[messageBytes(payload.length)];
      this.state = writeMessage1(message1);
    }

    private HandshakeState writeMessage1(byte[] into) {
      HandshakeState s = newState(HandshakeState.INITIATOR);
      s.getRemotePublicKey().setPublicKey(responderStatic, 0);
      s.getFixedEphemeralKey().copyFrom(ephemeral);
      s.setPrologue(prologue, 0, prologue.length);
      s.start();
      try {
        s.writeMessage(into, 0, payload, 0, payload.length);
      } catch (ShortBufferException e) {
        throw new IllegalStateException("message 1 is sized by messageBytes", e);
      }
      return s;
    }

    /** Message 1 (a copy). */
    public byte[] message1() {
      return message1.clone();
    }

    /** The initiator's side of a finished handshake. */
    public record Result(byte[] payload, CipherStatePair ciphers, byte[] handshakeHash) {}

    /**
     * Reads message 2; on success the handshake is over and this object must not be used again.
     *
     * @return the payload and the transport ciphers (sender for initiator to responder), or null
     *     when it does not authenticate, is malformed, carries a weak ephemeral key or its payload
     *     fails {@code check}; then this side still accepts the real message 2
     */
    public Result read(byte[] message2, Predicate<byte[]> check) {
      if (message2.length < KEY_BYTES + TAG_BYTES || isWeakPublicKey(message2, 0)) {
        return null;
      }
      if (state == null) {
        byte[] again = new byte[message1.length];
        state = writeMessage1(again);
        if (!Arrays.equals(again, message1)) {
          throw new IllegalStateException("noise-java wrote another message 1 from the same keys");
        }
      }
      byte[] received = new byte[message2.length];
      int length;
      try {
        length = state.readMessage(message2, 0, message2.length, received, 0);
      } catch (BadPaddingException | ShortBufferException e) {
        spoiled();
        return null;
      }
      byte[] opened = Arrays.copyOf(received, length);
      if (!check.test(opened)) {
        spoiled();
        return null;
      }
      byte[] hash = state.getHandshakeHash().clone();
      CipherStatePair ciphers = state.split();
      state.destroy();
      ephemeral.destroy();
      return new Result(opened, ciphers, hash);
    }

    private void spoiled() {
      state.destroy();
      state = null; // rebuilt by the next read
    }
  }

  private static HandshakeState newState(int role) {
    try {
      return new HandshakeState(PROTOCOL_NAME, role);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("noise-java cannot run " + PROTOCOL_NAME, e);
    }
  }

  /** A fresh 25519 key pair holder of noise-java's (NoiseKk's too). */
  static DHState newDh() {
    try {
      return Noise.createDH("25519");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("noise-java has no 25519", e);
    }
  }

  private static DHState keyPair(byte[] privateKey) {
    if (privateKey.length != KEY_BYTES) {
      throw new IllegalArgumentException("an X25519 private key has 32 bytes");
    }
    DHState dh = newDh();
    dh.setPrivateKey(privateKey, 0);
    return dh;
  }

  private static byte[][] smallOrderKeys() {
    BigInteger p = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
    BigInteger[] values = {
        BigInteger.ZERO,
        BigInteger.ONE,
        new BigInteger("325606250916557431795983626356110631294008115727848805560023387167927233504"),
        new BigInteger("39382357235489614581723060781553021112529911719440698176882885853963445705823"),
        p.subtract(BigInteger.ONE),
        p,
        p.add(BigInteger.ONE),
    };
    byte[][] keys = new byte[values.length][];
    for (int i = 0; i < values.length; i++) {
      byte[] bigEndian = values[i].toByteArray();
      byte[] littleEndian = new byte[KEY_BYTES];
      for (int j = 0; j < bigEndian.length && j < KEY_BYTES; j++) {
        littleEndian[j] = bigEndian[bigEndian.length - 1 - j];
      }
      keys[i] = littleEndian;
    }
    return keys;
  }
}
