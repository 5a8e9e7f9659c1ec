package org.p2pchat.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.codec.DecodeException;

/** A history page is filled entry by entry up to what one datagram holds. */
class HistoryOkEncoderTest {
  private final HistoryOkEncoder encoder = new HistoryOkEncoder();
  private final OkDecoder decoder = new OkDecoder();

  @Test
  void pageStopsWhereTheNextEntryWouldPassTheDatagramLimit() throws DecodeException {
    ByteBuffer b = ByteBuffer.allocate(1200);
    encoder.wrap(b, 9);
    int added = 0;
    while (encoder.tryAdd(FrameCodecTest.message(added + 1, "k"))) {
      added++;
    }
    // Entries of 17 + 6 ("alice") + 4 ("bob") + 3 ("k") = 30 bytes after a 23-byte head. (Even
    // the shortest entry, 28 bytes, makes the 1200-byte limit bind before the 100-entry one.)
    assertThat(added).isEqualTo((1200 - 23) / 30);
    assertThat(encoder.finish()).isEqualTo(b.position()).isLessThanOrEqualTo(1200);
    assertThat(decoder.wrap(b.flip()).count()).isEqualTo(added);
  }

  @Test
  void refusedEntryLeavesTheBufferUnchanged() {
    ByteBuffer b = ByteBuffer.allocate(1200);
    encoder.wrap(b, 9);
    assertThat(encoder.tryAdd(FrameCodecTest.message(1, "x".repeat(1000)))).isTrue();
    byte[] before = Arrays.copyOf(b.array(), 1200);
    int position = b.position();

    assertThat(encoder.tryAdd(FrameCodecTest.message(2, "y".repeat(200)))).isFalse();

    assertThat(b.position()).isEqualTo(position);
    assertThat(b.array()).isEqualTo(before);
    assertThat(encoder.count()).isEqualTo(1);
  }

  @Test
  void pageDecodesToTheMessagesAddedAndTheNextCursorSet() throws DecodeException {
    ByteBuffer b = ByteBuffer.allocate(1500).position(50);
    ChatMessage first = FrameCodecTest.message(41, "one");
    ChatMessage second = FrameCodecTest.message(42, "two \uD83D\uDE00").withState(DeliveryState.READ);
    encoder.wrap(b, 0x55);
    encoder.tryAdd(first);
    encoder.tryAdd(second);
    int length = encoder.nextCursor(41).finish();

    assertThat(b.position()).isEqualTo(50 + length);
    OkDecoder d = decoder.wrap(b.flip().position(50));
    assertThat(d.requestId()).isEqualTo(0x55);
    assertThat(d.inReplyTo()).isEqualTo(FrameType.HISTORY);
    assertThat(d.nextCursor()).isEqualTo(41);
    assertThat(d.count()).isEqualTo(2);
    assertThat(d.message(0)).isEqualTo(first);
    assertThat(d.message(1)).isEqualTo(second);
  }
}
