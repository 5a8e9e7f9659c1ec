package org.p2pchat.protocol.secure.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.KeyAgreement;
import org.junit.jupiter.api.Test;

/** The NK handshake on noise-java's HandshakeState, beyond what the public vectors show. */
class NoiseNkTest {
  private static final byte[] PROLOGUE = Packets.PROLOGUE;
  private static final SecureRandom RANDOM = new SecureRandom();
  private final byte[] serverPrivate = NoiseNk.generatePrivateKey();
  private final byte[] serverPublic = NoiseNk.publicKey(serverPrivate);
  private final NoiseNk.StaticKey serverKey = new NoiseNk.StaticKey(serverPrivate);

  @Test
  void bothSidesAgreeOnTheKeysAndTheHandshakeHash() throws Exception {
    NoiseNk.Initiator initiator = new NoiseNk.Initiator(PROLOGUE, serverPublic, new byte[] {1, 2, 3, 4}, null);
    NoiseNk.Response response = NoiseNk.respond(PROLOGUE, serverKey, initiator.message1(),
        p -> Arrays.equals(p, new byte[] {1, 2, 3, 4}), new byte[] {5, 6}, null);
    assertThat(response).isNotNull();
    NoiseNk.Initiator.Result result = initiator.read(response.message(), p -> true);
    assertThat(result.payload()).containsExactly(5, 6);
    assertThat(result.handshakeHash()).isEqualTo(response.handshakeHash());
    assertThat(crosses(result.ciphers().getSender(), response.ciphers().getReceiver())).isTrue();
    assertThat(crosses(response.ciphers().getSender(), result.ciphers().getReceiver())).isTrue();
  }

  @Test
  void everyFlippedBitOfMessageTwoFailsAndTheRealMessageTwoStillCompletes() throws Exception {
    NoiseNk.Initiator initiator = new NoiseNk.Initiator(PROLOGUE, serverPublic, new byte[4], null);
    NoiseNk.Response response = NoiseNk.respond(PROLOGUE, serverKey, initiator.message1(), p -> true, new byte[8], null);
    byte[] message2 = response.message();
    for (int bit = 0; bit < message2.length * 8; bit++) {
      assertThat(initiator.read(SecureChannelTest.flip(message2, bit), p -> true)).as("bit %d", bit).isNull();
    }
    assertThat(initiator.read(Arrays.copyOf(message2, message2.length - 1), p -> true)).isNull();
    NoiseNk.Initiator.Result result = initiator.read(message2, p -> true);
    assertThat(result).isNotNull();
    assertThat(result.handshakeHash()).isEqualTo(response.handshakeHash());
  }

  @Test
  void aPayloadTheCheckRefusesFailsTheMessageOnBothSidesAndSpoilsNothing() throws Exception {
    NoiseNk.Initiator initiator = new NoiseNk.Initiator(PROLOGUE, serverPublic, new byte[4], null);
    assertThat(NoiseNk.respond(PROLOGUE, serverKey, initiator.message1(), p -> false, new byte[8], null)).isNull();
    NoiseNk.Response response = NoiseNk.respond(PROLOGUE, serverKey, initiator.message1(), p -> true, new byte[8], null);
    assertThat(initiator.read(response.message(), p -> false)).isNull();
    assertThat(initiator.read(response.message(), p -> true)).isNotNull();
  }

  @Test
  void aResponderWithAnotherKeyOrPrologueCannotReadMessageOne() throws Exception {
    NoiseNk.Initiator initiator = new NoiseNk.Initiator(PROLOGUE, serverPublic, new byte[4], null);
    NoiseNk.StaticKey other = new NoiseNk.StaticKey(NoiseNk.generatePrivateKey());
    assertThat(NoiseNk.respond(PROLOGUE, other, initiator.message1(), p -> true, new byte[8], null)).isNull();
    assertThat(NoiseNk.respond("another protocol".getBytes(java.nio.charset.StandardCharsets.US_ASCII), serverKey,
        initiator.message1(), p -> true, new byte[8], null)).isNull();
  }

  /** The constants of the small-order list are what the JDK's XDH refuses, and it refuses no random key. */
  @Test
  void theKeysRefusedAsWeakAreExactlyTheSmallOrderOnesTheJdkRefuses() throws Exception {
    List<byte[]> weak = smallOrderKeys();
    for (byte[] key : weak) {
      assertThat(NoiseNk.isWeakPublicKey(key, 0)).as(HexFormat.of().formatHex(key)).isTrue();
      assertThatThrownBy(() -> jdkDh(serverPrivate, key)).as(HexFormat.of().formatHex(key))
          .isInstanceOf(InvalidKeyException.class);
    }
    for (int i = 0; i < 50; i++) {
      byte[] key = NoiseNk.publicKey(NoiseNk.generatePrivateKey());
      assertThat(NoiseNk.isWeakPublicKey(key, 0)).isFalse();
      assertThatCode(() -> jdkDh(serverPrivate, key)).doesNotThrowAnyException();
    }
    byte[] topBit = NoiseNk.publicKey(NoiseNk.generatePrivateKey());
    topBit[31] |= (byte) 0x80;
    assertThat(NoiseNk.isWeakPublicKey(topBit, 0)).isTrue();
  }

  @Test
  void aWeakEphemeralKeyInEitherMessageIsRefusedBeforeAnyDiffieHellman() throws Exception {
    NoiseNk.Initiator initiator = new NoiseNk.Initiator(PROLOGUE, serverPublic, new byte[4], null);
    NoiseNk.Response response = NoiseNk.respond(PROLOGUE, serverKey, initiator.message1(), p -> true, new byte[8], null);
    for (byte[] key : smallOrderKeys()) {
      byte[] message1 = initiator.message1();
      System.arraycopy(key, 0, message1, 0, NoiseNk.KEY_BYTES);
      assertThat(NoiseNk.respond(PROLOGUE, serverKey, message1, p -> true, new byte[8], null)).isNull();
      byte[] message2 = response.message().clone();
      System.arraycopy(key, 0, message2, 0, NoiseNk.KEY_BYTES);
      assertThat(initiator.read(message2, p -> true)).isNull();
    }
    assertThat(initiator.read(response.message(), p -> true)).isNotNull();
  }

  @Test
  void aWeakPinnedServerKeyIsRefusedAtOnce() {
    for (byte[] key : smallOrderKeys()) {
      assertThatThrownBy(() -> new NoiseNk.Initiator(PROLOGUE, key, new byte[4], null))
          .isInstanceOf(GeneralSecurityException.class);
    }
  }

  @Test
  void thePublicKeyIsTheJdksX25519OfThePrivateKey() throws Exception {
    for (int i = 0; i < 20; i++) {
      byte[] a = new byte[32];
      RANDOM.nextBytes(a); // unclamped, as a key file may hold it
      byte[] b = NoiseNk.generatePrivateKey();
      assertThat(jdkDh(a, NoiseNk.publicKey(b))).isEqualTo(jdkDh(b, NoiseNk.publicKey(a)));
    }
  }

  /** 0, 1, the two points of order 8, p - 1, p and p + 1 (libsodium's list), little-endian. */
  private static List<byte[]> smallOrderKeys() {
    HexFormat hex = HexFormat.of();
    return List.of(
        new byte[32],
        hex.parseHex("0100000000000000000000000000000000000000000000000000000000000000"),
        hex.parseHex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"),
        hex.parseHex("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157"),
        hex.parseHex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
        hex.parseHex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
        hex.parseHex("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"));
  }

  /** X25519 through the JDK's XDH: an independent implementation to check noise-java's keys against. */
  private static byte[] jdkDh(byte[] privateKey, byte[] publicKey) throws GeneralSecurityException {
    KeyFactory factory = KeyFactory.getInstance("XDH");
    byte[] bigEndian = new byte[32];
    for (int i = 0; i < 32; i++) {
      bigEndian[i] = publicKey[31 - i];
    }
    bigEndian[0] &= 0x7f;
    KeyAgreement agreement = KeyAgreement.getInstance("XDH");
    agreement.init(factory.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, privateKey.clone())));
    agreement.doPhase(factory.generatePublic(
        new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, bigEndian))), true);
    return agreement.generateSecret();
  }

  private static boolean crosses(com.southernstorm.noise.protocol.CipherState from,
      com.southernstorm.noise.protocol.CipherState to) {
    Aead sealer = new NoiseJavaChaChaPoly(from);
    Aead opener = new NoiseJavaChaChaPoly(to);
    ByteBuffer sealed = ByteBuffer.allocate(64);
    sealer.seal(7, new byte[0], ByteBuffer.wrap("frame".getBytes(java.nio.charset.StandardCharsets.US_ASCII)), sealed);
    sealed.flip();
    ByteBuffer opened = ByteBuffer.allocate(64);
    return opener.open(7, new byte[0], sealed, opened) && opened.flip().remaining() == 5;
  }
}
