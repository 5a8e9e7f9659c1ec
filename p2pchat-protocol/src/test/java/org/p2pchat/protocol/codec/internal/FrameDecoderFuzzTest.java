package org.p2pchat.protocol.codec.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.List;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.protocol.codec.Frame;
import org.p2pchat.protocol.codec.FrameCodec;

/**
 * Coverage-guided fuzzing of the decoders (docs/reliability.md). A plain test run replays the
 * inputs under {@code FrameDecoderFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes.
 *
 * <p>The contract under test: any bytes either decode to a frame or fail with
 * {@link DecodeException}, from {@link FrameCodec} and from the flyweight of every layout in the
 * table of frame types; a decoded frame encodes again to the same frame; and where the frame
 * sits in its buffer does not matter.
 */
class FrameDecoderFuzzTest {
  private final FrameCodec codec = new FrameCodec();
  /** Every layout's flyweight, from the table of frame types; each reused for every input. */
  private final List<HeaderFlyweight<?>> flyweights = Layouts.newFlyweights();

  @FuzzTest
  void anyBytesDecodeToAFrameThatReencodesOrFailWithDecodeException(byte[] datagram) {
    Frame frame = decodeOrNull(ByteBuffer.wrap(datagram));
    if (frame != null) {
      ByteBuffer again = ByteBuffer.allocate(2 * datagram.length + 64);
      codec.encode(frame, again);
      assertThat(decodeOrNull(again.flip())).isEqualTo(frame);
    }

    // The same bytes inside a larger buffer, between junk: offsets are relative to position.
    int before = 1 + datagram.length % 7;
    ByteBuffer framed = ByteBuffer.allocate(before + datagram.length + 5);
    for (int i = 0; i < framed.capacity(); i++) {
      framed.put(i, (byte) 0x81);
    }
    framed.position(before);
    framed.put(datagram);
    framed.limit(framed.position()).position(before);
    assertThat(decodeOrNull(framed)).isEqualTo(frame);

    framed.position(before);
    wrapEveryDecoder(framed);
  }

  private Frame decodeOrNull(ByteBuffer bytes) {
    try {
      return codec.decode(bytes);
    } catch (DecodeException rejected) {
      assertThat(rejected.reason()).isNotNull();
      return null;
    }
  }

  private void wrapEveryDecoder(ByteBuffer bytes) {
    int position = bytes.position();
    for (HeaderFlyweight<?> f : flyweights) {
      try {
        f.wrap(bytes);
      } catch (DecodeException rejected) {
        assertThat(rejected.reason()).isNotNull();
      }
      assertThat(bytes.position()).as("position after wrap").isEqualTo(position);
    }
  }
}
