package org.p2pchat.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.UserName;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.HeaderFlyweight;
import org.p2pchat.protocol.codec.internal.OkFlyweight;
import org.p2pchat.protocol.codec.internal.SendFlyweight;

/** The test vectors of docs/protocol.md are what the codec reads and writes. */
class VectorsTest {
  static final long RID = 0x0102030405060708L;
  static final long HI = 0x0011223344556677L;
  static final long LO = 0x8899aabbccddeeffL;
  static final long PUSH = 0x1112131415161718L;
  static final long AT = 1767225600000L; // 2026-01-01T00:00:00Z

  /** The frame each vector documents. */
  static Map<String, Frame> expectedFrames() {
    ChatMessage hello = ChatMessage.builder().id(42).sentAt(Instant.ofEpochMilli(AT))
        .state(DeliveryState.DELIVERED).sender(UserName.of("alice"))
        .recipient(UserName.of("bob")).body("hello").build();
    Map<String, Frame> m = new LinkedHashMap<>();
    m.put("register", new Frame.Register(RID, "alice", "correct horse"));
    m.put("register-no-padding", new Frame.Register(RID, "Zoe_2-x",
        "a password of more than fifty bytes, so no padding"));
    m.put("login", new Frame.Login(RID, "alice", "correct horse"));
    m.put("logout", new Frame.Logout(RID, HI, LO));
    m.put("send", new Frame.Send(RID, HI, LO, "bob", "hello"));
    m.put("send-utf8", new Frame.Send(RID, HI, LO, "Bob", "h\u00e9 \u20ac\uD83D\uDE00"));
    m.put("history", new Frame.History(RID, HI, LO, "bob", false, false, 0, 20));
    m.put("history-all-unread-after", new Frame.History(RID, HI, LO, null, true, true, 42, 100));
    m.put("ping", new Frame.Ping(RID, HI, LO));
    m.put("mark-read", new Frame.MarkRead(RID, HI, LO, List.of(42L, 43L)));
    m.put("push-ack", new Frame.PushAck(PUSH, HI, LO));
    m.put("ok-register", new Frame.OkEmpty(RID, FrameType.REGISTER.code()));
    m.put("ok-mark-read", new Frame.OkEmpty(RID, FrameType.MARK_READ.code()));
    m.put("ok-login", new Frame.OkLogin(RID, HI, LO, 20_000));
    m.put("ok-send", new Frame.OkSend(RID, 42, AT));
    m.put("ok-history", new Frame.OkHistory(RID, 0, List.of(hello)));
    m.put("ok-history-empty", new Frame.OkHistory(RID, 0, List.of()));
    m.put("error", new Frame.Error(RID, 4, 0, List.of()));
    m.put("error-rate-limited", new Frame.Error(RID, 8, 1500, List.of()));
    m.put("error-unsupported-version", new Frame.Error(RID, 2, 0, List.of(1)));
    m.put("push-message", new Frame.PushMessage(PUSH, 42, AT, "alice", "hello"));
    m.put("push-state", new Frame.PushState(PUSH + 1, 42, 2, "bob"));
    m.putAll(DeviceVectors.expectedFrames());
    m.putAll(RoomVectors.frames());
    m.putAll(LongVectors.frames());
    m.putAll(BatchVectors.frames());
    m.putAll(PeerVectors.frames());
    return m;
  }

  static Stream<Arguments> vectors() {
    Map<String, Frame> frames = expectedFrames();
    return Vectors.fromResource().entrySet().stream()
        .map(e -> Arguments.of(e.getKey(), e.getValue(), frames.get(e.getKey())));
  }

  private final FrameCodec codec = new FrameCodec();

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void vectorDecodesToItsDocumentedFrameAndReencodesByteForByte(String name, byte[] bytes,
      Frame expected) throws DecodeException {
    assertThat(expected).as("expected frame of vector %s", name).isNotNull();
    ByteBuffer src = ByteBuffer.wrap(bytes);

    assertThat(codec.decode(src)).isEqualTo(expected);
    assertThat(src.hasRemaining()).isFalse();

    ByteBuffer dst = ByteBuffer.allocate(1200);
    int written = codec.encode(expected, dst);
    assertThat(written).isEqualTo(bytes.length).isEqualTo(dst.position());
    assertThat(Vectors.hex(Arrays.copyOf(dst.array(), written)))
        .isEqualTo(Vectors.hex(bytes));
  }

  @Test
  void everyDocumentedFrameHasAVectorAndEveryFrameTypeIsCovered() {
    Map<String, byte[]> vectors = Vectors.fromResource();
    assertThat(vectors.keySet()).containsExactlyInAnyOrderElementsOf(expectedFrames().keySet());
    // Every row of the table of frame types, so a new row needs a vector.
    assertThat(vectors.values().stream().map(b -> b[HeaderFlyweight.TYPE_OFFSET] & 0xff).distinct())
        .containsExactlyInAnyOrderElementsOf(
            Arrays.stream(FrameType.values()).map(FrameType::code).toList());
  }

  @Test
  void everyLayoutOfOkHasAVector() {
    List<FrameType.Answer> layouts = Vectors.fromResource().values().stream()
        .filter(b -> (b[HeaderFlyweight.TYPE_OFFSET] & 0xff) == FrameType.OK.code())
        .map(b -> FrameType.ofCode(b[OkFlyweight.IN_REPLY_TO_OFFSET] & 0xff).answer())
        .distinct().toList();

    assertThat(layouts).containsExactlyInAnyOrderElementsOf(
        Arrays.stream(FrameType.Answer.values()).filter(a -> a.mapping() != null).toList());
  }

  @Test
  void protocolSpecificationHoldsExactlyTheVectorsOfTheTestResource() throws IOException {
    // Surefire runs in the module directory; the spec lives at the project root.
    Path spec = Path.of("..", "docs", "protocol.md");
    Map<String, byte[]> documented =
        Vectors.parse(Files.readString(spec, StandardCharsets.UTF_8));
    Map<String, byte[]> resource = Vectors.fromResource();

    assertThat(documented.keySet()).containsExactlyElementsOf(resource.keySet());
    for (String name : resource.keySet()) {
      assertThat(Vectors.hex(documented.get(name))).as("vector %s", name)
          .isEqualTo(Vectors.hex(resource.get(name)));
    }
  }

  /** Bytes written out field by field from the spec, so the encoders are not checked only against themselves. */
  @Test
  void sendVectorMatchesBytesBuiltFieldByFieldFromTheSpecification() {
    ByteBuffer b = ByteBuffer.allocate(64);
    b.put((byte) 'P').put((byte) '2'); // magic
    b.put((byte) 1); // version
    b.put((byte) 0x04); // SEND
    b.put((byte) 0); // flags
    b.put(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}); // request id
    for (int i = 0; i < 16; i++) {
      b.put((byte) (i * 0x11)); // token 00 11 22 .. ff
    }
    b.put((byte) 3).put("bob".getBytes(StandardCharsets.US_ASCII));
    b.put((byte) 0).put((byte) 5).put("hello".getBytes(StandardCharsets.UTF_8));
    byte[] manual = Arrays.copyOf(b.array(), b.position());

    assertThat(Vectors.hex(Vectors.fromResource().get("send"))).isEqualTo(Vectors.hex(manual));
    ByteBuffer encoded = ByteBuffer.allocate(1200);
    new SendFlyweight().encode(encoded, RID).token(HI, LO).recipient("bob").body("hello").finish();
    assertThat(Vectors.hex(Arrays.copyOf(encoded.array(), encoded.position())))
        .isEqualTo(Vectors.hex(manual));
  }

  @Test
  void registerAndOkHistoryVectorsMatchBytesBuiltFieldByFieldFromTheSpecification() {
    byte[] header = {0x50, 0x32, 1, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8};

    ByteBuffer reg = ByteBuffer.allocate(64); // zero-filled: the padding
    header[3] = 0x01;
    reg.put(header).put((byte) 5).put("alice".getBytes(StandardCharsets.US_ASCII));
    reg.put((byte) 13).put("correct horse".getBytes(StandardCharsets.UTF_8));
    assertThat(Vectors.hex(Vectors.fromResource().get("register")))
        .isEqualTo(Vectors.hex(reg.array()));

    ByteBuffer ok = ByteBuffer.allocate(1200);
    header[3] = (byte) 0x80;
    ok.put(header).put((byte) 0x05).putLong(0).put((byte) 1);
    ok.putLong(42).putLong(1_767_225_600_000L).put((byte) 2);
    ok.put((byte) 5).put("alice".getBytes(StandardCharsets.US_ASCII));
    ok.put((byte) 3).put("bob".getBytes(StandardCharsets.US_ASCII));
    ok.putShort((short) 5).put("hello".getBytes(StandardCharsets.UTF_8));
    assertThat(Vectors.hex(Vectors.fromResource().get("ok-history")))
        .isEqualTo(Vectors.hex(Arrays.copyOf(ok.array(), ok.position())));
  }
}
