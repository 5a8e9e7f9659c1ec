package org.p2pchat.protocol.codec.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.codec.DecodeException.Reason;
import org.p2pchat.protocol.codec.Vectors;

/**
 * Each OK layout is read by a flyweight of its own, which accepts an OK only in reply to a
 * request whose row names that layout: every other in-reply-to is BAD_VALUE.
 */
class OkFlyweightTest {

  @Test
  void everyOkLayoutRejectsAnInReplyToOfAnotherLayoutWithBadValue() throws DecodeException {
    int accepted = 0;
    int refused = 0;
    for (FrameType.Answer layout : FrameType.Answer.values()) {
      if (layout.mapping() == null) {
        continue;
      }
      OkFlyweight<?> ok = (OkFlyweight<?>) layout.mapping().newFlyweight();
      for (Map.Entry<String, byte[]> v : Vectors.fromResource().entrySet()) {
        if ((v.getValue()[HeaderFlyweight.TYPE_OFFSET] & 0xff) != FrameType.OK.code()) {
          continue;
        }
        for (int request = 0; request < 256; request++) {
          byte[] bytes = v.getValue().clone();
          int original = bytes[OkFlyweight.IN_REPLY_TO_OFFSET] & 0xff;
          bytes[OkFlyweight.IN_REPLY_TO_OFFSET] = (byte) request;
          FrameType type = FrameType.ofCode(request);
          boolean ofThisLayout = type != null && type.answer() == layout;
          assertThat(ok.answers(request)).isEqualTo(ofThisLayout);
          if (ofThisLayout) {
            if (FrameType.ofCode(original).answer() == layout) {
              // Its own vector, in reply to any request of its layout.
              ok.wrap(ByteBuffer.wrap(bytes));
              assertThat(ok.inReplyTo()).isEqualTo(request);
              accepted++;
            }
            continue;
          }
          DecodeException e =
              catchThrowableOfType(DecodeException.class, () -> ok.wrap(ByteBuffer.wrap(bytes)));

          assertThat(e).as("%s OK of vector %s in reply to %s", layout, v.getKey(),
              FrameType.name(request)).isNotNull();
          assertThat(e.reason()).isEqualTo(Reason.BAD_VALUE);
          refused++;
        }
      }
    }
    assertThat(accepted).isPositive();
    assertThat(refused).isPositive();
  }

  @Test
  void peekInReplyToReadsTheByteWithoutMovingThePositionOrMinusOneWhenItIsMissing() {
    byte[] ok = Vectors.fromResource().get("ok-send");
    ByteBuffer b = ByteBuffer.allocate(100).position(3);
    b.put(ok).flip().position(3);

    assertThat(OkFlyweight.peekInReplyTo(b)).isEqualTo(FrameType.SEND.code());
    assertThat(b.position()).isEqualTo(3);
    assertThat(OkFlyweight.peekInReplyTo(ByteBuffer.wrap(Arrays.copyOf(ok, 13)))).isEqualTo(-1);
    assertThat(OkFlyweight.peekInReplyTo(ByteBuffer.wrap(Arrays.copyOf(ok, 14))))
        .isEqualTo(FrameType.SEND.code());
  }
}
