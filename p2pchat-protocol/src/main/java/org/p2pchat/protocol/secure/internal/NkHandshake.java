package org.p2pchat.protocol.secure.internal;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.function.Predicate;

/**
 * One side of a {@code Noise_NK_25519_ChaChaPoly_SHA256} handshake (Noise spec, section 7.4):
 *
 * <pre>
 *   NK:
 *     &lt;- s
 *     ...
 *     -&gt; e, es
 *     &lt;- e, ee
 * </pre>
 *
 * The initiator knows the responder's static public key beforehand. Messages are one message
 * each way; after the second, {@link #split} gives the transport keys. Not thread-safe; one
 * instance per handshake.
 */
public final class NkHandshake {
  /** The protocol name, which is also the initial handshake hash. */
  public static final String PROTOCOL_NAME = "Noise_NK_25519_ChaChaPoly_SHA256";

  /** The length of a handshake message with a payload of {@code payloadBytes}. */
  public static int messageBytes(int payloadBytes) {
    return X25519.KEY_BYTES + payloadBytes + Aead.TAG_BYTES;
  }

  private final boolean initiator;
  private SymmetricState state = new SymmetricState(PROTOCOL_NAME);
  private final byte[] localStaticPrivate;
  private final byte[] ephemeralPrivate;
  private byte[] remoteStatic;
  private byte[] remoteEphemeral;
  private int step;

  private NkHandshake(boolean initiator, byte[] prologue, byte[] responderStaticPublic,
      byte[] localStaticPrivate, byte[] ephemeralPrivate) {
    this.initiator = initiator;
    this.localStaticPrivate = localStaticPrivate;
    this.ephemeralPrivate = ephemeralPrivate;
    this.remoteStatic = initiator ? responderStaticPublic.clone() : null;
    state.mixHash(prologue);
    state.mixHash(responderStaticPublic);
  }

  /**
   * The initiator's side.
   *
   * @param ephemeralPrivate the ephemeral private key: fresh random bytes, fixed only in tests
   */
  public static NkHandshake initiator(byte[] prologue, byte[] responderStaticPublic,
      byte[] ephemeralPrivate) {
    return new NkHandshake(true, prologue, responderStaticPublic, null, ephemeralPrivate.clone());
  }

  /** The responder's side. */
  public static NkHandshake responder(byte[] prologue, byte[] staticPrivate, byte[] staticPublic,
      byte[] ephemeralPrivate) {
    return new NkHandshake(false, prologue, staticPublic, staticPrivate.clone(), ephemeralPrivate.clone());
  }

  /**
   * Writes the next message of this side (the first for the initiator, the second for the
   * responder).
   *
   * @throws GeneralSecurityException when a Diffie-Hellman fails (a peer's key of small order)
   */
  public byte[] writeMessage(byte[] payload) throws GeneralSecurityException {
    if (step != (initiator ? 0 : 1)) {
      throw new IllegalStateException("not this side's turn to write");
    }
    byte[] ephemeralPublic = X25519.publicKey(ephemeralPrivate);
    state.mixHash(ephemeralPublic);
    state.mixKey(initiator ? X25519.dh(ephemeralPrivate, remoteStatic) // es
        : X25519.dh(ephemeralPrivate, remoteEphemeral)); // ee
    byte[] ciphertext = state.encryptAndHash(payload);
    step++;
    byte[] message = Arrays.copyOf(ephemeralPublic, ephemeralPublic.length + ciphertext.length);
    System.arraycopy(ciphertext, 0, message, ephemeralPublic.length, ciphertext.length);
    return message;
  }

  /**
   * Reads the peer's message and returns its payload. A message that fails leaves this side
   * as it was, so a forged message cannot spoil a handshake in progress.
   *
   * @throws GeneralSecurityException when the message does not authenticate (wrong keys,
   *     tampering) or is malformed
   */
  public byte[] readMessage(byte[] message) throws GeneralSecurityException {
    return readMessage(message, payload -> true);
  }

  /**
   * Reads the peer's message as {@link #readMessage(byte[])} does, and accepts it only when
   * {@code check} accepts its payload; otherwise this side stays as it was.
   *
   * @throws GeneralSecurityException when the message does not authenticate or the check fails
   */
  public byte[] readMessage(byte[] message, Predicate<byte[]> check) throws GeneralSecurityException {
    if (step != (initiator ? 1 : 0)) {
      throw new IllegalStateException("not this side's turn to read");
    }
    if (message.length < X25519.KEY_BYTES + Aead.TAG_BYTES) {
      throw new GeneralSecurityException("handshake message too short");
    }
    byte[] re = Arrays.copyOf(message, X25519.KEY_BYTES);
    SymmetricState trial = state.copy();
    trial.mixHash(re);
    trial.mixKey(initiator ? X25519.dh(ephemeralPrivate, re) // ee
        : X25519.dh(localStaticPrivate, re)); // es
    byte[] payload = trial.decryptAndHash(Arrays.copyOfRange(message, X25519.KEY_BYTES, message.length));
    if (!check.test(payload)) {
      throw new GeneralSecurityException("the handshake payload is not what the packet says");
    }
    state = trial;
    remoteEphemeral = re;
    step++;
    return payload;
  }

  /** Whether both messages have passed. */
  public boolean isComplete() {
    return step == 2;
  }

  /** The handshake hash, binding both sides' view of the whole handshake. */
  public byte[] handshakeHash() {
    return state.handshakeHash();
  }

  /**
   * The transport keys, once complete: index 0 encrypts initiator to responder, index 1
   * responder to initiator. Wipes the handshake's secrets.
   */
  public byte[][] split() {
    if (!isComplete()) {
      throw new IllegalStateException("the handshake is not complete");
    }
    Arrays.fill(ephemeralPrivate, (byte) 0);
    return state.split();
  }
}
