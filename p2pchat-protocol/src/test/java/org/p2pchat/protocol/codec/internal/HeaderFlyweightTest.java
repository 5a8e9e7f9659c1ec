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

/** The header, read alone, and each flyweight's check that a frame is of its type. */
class HeaderFlyweightTest {

  @Test
  void readTypeValidatesTheHeaderWithoutMovingThePosition() throws DecodeException {
    byte[] ping = Vectors.fromResource().get("ping");
    ByteBuffer b = ByteBuffer.allocate(100).position(7);
    b.put(ping).flip().position(7);

    assertThat(HeaderFlyweight.readType(b)).isEqualTo(FrameType.PING.code());
    assertThat(HeaderFlyweight.requestId(b)).isEqualTo(0x0102030405060708L);
    assertThat(HeaderFlyweight.typeByte(b)).isEqualTo(FrameType.PING.code());
    assertThat(HeaderFlyweight.hasHeader(b)).isTrue();
    assertThat(b.position()).isEqualTo(7);
  }

  @Test
  void theHeaderAloneIsReadEvenWhenTheTypeIsUnknown() {
    byte[] ping = Vectors.fromResource().get("ping").clone();
    ping[HeaderFlyweight.TYPE_OFFSET] = (byte) 0x84;
    ByteBuffer b = ByteBuffer.wrap(ping);

    assertThat(HeaderFlyweight.typeByte(b)).isEqualTo(0x84);
    assertThat(FrameType.isFromServer(HeaderFlyweight.typeByte(b))).isTrue();
    assertThat(catchThrowableOfType(DecodeException.class, () -> HeaderFlyweight.readType(b))
        .reason()).isEqualTo(Reason.UNKNOWN_FRAME_TYPE);
    assertThat(HeaderFlyweight.hasHeader(ByteBuffer.wrap(Arrays.copyOf(ping, 12)))).isFalse();
    assertThat(HeaderFlyweight.hasHeader(ByteBuffer.wrap(Arrays.copyOf(ping, 13)))).isTrue();
  }

  @Test
  void everyFlyweightGivenAFrameOfAnotherTypeFailsWithUnknownFrameType() {
    int refused = 0;
    for (HeaderFlyweight<?> f : Layouts.newFlyweights()) {
      for (Map.Entry<String, byte[]> v : Vectors.fromResource().entrySet()) {
        ByteBuffer frame = ByteBuffer.wrap(v.getValue());
        if (HeaderFlyweight.typeByte(frame) == f.type()) {
          continue;
        }
        DecodeException e = catchThrowableOfType(DecodeException.class, () -> f.wrap(frame));

        assertThat(e).as("%s wrapping %s", f.getClass().getSimpleName(), v.getKey())
            .isNotNull();
        assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_FRAME_TYPE);
        refused++;
      }
    }
    assertThat(refused).isPositive();
  }

  @Test
  void everyRowHasAFlyweightOfItsOwnTypeAndTheTableKnowsEachCode() {
    for (FrameType t : FrameType.values()) {
      assertThat(FrameType.ofCode(t.code())).isSameAs(t);
      assertThat(FrameType.name(t.code())).isEqualTo(t.name());
      assertThat(FrameType.isFromServer(t.code()))
          .isEqualTo(t.direction() == FrameType.Direction.ANSWER
              || t.direction() == FrameType.Direction.PUSH);
      if (t.mapping() != null) {
        assertThat(t.mapping().newFlyweight().type()).isEqualTo(t.code());
      }
    }
    for (FrameType.Answer a : FrameType.Answer.values()) {
      if (a.mapping() != null) {
        assertThat(a.mapping().newFlyweight().type()).isEqualTo(FrameType.OK.code());
      }
    }
    assertThat(FrameType.name(0x7e)).isEqualTo("0x7e");
    assertThat(FrameType.ofCode(-1)).isNull();
    assertThat(FrameType.ofCode(256)).isNull();
  }
}
