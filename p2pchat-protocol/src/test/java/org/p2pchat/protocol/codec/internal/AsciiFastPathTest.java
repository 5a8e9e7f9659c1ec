package org.p2pchat.protocol.codec;

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
    for (ByteBuffer b : new ByteBuffer[] {heap, sliced, direct}) {
      b.put((byte) 7); // start off the buffer's first byte
      SendEncoder.encode(b, 9, 1, 2, "bob_1", ASCII);
      b.flip().position(1);
    }
    assertThat(sliced).isEqualTo(heap);
    assertThat(direct).isEqualTo(heap);
  }

  @Test
  void asciiAndNonAsciiTextRoundTripsWhereverTheFirstNonAsciiCharacterFalls() throws DecodeException {
    ByteBuffer b = ByteBuffer.allocate(256);
    SendDecoder decoder = new SendDecoder();
    for (int at = 0; at <= 20; at++) {
      String body = ASCII.substring(0, at) + "\u00f6\u20ac\uD83D\uDE00" + ASCII.substring(at);
      b.clear();
      SendEncoder.encode(b, 9, 1, 2, "bob", new StringBuilder(body));
      String viaBuilder = decoder.wrap(b.flip()).body();
      b.clear();
      SendEncoder.encode(b, 9, 1, 2, "bob", body);
      assertThat(decoder.wrap(b.flip()).body()).isEqualTo(body).isEqualTo(viaBuilder);
    }
  }

  @Test
  void aBadByteAnywhereInALongAsciiBodyIsBadUtf8() {
    ByteBuffer b = ByteBuffer.allocate(256);
    SendEncoder.encode(b, 9, 1, 2, "bob", ASCII);
    b.flip();
    int bodyStart = b.limit() - ASCII.length();
    for (int i = bodyStart; i < b.limit(); i++) {
      ByteBuffer corrupt = ByteBuffer.allocate(b.limit()).put(b.duplicate()).flip();
      corrupt.put(i, (byte) 0x80);
      assertThatThrownBy(() -> new SendDecoder().wrap(corrupt))
          .isInstanceOfSatisfying(DecodeException.class,
              e -> assertThat(e.reason()).isEqualTo(DecodeException.Reason.BAD_UTF8));
    }
  }
}
