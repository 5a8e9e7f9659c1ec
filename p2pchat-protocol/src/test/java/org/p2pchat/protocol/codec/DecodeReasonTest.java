package org.p2pchat.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.codec.DecodeException.Reason;

/**
 * Each malformation the specification names fails {@link FrameCodec#decode} with its documented
 * reason. (The flyweights' own checks of the header and of the frame type are in
 * {@code HeaderFlyweightTest} of the internal package.)
 */
class DecodeReasonTest {

  /** A vector with bytes from {@code at} replaced by {@code hex}. */
  static byte[] patch(String vector, int at, String hex) {
    byte[] b = Vectors.fromResource().get(vector).clone();
    byte[] p = HexFormat.of().parseHex(hex);
    System.arraycopy(p, 0, b, at, p.length);
    return b;
  }

  /** A SEND to "bob" whose body field is {@code bodyField} (length prefix included). */
  static byte[] sendWithBody(String bodyField) {
    byte[] head = Arrays.copyOf(Vectors.fromResource().get("send"), 33);
    byte[] body = HexFormat.of().parseHex(bodyField);
    byte[] b = Arrays.copyOf(head, head.length + body.length);
    System.arraycopy(body, 0, b, head.length, body.length);
    return b;
  }

  static byte[] cut(String vector, int length) {
    return Arrays.copyOf(Vectors.fromResource().get(vector), length);
  }

  static Stream<Arguments> malformations() {
    return Stream.of(
        Arguments.of("empty datagram", new byte[0], Reason.TRUNCATED),
        Arguments.of("12 bytes", cut("ping", 12), Reason.TRUNCATED),
        Arguments.of("1201 bytes", new byte[1201], Reason.OVERSIZED),
        Arguments.of("magic P3", patch("ping", 1, "33"), Reason.BAD_MAGIC),
        Arguments.of("version 2", patch("ping", 2, "02"), Reason.UNSUPPORTED_VERSION),
        Arguments.of("version 0", patch("ping", 2, "00"), Reason.UNSUPPORTED_VERSION),
        Arguments.of("type 0x00", patch("ping", 3, "00"), Reason.UNKNOWN_FRAME_TYPE),
        Arguments.of("type 0x7e", patch("ping", 3, "7e"), Reason.UNKNOWN_FRAME_TYPE),
        Arguments.of("type 0x84", patch("ping", 3, "84"), Reason.UNKNOWN_FRAME_TYPE),
        Arguments.of("flags 0x01", patch("ping", 4, "01"), Reason.BAD_FLAGS),
        Arguments.of("token cut short", cut("ping", 28), Reason.TRUNCATED),
        Arguments.of("a byte after PING", Arrays.copyOf(Vectors.fromResource().get("ping"), 30),
            Reason.TRAILING_BYTES),
        Arguments.of("recipient length 2", patch("send", 29, "02"), Reason.BAD_USER_NAME),
        Arguments.of("recipient length 33", patch("send", 29, "21"), Reason.BAD_USER_NAME),
        Arguments.of("recipient starts with a digit", patch("send", 30, "31"),
            Reason.BAD_USER_NAME),
        Arguments.of("recipient has a dot", patch("send", 31, "2e"), Reason.BAD_USER_NAME),
        Arguments.of("recipient has a non-ASCII byte", patch("send", 31, "c3"),
            Reason.BAD_USER_NAME),
        Arguments.of("recipient runs past the end", cut("send", 32), Reason.TRUNCATED),
        Arguments.of("empty body", sendWithBody("0000"), Reason.BAD_LENGTH),
        Arguments.of("body length 1001", sendWithBody("03e9" + "61".repeat(1001)),
            Reason.BODY_TOO_LONG),
        Arguments.of("body length beyond the datagram", sendWithBody("000668656c6c6f"),
            Reason.TRUNCATED),
        Arguments.of("body overlong NUL", sendWithBody("0002c080"), Reason.BAD_UTF8),
        Arguments.of("body overlong 3-byte", sendWithBody("0003e08080"), Reason.BAD_UTF8),
        Arguments.of("body surrogate", sendWithBody("0003eda080"), Reason.BAD_UTF8),
        Arguments.of("body above U+10FFFF", sendWithBody("0004f4908080"), Reason.BAD_UTF8),
        Arguments.of("body lead byte 0xf5", sendWithBody("0004f5808080"), Reason.BAD_UTF8),
        Arguments.of("body lone continuation", sendWithBody("000180"), Reason.BAD_UTF8),
        Arguments.of("body cut inside a sequence", sendWithBody("000261e2"), Reason.BAD_UTF8),
        Arguments.of("register shorter than 64 bytes", cut("register", 63), Reason.TRUNCATED),
        Arguments.of("register padding not zero", patch("register", 63, "01"),
            Reason.TRAILING_BYTES),
        Arguments.of("register password length 0", patch("register", 19, "00"),
            Reason.BAD_LENGTH),
        Arguments.of("register password length 129", patch("register", 19, "81"),
            Reason.BAD_LENGTH),
        Arguments.of("login name length 0", patch("login", 13, "00"), Reason.BAD_USER_NAME),
        Arguments.of("history peer length 1", patch("history", 29, "01"), Reason.BAD_USER_NAME),
        Arguments.of("history option bit 2", patch("history", 33, "04"), Reason.BAD_VALUE),
        Arguments.of("history cursor top bit", patch("history", 34, "80"), Reason.BAD_VALUE),
        Arguments.of("history limit 0", patch("history", 42, "00"), Reason.BAD_VALUE),
        Arguments.of("history limit 101", patch("history", 42, "65"), Reason.BAD_VALUE),
        Arguments.of("mark-read count 0", patch("mark-read", 29, "00"), Reason.BAD_VALUE),
        Arguments.of("mark-read count 65", patch("mark-read", 29, "41"), Reason.BAD_VALUE),
        Arguments.of("mark-read count 3 with 2 ids", patch("mark-read", 29, "03"),
            Reason.TRUNCATED),
        Arguments.of("mark-read id 0", patch("mark-read", 30, "0000000000000000"),
            Reason.BAD_VALUE),
        Arguments.of("ok in reply to PUSH_ACK", patch("ok-register", 13, "08"),
            Reason.BAD_VALUE),
        Arguments.of("ok in reply to OK", patch("ok-register", 13, "80"), Reason.BAD_VALUE),
        Arguments.of("ok in reply to type 0x7e", patch("ok-register", 13, "7e"),
            Reason.BAD_VALUE),
        Arguments.of("ok without in-reply-to", cut("ok-register", 13), Reason.TRUNCATED),
        Arguments.of("ok to send without payload", patch("ok-register", 13, "04"),
            Reason.TRUNCATED),
        Arguments.of("ok to register with a payload", patch("ok-send", 13, "01"),
            Reason.TRAILING_BYTES),
        Arguments.of("ok to send with message id 0", patch("ok-send", 14, "0000000000000000"),
            Reason.BAD_VALUE),
        Arguments.of("ok to login cut short", cut("ok-login", 33), Reason.TRUNCATED),
        Arguments.of("history page count 101", patch("ok-history-empty", 22, "65"),
            Reason.BAD_VALUE),
        Arguments.of("history entry state 0", patch("ok-history", 39, "00"), Reason.BAD_VALUE),
        Arguments.of("history entry state 4", patch("ok-history", 39, "04"), Reason.BAD_VALUE),
        Arguments.of("history entry count 2 with 1 entry", patch("ok-history", 22, "02"),
            Reason.TRUNCATED),
        Arguments.of("error of 19 bytes", cut("error", 19), Reason.TRUNCATED),
        Arguments.of("error listing 2 versions but holding 1",
            patch("error-unsupported-version", 19, "02"), Reason.TRUNCATED),
        Arguments.of("push-message id 0", patch("push-message", 13, "0000000000000000"),
            Reason.BAD_VALUE),
        Arguments.of("push-state STORED", patch("push-state", 21, "01"), Reason.BAD_VALUE),
        Arguments.of("push-state 4", patch("push-state", 21, "04"), Reason.BAD_VALUE),
        // Long messages (section 23).
        Arguments.of("send-part total 1000: not long", patch("send-part", 41, "000003e8"), Reason.BAD_VALUE),
        Arguments.of("send-part total 65537", patch("send-part", 41, "00010001"), Reason.BODY_TOO_LONG),
        Arguments.of("send-part index past the last", patch("send-part", 45, "0002"), Reason.BAD_VALUE),
        Arguments.of("send-part last part of 4 bytes, not 5", patch("send-part", 47, "0004"), Reason.BAD_LENGTH),
        Arguments.of("send-part first part of 5 bytes, not 1000", patch("send-part", 45, "0000"), Reason.BAD_LENGTH),
        Arguments.of("send-part cut inside the part", cut("send-part", 52), Reason.TRUNCATED),
        Arguments.of("message-part index 66", patch("message-part", 37, "0042"), Reason.BAD_VALUE),
        Arguments.of("ok-send-part held with a time", patch("ok-send-part-held", 29, "01"), Reason.BAD_VALUE),
        Arguments.of("push-long-message total 1000", patch("push-long-message", 35, "000003e8"), Reason.BAD_VALUE),
        Arguments.of("ok-history-long total 0", patch("ok-history-long", 86, "00000000"), Reason.BAD_LENGTH),
        Arguments.of("ok-history-long total 65537", patch("ok-history-long", 86, "00010001"), Reason.BODY_TOO_LONG),
        Arguments.of("ok-history-long body not UTF-8", patch("ok-history-long", 54, "ff"), Reason.BAD_UTF8));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformations")
  void malformedFrameFailsWithItsDocumentedReason(String what, byte[] bytes, Reason reason) {
    DecodeException e = catchThrowableOfType(DecodeException.class,
        () -> new FrameCodec().decode(ByteBuffer.wrap(bytes)));

    assertThat(e).as(what).isNotNull();
    assertThat(e.reason()).as(what).isEqualTo(reason);
  }

  @Test
  void unsupportedVersionMapsToItsOwnErrorCodeAndBadNamesToInvalidUserName() {
    assertThat(Reason.UNSUPPORTED_VERSION.errorCode()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
    assertThat(Reason.BAD_USER_NAME.errorCode()).isEqualTo(ErrorCode.INVALID_USER_NAME);
  }
}
