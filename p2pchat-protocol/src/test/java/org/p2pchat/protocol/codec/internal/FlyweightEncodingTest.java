package org.p2pchat.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Encoders refuse values outside the protocol's limits and never write half a frame. */
class EncoderTest {

  @FunctionalInterface
  interface Encode {
    int into(ByteBuffer dst);
  }

  static Stream<Arguments> valuesOutsideTheLimits() {
    String body1001 = "x".repeat(1001);
    String euro334 = "\u20ac".repeat(334); // 1002 bytes in 334 chars
    return Stream.of(
        Arguments.of("name of 2 characters", (Encode) d -> RegisterEncoder.encode(d, 1, "al", "pw")),
        Arguments.of("name of 33 characters",
            (Encode) d -> LoginEncoder.encode(d, 1, "a".repeat(33), "pw")),
        Arguments.of("name starting with a digit",
            (Encode) d -> SendEncoder.encode(d, 1, 0, 0, "1bob", "hi")),
        Arguments.of("name with a space", (Encode) d -> SendEncoder.encode(d, 1, 0, 0, "b ob", "hi")),
        Arguments.of("non-ASCII name", (Encode) d -> SendEncoder.encode(d, 1, 0, 0, "b\u00f6b", "hi")),
        Arguments.of("empty password", (Encode) d -> RegisterEncoder.encode(d, 1, "alice", "")),
        Arguments.of("password of 129 bytes",
            (Encode) d -> RegisterEncoder.encode(d, 1, "alice", "p".repeat(129))),
        Arguments.of("empty body", (Encode) d -> SendEncoder.encode(d, 1, 0, 0, "bob", "")),
        Arguments.of("body of 1001 bytes",
            (Encode) d -> SendEncoder.encode(d, 1, 0, 0, "bob", body1001)),
        Arguments.of("body of 1002 bytes in 334 characters",
            (Encode) d -> PushMessageEncoder.encode(d, 1, 1, 0, "bob", euro334)),
        Arguments.of("unpaired high surrogate",
            (Encode) d -> SendEncoder.encode(d, 1, 0, 0, "bob", "a\uD83D")),
        Arguments.of("unpaired low surrogate",
            (Encode) d -> SendEncoder.encode(d, 1, 0, 0, "bob", "\uDE00a")),
        Arguments.of("history limit 0",
            (Encode) d -> HistoryEncoder.encode(d, 1, 0, 0, null, false, false, 0, 0)),
        Arguments.of("history limit 101",
            (Encode) d -> HistoryEncoder.encode(d, 1, 0, 0, null, false, false, 0, 101)),
        Arguments.of("negative history cursor",
            (Encode) d -> HistoryEncoder.encode(d, 1, 0, 0, null, false, false, -1, 10)),
        Arguments.of("mark-read count 0",
            (Encode) d -> MarkReadEncoder.encode(d, 1, 0, 0, new long[] {1}, 0)),
        Arguments.of("mark-read count 65",
            (Encode) d -> MarkReadEncoder.encode(d, 1, 0, 0, new long[65], 65)),
        Arguments.of("mark-read count beyond the array",
            (Encode) d -> MarkReadEncoder.encode(d, 1, 0, 0, new long[] {1}, 2)),
        Arguments.of("mark-read id 0",
            (Encode) d -> MarkReadEncoder.encode(d, 1, 0, 0, new long[] {1, 0}, 2)),
        Arguments.of("OK without payload to SEND",
            (Encode) d -> OkEncoder.encodeEmpty(d, 1, FrameType.SEND)),
        Arguments.of("keepalive over 32 bits",
            (Encode) d -> OkEncoder.encodeLogin(d, 1, 0, 0, 1L << 32)),
        Arguments.of("OK to SEND with message id 0", (Encode) d -> OkEncoder.encodeSend(d, 1, 0, 0)),
        Arguments.of("error code over 16 bits", (Encode) d -> ErrorEncoder.encode(d, 1, 65536, 0)),
        Arguments.of("negative retry-after", (Encode) d -> ErrorEncoder.encode(d, 1, 8, -1)),
        Arguments.of("push of message id 0",
            (Encode) d -> PushMessageEncoder.encode(d, 1, 0, 0, "bob", "hi")),
        Arguments.of("pushed state STORED", (Encode) d -> PushStateEncoder.encode(d, 1, 1, 1, "bob")),
        Arguments.of("pushed message id with the top bit set",
            (Encode) d -> PushStateEncoder.encode(d, 1, Long.MIN_VALUE, 2, "bob")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valuesOutsideTheLimits")
  void valueOutsideTheProtocolLimitsIsRefusedAndNothingIsWritten(String what, Encode encode) {
    ByteBuffer dst = ByteBuffer.allocate(1200);

    assertThatThrownBy(() -> encode.into(dst)).as(what)
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(dst.position()).isZero();
  }

  static Stream<Arguments> validFrames() {
    return Stream.of(
        Arguments.of("register", (Encode) d -> RegisterEncoder.encode(d, 1, "alice", "pw")),
        Arguments.of("send", (Encode) d -> SendEncoder.encode(d, 1, 0, 0, "bob", "hello")),
        Arguments.of("history", (Encode) d -> HistoryEncoder.encode(d, 1, 0, 0, "bob", true,
            false, 5, 10)),
        Arguments.of("mark-read",
            (Encode) d -> MarkReadEncoder.encode(d, 1, 0, 0, new long[] {1, 2, 3}, 3)),
        Arguments.of("ping", (Encode) d -> PingEncoder.encode(d, 1, 2, 3)),
        Arguments.of("ok-login", (Encode) d -> OkEncoder.encodeLogin(d, 1, 2, 3, 20_000)),
        Arguments.of("error", (Encode) d -> ErrorEncoder.encodeUnsupportedVersion(d, 1)),
        Arguments.of("push-state", (Encode) d -> PushStateEncoder.encode(d, 1, 1, 3, "bob")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validFrames")
  void aBufferOneByteTooSmallOverflowsBeforeAnythingIsWritten(String what, Encode encode) {
    int length = encode.into(ByteBuffer.allocate(1200));
    ByteBuffer tight = ByteBuffer.allocate(length - 1);

    assertThatThrownBy(() -> encode.into(tight)).isInstanceOf(BufferOverflowException.class);
    assertThat(tight.position()).isZero();
    assertThat(tight.array()).containsOnly(0);

    ByteBuffer exact = ByteBuffer.allocate(length);
    assertThat(encode.into(exact)).isEqualTo(length);
    assertThat(exact.hasRemaining()).isFalse();
  }

  @Test
  void handshakeFramesArePaddedToSixtyFourBytesAndLongerOnesAreNot() {
    ByteBuffer b = ByteBuffer.allocate(1200);
    assertThat(LoginEncoder.encode(b, 1, "bob", "p")).isEqualTo(64);
    assertThat(RegisterEncoder.encode(b.clear(), 1, "a".repeat(32), "p".repeat(128)))
        .isEqualTo(13 + 33 + 129);
  }

  @Test
  void unsupportedVersionErrorListsVersionOneAndIsAVersionOneFrame() throws Exception {
    ByteBuffer b = ByteBuffer.allocate(1200);
    ErrorEncoder.encodeUnsupportedVersion(b, 77);

    ErrorDecoder d = new ErrorDecoder().wrap(b.flip());

    assertThat(b.get(FrameHeader.VERSION_OFFSET)).isEqualTo((byte) 1);
    assertThat(d.requestId()).isEqualTo(77);
    assertThat(d.errorCode()).isEqualTo(2);
    assertThat(d.versionCount()).isEqualTo(1);
    assertThat(d.version(0)).isEqualTo(1);
  }
}
