package org.p2pchat.protocol.secure.internal;

import com.southernstorm.noise.protocol.CipherStatePair;
import com.southernstorm.noise.protocol.DHState;
import com.southernstorm.noise.protocol.HandshakeState;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.function.Predicate;
import javax.crypto.BadPaddingException;
import javax.crypto.ShortBufferException;

/**
 * The {@code Noise_KK_25519_ChaChaPoly_SHA256} handshake between two devices that know each
 * other's static keys beforehand (the server vouched for them), one message each way
 * (Noise spec, section 7.5):
 *
 * <pre>
 *   KK:
 *     -&gt; s
 *     &lt;- s
 *     ...
 *     -&gt; e, es, ss
 *     &lt;- e, ee, se
 * </pre>
 *
 * Both sides are authenticated by their static keys and the keys of the channel are forward
 * secret. As {@link NoiseNk}, the initiator survives a forged message 2 (it rebuilds its state
 * from its ephemeral key) and weak public keys are refused before any Diffie-Hellman.
 */
public final class NoiseKk {
  /** The protocol name. */
  public static final String PROTOCOL_NAME = "Noise_KK_25519_ChaChaPoly_SHA256";

  private NoiseKk() {}

  /** The responder's answer: message 2 and the ciphers (sender: responder to initiator). */
  public record Response(byte[] message, CipherStatePair ciphers) {}

  /**
   * Answers message 1, or returns null when it does not authenticate as coming from
   * {@code initiatorStatic}, is malformed, carries a weak key, or its payload fails {@code check}.
   */
  public static Response respond(byte[] prologue, byte[] localPrivate, byte[] initiatorStatic, byte[] message1,
      Predicate<byte[]> check, byte[] payload) {
    return respond(prologue, localPrivate, initiatorStatic, message1, check, payload, null);
  }

  /** As above, with a fixed ephemeral key: for the public test vectors only (null: fresh). */
  static Response respond(byte[] prologue, byte[] localPrivate, byte[] initiatorStatic, byte[] message1,
      Predicate<byte[]> check, byte[] payload, byte[] ephemeralPrivate) {
    if (message1.length < NoiseNk.KEY_BYTES + 16 || NoiseNk.isWeakPublicKey(message1, 0)
        || NoiseNk.isWeakPublicKey(initiatorStatic, 0)) {
      return null;
    }
    HandshakeState state = newState(HandshakeState.RESPONDER);
    try {
      state.getLocalKeyPair().setPrivateKey(localPrivate, 0);
      state.getRemotePublicKey().setPublicKey(initiatorStatic, 0);
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
      byte[] message2 = new byte[NoiseNk.messageBytes(payload.length)];
      state.writeMessage(message2, 0, payload, 0, payload.length);
      return new Response(message2, state.split());
    } catch (ShortBufferException e) {
      throw new IllegalStateException("message 2 is sized by messageBytes", e);
    } finally {
      state.destroy();
    }
  }

  /** The initiator: message 1 is written at once; {@link #read} takes message 2. */
  public static final class Initiator {
    private final byte[] prologue;
    private final byte[] localPrivate;
    private final byte[] responderStatic;
    private final byte[] payload;
    private final DHState ephemeral;
    private final byte[] message1;
    private HandshakeState state;

    /** @throws GeneralSecurityException when the responder's key is weak */
    public Initiator(byte[] prologue, byte[] localPrivate, byte[] responderStatic, byte[] payload)
        throws GeneralSecurityException {
      this(prologue, localPrivate, responderStatic, payload, null);
    }

    /** As above, with a fixed ephemeral key: for the public test vectors only (null: fresh). */
    Initiator(byte[] prologue, byte[] localPrivate, byte[] responderStatic, byte[] payload, byte[] ephemeralPrivate)
        throws GeneralSecurityException {
      if (responderStatic.length != NoiseNk.KEY_BYTES || NoiseNk.isWeakPublicKey(responderStatic, 0)) {
        throw new GeneralSecurityException("the peer's static key is not a usable X25519 public key");
      }
      this.prologue = prologue.clone();
      this.localPrivate = localPrivate.clone();
      this.responderStatic = responderStatic.clone();
      this.payload = payload.clone();
      this.ephemeral = NoiseNk.newDh();
      if (ephemeralPrivate == null) {
        ephemeral.generateKeyPair();
      } else {
        ephemeral.setPrivateKey(ephemeralPrivate, 0);
      }
      this.message1 = new byte[NoiseNk.messageBytes(payload.length)];
      this.state = writeMessage1(message1);
    }

    private HandshakeState writeMessage1(byte[] into) {
      HandshakeState s = newState(HandshakeState.INITIATOR);
      s.getLocalKeyPair().setPrivateKey(localPrivate, 0);
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

    /**
     * Reads message 2.
     *
     * @return the payload and the ciphers (sender: initiator to responder); null when message 2
     *     does not authenticate or its payload fails {@code check}, and then this side still
     *     accepts the real one
     */
    public Result read(byte[] message2, Predicate<byte[]> check) {
      if (message2.length < NoiseNk.KEY_BYTES + 16 || NoiseNk.isWeakPublicKey(message2, 0)) {
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
        state.destroy();
        state = null;
        return null;
      }
      byte[] opened = Arrays.copyOf(received, length);
      if (!check.test(opened)) {
        state.destroy();
        state = null;
        return null;
      }
      CipherStatePair ciphers = state.split();
      state.destroy();
      ephemeral.destroy();
      return new Result(opened, ciphers);
    }

    /** The initiator's side of a finished handshake. */
    public record Result(byte[] payload, CipherStatePair ciphers) {}
  }

  private static HandshakeState newState(int role) {
    try {
      return new HandshakeState(PROTOCOL_NAME, role);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("noise-java cannot run " + PROTOCOL_NAME, e);
    }
  }
}
