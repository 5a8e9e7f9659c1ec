package org.p2pchat.protocol.codec.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.protocol.codec.Frame;
import org.p2pchat.protocol.codec.FrameCodec;
import org.p2pchat.protocol.codec.Vectors;

/**
 * Hostile bytes: every truncation and every single-byte mutation of every vector either
 * decodes to a valid frame or fails with {@link DecodeException}; nothing else escapes, from
 * {@link FrameCodec} or from the flyweight of any layout in the table of frame types.
 */
class MalformedInputTest {
  private final FrameCodec codec = new FrameCodec();
  /** Every layout's flyweight, from the table of frame types; each reused for every input. */
  private final List<HeaderFlyweight<?>> flyweights = Layouts.newFlyweights();

  @Test
  void everyTruncationOfEveryVectorFailsWithTruncatedOrAnotherDecodeReason() {
    for (Map.Entry<String, byte[]> v : Vectors.fromResource().entrySet()) {
      byte[] bytes = v.getValue();
      for (int len = 0; len < bytes.length; len++) {
        byte[] cut = Arrays.copyOf(bytes, len);
        // A prefix can never be a whole frame: each vector's last field ends exactly at its
        // end, and handshake padding is required.
        assertOnlyDecodeExceptions(v.getKey() + " cut to " + len, cut, false);
      }
    }
  }

  @Test
  void everySingleByteMutationOfEveryVectorDecodesOrFailsWithDecodeException() {
    long valid = 0;
    long invalid = 0;
    for (Map.Entry<String, byte[]> v : Vectors.fromResource().entrySet()) {
      byte[] bytes = v.getValue();
      for (int at = 0; at < bytes.length; at++) {
        for (int value = 0; value < 256; value++) {
          byte[] mutant = bytes.clone();
          mutant[at] = (byte) value;
          if (assertOnlyDecodeExceptions(v.getKey() + " byte " + at + " = " + value, mutant,
              true)) {
            valid++;
          } else {
            invalid++;
          }
        }
      }
    }
    // Both outcomes occur, so the loop exercised the decoders' accept and reject paths.
    assertThat(valid).isPositive();
    assertThat(invalid).isPositive();
  }

  @Test
  void aByteAppendedToAnyVectorIsRejected() {
    for (Map.Entry<String, byte[]> v : Vectors.fromResource().entrySet()) {
      byte[] longer = Arrays.copyOf(v.getValue(), v.getValue().length + 1);
      longer[longer.length - 1] = 0x01;
      assertThatDecodeFails(v.getKey() + " plus a byte", longer);
    }
  }

  /** Returns whether the bytes decoded; fails the test for any exception but DecodeException. */
  private boolean assertOnlyDecodeExceptions(String what, byte[] bytes, boolean mayDecode) {
    boolean decoded;
    try {
      Frame frame = codec.decode(ByteBuffer.wrap(bytes));
      decoded = true;
      // A frame the codec accepted is a valid frame: it encodes again, to the same frame.
      ByteBuffer again = ByteBuffer.allocate(1200);
      codec.encode(frame, again);
      assertThat(codec.decode(again.flip())).as(what).isEqualTo(frame);
    } catch (DecodeException e) {
      decoded = false;
    } catch (RuntimeException e) {
      throw new AssertionError(what + ": " + e, e);
    }
    if (!mayDecode && decoded) {
      fail(what + " decoded");
    }
    wrapEveryDecoder(what, bytes);
    return decoded;
  }

  private void assertThatDecodeFails(String what, byte[] bytes) {
    try {
      codec.decode(ByteBuffer.wrap(bytes));
      fail(what + " decoded");
    } catch (DecodeException expected) {
      assertThat(expected.reason()).isNotNull();
    }
  }

  private void wrapEveryDecoder(String what, byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    for (HeaderFlyweight<?> f : flyweights) {
      try {
        f.wrap(b);
      } catch (DecodeException expected) {
        // the one permitted failure
      } catch (RuntimeException e) {
        throw new AssertionError(what + ", " + f.getClass().getSimpleName() + ": " + e, e);
      }
      assertThat(b.position()).as("position after wrap").isZero();
    }
  }
}
