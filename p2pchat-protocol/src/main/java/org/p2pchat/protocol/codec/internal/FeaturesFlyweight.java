package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.codec.DecodeException.Reason;

/**
 * FEATURES: the client names the optional parts of the protocol it understands, for the rest of
 * its session (docs/protocol.md section 24).
 *
 * <pre>
 * offset size field
 *      0   13 header, type 0x25
 *     13   16 session token
 *     29    4 features: u32 bits; bit 0 = batched acknowledgements (PUSH_ACKS, PUSH_STATES);
 *             the other bits must be 0
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
  /** Every bit this version defines. */
  public static final long KNOWN = BATCHED_ACKS;

  /** A flyweight for FEATURES frames. */
  public FeaturesFlyweight() {
    super(FrameType.FEATURES.code());
  }

  @Override
  protected int decodeRequest(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    Wire.need(at, 4, end, "features");
    long bits = Wire.u32(frame, at);
    if ((bits & ~KNOWN) != 0) {
      throw new DecodeException(Reason.BAD_VALUE, "features 0x" + Long.toHexString(bits) + " name unknown bits");
    }
    return at + 4;
  }

  /** The feature bits. */
  public long features() {
    return Wire.u32(buffer, offset + FEATURES_OFFSET);
  }

  /**
   * Writes the feature bits, after the token.
   *
   * @param bits the features, only bits of {@link #KNOWN}
   * @return this flyweight
   * @throws IllegalArgumentException for a bit this version does not define
   */
  public FeaturesFlyweight features(long bits) {
    if ((bits & ~KNOWN) != 0) {
      throw new IllegalArgumentException("unknown feature bits: 0x" + Long.toHexString(bits));
    }
    Wire.ensureRoom(buffer, offset + FEATURES_OFFSET, 4);
    limit = Wire.putU32(buffer, offset + FEATURES_OFFSET, bits);
    return this;
  }
}
