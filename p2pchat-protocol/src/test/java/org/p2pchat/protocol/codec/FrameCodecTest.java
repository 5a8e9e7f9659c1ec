package org.p2pchat.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.UserName;
import org.p2pchat.api.codec.DecodeException;

/** FrameCodec round trips and its contract on buffers. */
class FrameCodecTest {
  private final FrameCodec codec = new FrameCodec();

  @Test
  void manyRandomValidFramesOfEveryTypeRoundTripLosslessly() throws DecodeException {
    RandomFrames frames = new RandomFrames(20261125L);
    ByteBuffer buffer = ByteBuffer.allocate(1200);
    Set<Class<?>> seen = new HashSet<>();
    for (int i = 0; i < 20_000; i++) {
      Frame frame = frames.next();
      seen.add(frame.getClass());
      buffer.clear();
      int written = codec.encode(frame, buffer);
      assertThat(written).isEqualTo(buffer.position()).isBetween(14, 1200);

      Frame decoded = codec.decode(buffer.flip());

      assertThat(decoded).as("frame %d", i).isEqualTo(frame);
      assertThat(buffer.hasRemaining()).isFalse();
    }
    assertThat(seen).hasSize(15);
  }

  @Test
  void decodeReadsOnlyBetweenPositionAndLimitOfAnyBufferKind() throws DecodeException {
    byte[] send = Vectors.fromResource().get("send");
    Frame expected = new FrameCodec().decode(ByteBuffer.wrap(send));
    for (ByteBuffer b : List.of(ByteBuffer.allocate(200), ByteBuffer.allocateDirect(200),
        ByteBuffer.allocate(200).order(ByteOrder.LITTLE_ENDIAN))) {
      b.put(new byte[] {9, 9, 9}).put(send).put(new byte[] {7, 7}); // noise either side
      b.limit(3 + send.length).position(3);

      assertThat(codec.decode(b)).isEqualTo(expected);
      assertThat(b.position()).isEqualTo(3 + send.length);
    }
  }

  @Test
  void encodingIntoALittleEndianBufferStillWritesBigEndian() {
    ByteBuffer le = ByteBuffer.allocate(1200).order(ByteOrder.LITTLE_ENDIAN);
    codec.encode(new Frame.OkLogin(VectorsTest.RID, VectorsTest.HI, VectorsTest.LO, 20_000), le);

    assertThat(Vectors.hex(java.util.Arrays.copyOf(le.array(), le.position())))
        .isEqualTo(Vectors.hex(Vectors.fromResource().get("ok-login")));
  }

  @Test
  void encodeWritesAtThePositionAndReturnsTheLength() {
    ByteBuffer b = ByteBuffer.allocate(1200).position(100);

    int n = codec.encode(new Frame.Ping(1, 2, 3), b);

    assertThat(n).isEqualTo(29);
    assertThat(b.position()).isEqualTo(129);
    assertThat(b.get(100)).isEqualTo((byte) 0x50);
  }

  @Test
  void aHistoryPageThatDoesNotFitOneDatagramIsRejectedAndNothingIsLeftWritten() {
    List<ChatMessage> big = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      big.add(message(i, "x".repeat(1000)));
    }
    ByteBuffer b = ByteBuffer.allocate(4000);

    assertThatThrownBy(() -> codec.encode(new Frame.OkHistory(1, 0, big), b))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(b.position()).isZero();
  }

  @Test
  void namesInAHistoryPageComeBackLowerCaseBecauseUserNamesAreCaseInsensitive()
      throws DecodeException {
    ChatMessage m = message(7, "hi");
    ByteBuffer b = ByteBuffer.allocate(1200);
    codec.encode(new Frame.OkHistory(1, 0, List.of(m)), b);

    Frame.OkHistory page = (Frame.OkHistory) codec.decode(b.flip());

    assertThat(page.messages().get(0).sender().value()).isEqualTo("alice");
  }

  @Test
  void toStringNeverShowsPasswordsOrTokens() {
    String register = new Frame.Register(1, "alice", "s3cret-pass").toString();
    String login = new Frame.OkLogin(1, 0x1234_5678_9abc_def0L, 0x0fed_cba9_8765_4321L, 20_000)
        .toString();

    assertThat(register).contains("alice").doesNotContain("s3cret");
    assertThat(login).doesNotContain(Long.toString(0x1234_5678_9abc_def0L))
        .doesNotContain(Long.toHexString(0x1234_5678_9abc_def0L));
  }

  static ChatMessage message(long id, String body) {
    return ChatMessage.builder().id(id).sentAt(Instant.ofEpochMilli(1_767_225_600_000L))
        .sender(UserName.of("Alice")).recipient(UserName.of("bob")).body(body).build();
  }
}
