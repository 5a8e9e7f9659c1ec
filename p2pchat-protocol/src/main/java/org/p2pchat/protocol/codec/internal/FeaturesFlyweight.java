package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;

/**
 * FEATURES: the client names the optional parts of the protocol it understands, for the rest of
 * its session (docs/protocol.md section 24).
 *
 * <pre>
 * offset size field
 *      0   13 header, type 0x25
 *     13   16 session token
 *     29    4 features: u32 bits; bit 0 = batched acknowledgements (PUSH_ACKS, PUSH_STATES);
 *             a server ignores the bits it does not know
 * total 33 bytes
 * </pre>
 */
public final class FeaturesFlyweight extends SessionFlyweight<FeaturesFlyweight> {
  /** Offset of the feature bits. */
  public static final int FEATURES_OFFSET = FIELDS_OFFSET;
  /** The frame's length in bytes. */
  public static final int FRAME_LENGTH = FEATURES_OFFSET + 4;
  /** Bit 0: the client sends PUSH_ACKS and understands PUSH_STATES. */
  public static final long BATCHED_ACKS = 1;

  /** A flyweight for FEATURES frames. */
  public FeaturesFlyweight() {
    super(FrameType.FEATURES.code());
  }

  @Override
  protected int decodeRequest(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    Wire.need(at, 4, end, "features");
    return at + 4; // bits this version does not define are ignored, so that a later client may ask for them
  }

  /** The feature bits, those this version does not define included. */
  public long features() {
    return Wire.u32(buffer, offset + FEATURES_OFFSET);
  }

  /**
   * Writes the feature bits, after the token.
   *
   * @param bits the features, a u32 (bits this version does not define included, for tools and tests)
   * @return this flyweight
   * @throws IllegalArgumentException for a value outside 0 to 2^32-1
   */
  public FeaturesFlyweight features(long bits) {
    if (bits < 0 || bits > 0xffff_ffffL) {
      throw new IllegalArgumentException("features are a u32: " + bits);
    }
    Wire.ensureRoom(buffer, offset + FEATURES_OFFSET, 4);
    limit = Wire.putU32(buffer, offset + FEATURES_OFFSET, bits);
    return this;
  }
}
