package org.p2pchat.protocol.codec.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.codec.DecodeException;

/**
 * The ASCII shortcuts of the codec (strings copied straight into heap buffers, UTF-8 validated
 * eight bytes at a time) give the same bytes and the same verdicts as the general paths.
 */
class AsciiFastPathTest {
  private static final String ASCII = "The quick brown fox jumps over the lazy dog, 0123456789";

  @Test
  void asciiEncodesToTheSameBytesInHeapSlicedAndDirectBuffers() {
    ByteBuffer heap = ByteBuffer.allocate(256);
    ByteBuffer sliced = ByteBuffer.allocate(300).position(17).slice();
    ByteBuffer direct = ByteBuffer.allocateDirect(256);
    SendFlyweight send = new SendFlyweight();
    for (ByteBuffer b : new ByteBuffer[] {heap, sliced, direct}) {
      b.put((byte) 7); // start off the buffer's first byte
      send.encode(b, 9).token(1, 2).recipient("bob_1").body(ASCII).finish();
      b.flip().position(1);
    }
    assertThat(sliced).isEqualTo(heap);
    assertThat(direct).isEqualTo(heap);
  }

  @Test
  void asciiAndNonAsciiTextRoundTripsWhereverTheFirstNonAsciiCharacterFalls() throws DecodeException {
    ByteBuffer b = ByteBuffer.allocate(256);
    SendFlyweight encoder = new SendFlyweight();
    SendFlyweight decoder = new SendFlyweight();
    for (int at = 0; at <= 20; at++) {
      String body = ASCII.substring(0, at) + "\u00f6\u20ac\uD83D\uDE00" + ASCII.substring(at);
      b.clear();
      encoder.encode(b, 9).token(1, 2).recipient("bob").body(new StringBuilder(body)).finish();
      String viaBuilder = decoder.wrap(b.flip()).body();
      b.clear();
      encoder.encode(b, 9).token(1, 2).recipient("bob").body(body).finish();
      assertThat(decoder.wrap(b.flip()).body()).isEqualTo(body).isEqualTo(viaBuilder);
    }
  }

  @Test
  void aBadByteAnywhereInALongAsciiBodyIsBadUtf8() {
    ByteBuffer b = ByteBuffer.allocate(256);
    new SendFlyweight().encode(b, 9).token(1, 2).recipient("bob").body(ASCII).finish();
    b.flip();
    int bodyStart = b.limit() - ASCII.length();
    for (int i = bodyStart; i < b.limit(); i++) {
      ByteBuffer corrupt = ByteBuffer.allocate(b.limit()).put(b.duplicate()).flip();
      corrupt.put(i, (byte) 0x80);
      assertThatThrownBy(() -> new SendFlyweight().wrap(corrupt))
          .isInstanceOfSatisfying(DecodeException.class,
              e -> assertThat(e.reason()).isEqualTo(DecodeException.Reason.BAD_UTF8));
    }
  }
}
