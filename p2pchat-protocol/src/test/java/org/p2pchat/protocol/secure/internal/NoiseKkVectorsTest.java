package org.p2pchat.protocol.secure.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The peer links' handshake ({@link NoiseKk}, docs/protocol.md section 25.6) reproduces the
 * public {@code Noise_KK_25519_ChaChaPoly_SHA256} vectors of the snow and cacophony suites byte
 * for byte, handshake and transport, from the same resource files as {@link NoiseVectorsTest}.
 */
class NoiseKkVectorsTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void handshakeAndTransportMessagesMatchThePublicKkVectors() throws Exception {
    List<Map<String, Object>> vectors = kkVectors();
    assertThat(vectors).as("KK vectors, one per file").hasSize(NoiseVectorsTest.FILES.size());
    for (Map<String, Object> v : vectors) {
      assertThat(NoiseNk.publicKey(hex(v, "resp_static"))).isEqualTo(hex(v, "init_remote_static"));
      assertThat(NoiseNk.publicKey(hex(v, "init_static"))).isEqualTo(hex(v, "resp_remote_static"));
      List<?> messages = (List<?>) v.get("messages");
      Map<?, ?> first = (Map<?, ?>) messages.get(0);
      Map<?, ?> second = (Map<?, ?>) messages.get(1);
      NoiseKk.Initiator initiator = new NoiseKk.Initiator(hex(v, "init_prologue"), hex(v, "init_static"),
          hex(v, "init_remote_static"), hex(first, "payload"), hex(v, "init_ephemeral"));
      byte[] m1 = initiator.message1();
      assertThat(HEX.formatHex(m1)).isEqualTo(first.get("ciphertext"));
      byte[][] shown = new byte[1][];
      NoiseKk.Response response = NoiseKk.respond(hex(v, "resp_prologue"), hex(v, "resp_static"),
          hex(v, "resp_remote_static"), m1, p -> (shown[0] = p) != null, hex(second, "payload"),
          hex(v, "resp_ephemeral"));
      assertThat(response).isNotNull();
      assertThat(shown[0]).isEqualTo(hex(first, "payload"));
      assertThat(HEX.formatHex(response.message())).isEqualTo(second.get("ciphertext"));
      NoiseKk.Initiator.Result result = initiator.read(response.message(), p -> true);
      assertThat(result).isNotNull();
      assertThat(result.payload()).isEqualTo(hex(second, "payload"));
      Aead initiatorSend = new NoiseJavaChaChaPoly(result.ciphers().getSender());
      Aead responderReceive = new NoiseJavaChaChaPoly(response.ciphers().getReceiver());
      Aead responderSend = new NoiseJavaChaChaPoly(response.ciphers().getSender());
      Aead initiatorReceive = new NoiseJavaChaChaPoly(result.ciphers().getReceiver());
      for (int i = 2; i < messages.size(); i++) {
        Map<?, ?> m = (Map<?, ?>) messages.get(i);
        byte[] payload = hex(m, "payload");
        long counter = (i - 2) / 2;
        boolean fromInitiator = i % 2 == 0;
        ByteBuffer sealed = ByteBuffer.allocate(payload.length + Aead.TAG_BYTES);
        (fromInitiator ? initiatorSend : responderSend).seal(counter, new byte[0], ByteBuffer.wrap(payload), sealed);
        assertThat(HEX.formatHex(sealed.array())).as("transport message %d", i).isEqualTo(m.get("ciphertext"));
        ByteBuffer opened = ByteBuffer.allocate(payload.length);
        sealed.flip();
        assertThat((fromInitiator ? responderReceive : initiatorReceive).open(counter, new byte[0], sealed, opened))
            .isTrue();
        assertThat(opened.array()).isEqualTo(payload);
      }
    }
  }

  @Test
  void aResponderRefusesAnInitiationFromAnyOtherKeyAndAForgedResponseDoesNotSpoilTheHandshake() throws Exception {
    byte[] alice = NoiseNk.generatePrivateKey();
    byte[] bob = NoiseNk.generatePrivateKey();
    byte[] mallory = NoiseNk.generatePrivateKey();
    byte[] prologue = "p2pchat peer link v1 test".getBytes(StandardCharsets.US_ASCII);
    NoiseKk.Initiator fromMallory = new NoiseKk.Initiator(prologue, mallory, NoiseNk.publicKey(bob), new byte[4]);
    assertThat(NoiseKk.respond(prologue, bob, NoiseNk.publicKey(alice), fromMallory.message1(), p -> true, new byte[8]))
        .as("bob expects alice's key").isNull();

    NoiseKk.Initiator fromAlice = new NoiseKk.Initiator(prologue, alice, NoiseNk.publicKey(bob), new byte[4]);
    NoiseKk.Response forged = NoiseKk.respond(prologue, mallory, NoiseNk.publicKey(alice), fromAlice.message1(),
        p -> true, new byte[8]);
    assertThat(forged).as("mallory cannot even read alice's initiation to bob").isNull();
    byte[] junk = new byte[NoiseNk.messageBytes(8)];
    junk[0] = 9;
    assertThat(fromAlice.read(junk, p -> true)).isNull();
    NoiseKk.Response real = NoiseKk.respond(prologue, bob, NoiseNk.publicKey(alice), fromAlice.message1(), p -> true,
        new byte[8]);
    assertThat(fromAlice.read(real.message(), p -> true)).as("the real response still completes it").isNotNull();
  }

  private static List<Map<String, Object>> kkVectors() {
    List<Map<String, Object>> vectors = new ArrayList<>();
    for (String file : NoiseVectorsTest.FILES) {
      Map<?, ?> root = (Map<?, ?>) MiniJson.parse(resource(file));
      for (Object v : (List<?>) root.get("vectors")) {
        @SuppressWarnings("unchecked")
        Map<String, Object> vector = (Map<String, Object>) v;
        if (NoiseKk.PROTOCOL_NAME.equals(vector.get("protocol_name"))) {
          vectors.add(vector);
        }
      }
    }
    return vectors;
  }

  private static String resource(String name) {
    try (InputStream in = NoiseKkVectorsTest.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new AssertionError("test resource missing: " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] hex(Map<?, ?> map, String key) {
    Object value = map.get(key);
    return value == null ? new byte[0] : HEX.parseHex((String) value);
  }
}
