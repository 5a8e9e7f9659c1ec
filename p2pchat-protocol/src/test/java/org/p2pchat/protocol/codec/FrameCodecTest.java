package org.p2pchat.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.UserName;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.protocol.codec.internal.FrameMapping;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.HeaderFlyweight;
import org.p2pchat.protocol.codec.internal.OkFlyweight;

/** FrameCodec round trips, its coverage of the table of frame types, its contract on buffers. */
class FrameCodecTest {
  private final FrameCodec codec = new FrameCodec();

  /** The value type of every layout in the table: each row's, then each OK layout's. */
  static Set<Class<?>> valueTypesOfTheTable() {
    Set<Class<?>> types = new HashSet<>();
    Stream.concat(Arrays.stream(FrameType.values()).map(FrameType::mapping),
            Arrays.stream(FrameType.Answer.values()).map(FrameType.Answer::mapping))
        .filter(m -> m != null).map(FrameMapping::valueType).forEach(types::add);
    return types;
  }

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
    // Every layout of the table, so a new frame type without a generator fails here.
    assertThat(seen).isEqualTo(valueTypesOfTheTable());
  }

  @ParameterizedTest
  @EnumSource(FrameType.class)
  void everyRowOfTheTableRoundTripsThroughFrameCodec(FrameType type) throws DecodeException {
    RandomFrames frames = new RandomFrames(type.code());
    ByteBuffer buffer = ByteBuffer.allocate(1200);
    if (type.mapping() != null) {
      for (int i = 0; i < 100; i++) {
        Frame frame = frames.next(type.mapping().valueType());
        buffer.clear();
        codec.encode(frame, buffer);

        assertThat(buffer.get(HeaderFlyweight.TYPE_OFFSET) & 0xff).isEqualTo(type.code());
        assertThat(frame.type()).isEqualTo(type.code());
        assertThat(codec.decode(buffer.flip())).isEqualTo(frame);
      }
    } else {
      assertThat(type).as("only OK has its layout in the answered request's row")
          .isEqualTo(FrameType.OK);
    }
    if (type.direction() == FrameType.Direction.REQUEST) {
      // Its OK: of the layout the row names, and saying which request it answers.
      assertThat(type.answer()).isNotEqualTo(FrameType.Answer.NONE);
      for (int i = 0; i < 100; i++) {
        Frame ok = frames.next(type.answer().mapping().valueType());
        if (ok instanceof Frame.OkEmpty empty) {
          ok = new Frame.OkEmpty(empty.requestId(), type.code());
        }
        buffer.clear();
        codec.encode(ok, buffer);

        assertThat(buffer.get(HeaderFlyweight.TYPE_OFFSET) & 0xff).isEqualTo(FrameType.OK.code());
        assertThat(buffer.get(OkFlyweight.IN_REPLY_TO_OFFSET) & 0xff).isEqualTo(type.code());
        assertThat(codec.decode(buffer.flip())).isEqualTo(ok);
      }
    } else {
      assertThat(type.answer()).isEqualTo(FrameType.Answer.NONE);
    }
  }

  static Stream<Arguments> framesOutsideTheLimits() {
    List<Long> ids65 = Collections.nCopies(65, 1L);
    List<Integer> versions256 = Collections.nCopies(256, 1);
    return Stream.of(
        Arguments.of("register name of 2 characters", new Frame.Register(1, "al", "pw")),
        Arguments.of("login with an empty password", new Frame.Login(1, "alice", "")),
        Arguments.of("send of an empty body", new Frame.Send(1, 2, 3, "bob", "")),
        Arguments.of("history limit 0", new Frame.History(1, 2, 3, null, false, false, 0, 0)),
        Arguments.of("mark-read of no id", new Frame.MarkRead(1, 2, 3, List.of())),
        Arguments.of("mark-read of 65 ids", new Frame.MarkRead(1, 2, 3, ids65)),
        Arguments.of("mark-read id 0", new Frame.MarkRead(1, 2, 3, List.of(5L, 0L))),
        Arguments.of("OK without payload to SEND", new Frame.OkEmpty(1, FrameType.SEND.code())),
        Arguments.of("OK without payload to PUSH_ACK",
            new Frame.OkEmpty(1, FrameType.PUSH_ACK.code())),
        Arguments.of("OK without payload to OK", new Frame.OkEmpty(1, FrameType.OK.code())),
        Arguments.of("keepalive over 32 bits", new Frame.OkLogin(1, 2, 3, 1L << 32)),
        Arguments.of("OK to SEND with message id 0", new Frame.OkSend(1, 0, 5)),
        Arguments.of("error code over 16 bits", new Frame.Error(1, 65536, 0, List.of())),
        Arguments.of("error listing 256 versions", new Frame.Error(1, 2, 0, versions256)),
        Arguments.of("error listing version 256", new Frame.Error(1, 2, 0, List.of(256))),
        Arguments.of("push of message id 0", new Frame.PushMessage(1, 0, 5, "alice", "hi")),
        Arguments.of("pushed state STORED", new Frame.PushState(1, 42, 1, "bob")));
  }

  /** {@link org.p2pchat.api.codec.MessageCodec#encode}'s contract: IllegalArgumentException. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("framesOutsideTheLimits")
  void frameOutsideTheProtocolLimitsIsRefusedWithIllegalArgumentAndThePositionStays(String what,
      Frame frame) {
    ByteBuffer b = ByteBuffer.allocate(1200).position(7);

    assertThatThrownBy(() -> codec.encode(frame, b)).as(what)
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(b.position()).isEqualTo(7);
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

    assertThat(Vectors.hex(Arrays.copyOf(le.array(), le.position())))
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
