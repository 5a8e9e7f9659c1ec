package org.p2pchat.protocol.secure.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The handshake and transport messages reproduce the public Noise test vectors for
 * {@code Noise_NK_25519_ChaChaPoly_SHA256} byte for byte. The vectors are read from
 * {@code shared/noise-vectors/} in the worktree's parent directories, or from the directory the
 * system property {@value #PROPERTY} names; where they are absent the test is skipped, not passed.
 */
class NoiseVectorsTest {
  static final String PROPERTY = "p2pchat.noise.vectors";
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void handshakeAndTransportMessagesMatchThePublicNkVectors() throws Exception {
    Path dir = vectorDirectory();
    assumeTrue(dir != null, "Noise test vectors not found: set -D" + PROPERTY + " to the noise-vectors directory");
    List<Map<String, Object>> vectors = new ArrayList<>();
    try (var files = Files.list(dir)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        Map<?, ?> root = (Map<?, ?>) MiniJson.parse(Files.readString(file, StandardCharsets.UTF_8));
        for (Object v : (List<?>) root.get("vectors")) {
          @SuppressWarnings("unchecked")
          Map<String, Object> vector = (Map<String, Object>) v;
          if (NkHandshake.PROTOCOL_NAME.equals(vector.get("protocol_name"))) {
            vectors.add(vector);
          }
        }
      }
    }
    assumeTrue(!vectors.isEmpty(), "no " + NkHandshake.PROTOCOL_NAME + " vector in " + dir);
    for (Map<String, Object> vector : vectors) {
      replay(vector);
    }
    assertThat(vectors).hasSizeGreaterThanOrEqualTo(2);
  }

  private static void replay(Map<String, Object> v) throws Exception {
    byte[] responderStatic = hex(v, "resp_static");
    NkHandshake initiator = NkHandshake.initiator(hex(v, "init_prologue"), hex(v, "init_remote_static"),
        hex(v, "init_ephemeral"));
    NkHandshake responder = NkHandshake.responder(hex(v, "resp_prologue"), responderStatic,
        X25519.publicKey(responderStatic), hex(v, "resp_ephemeral"));
    List<?> messages = (List<?>) v.get("messages");

    Map<?, ?> first = (Map<?, ?>) messages.get(0);
    byte[] m1 = initiator.writeMessage(hex(first, "payload"));
    assertThat(HEX.formatHex(m1)).isEqualTo(first.get("ciphertext"));
    assertThat(responder.readMessage(m1)).isEqualTo(hex(first, "payload"));

    Map<?, ?> second = (Map<?, ?>) messages.get(1);
    byte[] m2 = responder.writeMessage(hex(second, "payload"));
    assertThat(HEX.formatHex(m2)).isEqualTo(second.get("ciphertext"));
    assertThat(initiator.readMessage(m2)).isEqualTo(hex(second, "payload"));

    assertThat(initiator.handshakeHash()).isEqualTo(responder.handshakeHash());
    if (v.containsKey("handshake_hash")) {
      assertThat(HEX.formatHex(initiator.handshakeHash())).isEqualTo(v.get("handshake_hash"));
    }

    byte[][] initiatorKeys = initiator.split();
    byte[][] responderKeys = responder.split();
    // The transport messages through both implementations of the transport cipher.
    transport(messages, new JdkChaChaPoly(initiatorKeys[0]), new JdkChaChaPoly(responderKeys[0]),
        new JdkChaChaPoly(responderKeys[1]), new JdkChaChaPoly(initiatorKeys[1]));
    transport(messages, new NoiseJavaChaChaPoly(initiatorKeys[0]), new NoiseJavaChaChaPoly(responderKeys[0]),
        new NoiseJavaChaChaPoly(responderKeys[1]), new NoiseJavaChaChaPoly(initiatorKeys[1]));
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

  private static Path vectorDirectory() {
    String configured = System.getProperty(PROPERTY);
    if (configured != null) {
      Path p = Paths.get(configured);
      return Files.isDirectory(p) ? p : null;
    }
    for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("shared").resolve("noise-vectors");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
