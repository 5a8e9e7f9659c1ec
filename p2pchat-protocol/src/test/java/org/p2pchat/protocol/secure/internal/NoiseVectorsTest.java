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
 * The handshake and transport messages reproduce the public Noise test vectors for
 * {@code Noise_NK_25519_ChaChaPoly_SHA256} byte for byte. The vectors are test resources
 * ({@code noise-vectors/} beside this class, with their README and licence note), so the test
 * runs on every clone; a missing file fails it.
 */
class NoiseVectorsTest {
  /** The vector files, from the snow and cacophony suites: each holds one NK vector. */
  static final List<String> FILES = List.of(
      "noise-vectors/cacophony-25519-chachapoly-sha256.json",
      "noise-vectors/snow-25519-chachapoly-sha256.json");
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void handshakeAndTransportMessagesMatchThePublicNkVectors() throws Exception {
    List<Map<String, Object>> vectors = nkVectors();
    assertThat(vectors).as("NK vectors, one per file").hasSize(FILES.size());
    for (Map<String, Object> vector : vectors) {
      replay(vector);
    }
  }

  /**
   * One vector through {@link NoiseNk} (noise-java's {@code HandshakeState}) with the vector's
   * keys, then its transport messages through the split's ciphers behind {@link Aead}.
   */
  private static void replay(Map<String, Object> v) throws Exception {
    byte[] responderStatic = hex(v, "resp_static");
    assertThat(NoiseNk.publicKey(responderStatic)).isEqualTo(hex(v, "init_remote_static"));
    List<?> messages = (List<?>) v.get("messages");
    Map<?, ?> first = (Map<?, ?>) messages.get(0);
    Map<?, ?> second = (Map<?, ?>) messages.get(1);
    NoiseNk.Initiator initiator = new NoiseNk.Initiator(hex(v, "init_prologue"), hex(v, "init_remote_static"),
        hex(first, "payload"), hex(v, "init_ephemeral"));
    byte[] m1 = initiator.message1();
    assertThat(HEX.formatHex(m1)).isEqualTo(first.get("ciphertext"));
    byte[][] firstPayload = new byte[1][]; // what the responder's check was shown
    NoiseNk.Response response = NoiseNk.respond(hex(v, "resp_prologue"), new NoiseNk.StaticKey(responderStatic), m1,
        p -> (firstPayload[0] = p) != null, hex(second, "payload"), hex(v, "resp_ephemeral"));
    assertThat(response).isNotNull();
    assertThat(firstPayload[0]).isEqualTo(hex(first, "payload"));
    assertThat(HEX.formatHex(response.message())).isEqualTo(second.get("ciphertext"));
    NoiseNk.Initiator.Result result = initiator.read(response.message(), p -> true);
    assertThat(result).isNotNull();
    assertThat(result.payload()).isEqualTo(hex(second, "payload"));
    assertThat(result.handshakeHash()).isEqualTo(response.handshakeHash());
    if (v.containsKey("handshake_hash")) {
      assertThat(HEX.formatHex(result.handshakeHash())).isEqualTo(v.get("handshake_hash"));
    }
    transport(messages, new NoiseJavaChaChaPoly(result.ciphers().getSender()),
        new NoiseJavaChaChaPoly(response.ciphers().getReceiver()),
        new NoiseJavaChaChaPoly(response.ciphers().getSender()),
        new NoiseJavaChaChaPoly(result.ciphers().getReceiver()));
  }

  /** Every {@code Noise_NK_25519_ChaChaPoly_SHA256} vector of {@link #FILES}. */
  static List<Map<String, Object>> nkVectors() {
    List<Map<String, Object>> vectors = new ArrayList<>();
    for (String file : FILES) {
      Map<?, ?> root = (Map<?, ?>) MiniJson.parse(resource(file));
      for (Object v : (List<?>) root.get("vectors")) {
        @SuppressWarnings("unchecked")
        Map<String, Object> vector = (Map<String, Object>) v;
        if (NoiseNk.PROTOCOL_NAME.equals(vector.get("protocol_name"))) {
          vectors.add(vector);
        }
      }
    }
    return vectors;
  }

  private static String resource(String name) {
    try (InputStream in = NoiseVectorsTest.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new AssertionError("test resource missing: " + name + " beside " + NoiseVectorsTest.class.getName());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void transport(List<?> messages, Aead initiatorSend, Aead responderReceive, Aead responderSend,
      Aead initiatorReceive) {
    for (int i = 2; i < messages.size(); i++) {
      Map<?, ?> m = (Map<?, ?>) messages.get(i);
      byte[] payload = hex(m, "payload");
      long counter = (i - 2) / 2;
      boolean fromInitiator = i % 2 == 0;
      ByteBuffer ciphertext = ByteBuffer.allocate(payload.length + Aead.TAG_BYTES);
      (fromInitiator ? initiatorSend : responderSend).seal(counter, new byte[0], ByteBuffer.wrap(payload), ciphertext);
      assertThat(HEX.formatHex(ciphertext.array())).as("transport message %d", i).isEqualTo(m.get("ciphertext"));
      ByteBuffer plaintext = ByteBuffer.allocate(payload.length);
      ciphertext.flip();
      assertThat((fromInitiator ? responderReceive : initiatorReceive).open(counter, new byte[0], ciphertext, plaintext))
          .isTrue();
      assertThat(plaintext.array()).isEqualTo(payload);
    }
  }

  private static byte[] hex(Map<?, ?> map, String key) {
    Object value = map.get(key);
    return value == null ? new byte[0] : HEX.parseHex((String) value);
  }
}
