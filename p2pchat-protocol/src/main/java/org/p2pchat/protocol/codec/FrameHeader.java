package org.p2pchat.protocol.codec;

import java.nio.ByteBuffer;
import org.p2pchat.api.ProtocolLimits;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.codec.DecodeException.Reason;

/**
 * The 13-byte header that starts every frame of protocol v1.
 *
 * <pre>
 * offset size field
 *      0    2 magic 0x50 0x32 ("P2")
 *      2    1 version, 1
 *      3    1 frame type ({@link FrameType})
 *      4    1 flags, 0 in v1
 *      5    8 request id (u64): chosen by the sender of a request or push, echoed by answers
 * </pre>
 *
 * <p>All methods read at absolute indices relative to the buffer's position and never move it.
 * Stateless and thread-safe.
 */
public final class FrameHeader {
  /** The magic number, bytes 0x50 0x32 ("P2"). */
  public static final int MAGIC = 0x5032;
  /** The protocol version this codec speaks. */
  public static final int VERSION = ProtocolLimits.PROTOCOL_VERSION;
  /** The header's length in bytes. */
  public static final int LENGTH = 13;

  /** Offset of the 2-byte magic. */
  public static final int MAGIC_OFFSET = 0;
  /** Offset of the 1-byte version. */
  public static final int VERSION_OFFSET = 2;
  /** Offset of the 1-byte frame type. */
  public static final int TYPE_OFFSET = 3;
  /** Offset of the 1-byte flags. */
  public static final int FLAGS_OFFSET = 4;
  /** Offset of the 8-byte request id. */
  public static final int REQUEST_ID_OFFSET = 5;

  /**
   * The least size of a REGISTER or LOGIN frame in bytes, reached with zero padding. Before a
   * session exists no answer may be larger than its request; this floor leaves room for any
   * answer to these two requests, so spoofed requests cannot amplify.
   */
  public static final int MIN_HANDSHAKE_FRAME_BYTES = 64;

  /**
   * The least size of an ERROR frame in bytes, and so the least datagram a server answers:
   * anything shorter cannot be answered without amplification.
   */
  public static final int MIN_ERROR_FRAME_BYTES = 20;

  /** The magic then the version: the first three bytes of every valid header. */
  private static final long VALID_PREFIX = ((long) MAGIC << 8) | VERSION;

  private FrameHeader() {}

  /** Whether at least a whole header lies between the buffer's position and limit. */
  public static boolean hasHeader(ByteBuffer frame) {
    return frame.remaining() >= LENGTH;
  }

  /**
   * Validates the header of the frame between {@code frame}'s position and limit and returns
   * its type. Checks in this order: size ({@value #LENGTH} to
   * {@link ProtocolLimits#MAX_DATAGRAM_BYTES} bytes: TRUNCATED or OVERSIZED), magic
   * (BAD_MAGIC), version (UNSUPPORTED_VERSION), flags (BAD_FLAGS), type (UNKNOWN_FRAME_TYPE).
   * The body is not looked at. Does not move the position.
   *
   * @return the frame type, one of {@link FrameType}'s constants
   * @throws DecodeException when the header is not a valid v1 header
   */
  public static int readType(ByteBuffer frame) throws DecodeException {
    int size = frame.remaining();
    if (size < LENGTH) {
      throw new DecodeException(Reason.TRUNCATED, size + " bytes is shorter than a header");
    }
    if (size > ProtocolLimits.MAX_DATAGRAM_BYTES) {
      throw new DecodeException(Reason.OVERSIZED, size + " bytes is over the datagram limit");
    }
    int p = frame.position();
    long head = Wire.u32(frame, p + MAGIC_OFFSET); // magic, version, type in one read
    if ((head >>> 8) == VALID_PREFIX && frame.get(p + FLAGS_OFFSET) == 0) {
      int type = (int) head & 0xff;
      if (FrameType.isKnown(type)) {
        return type;
      }
    }
    // Something is wrong: find the first failing check, in the documented order.
    if (Wire.u16(frame, p + MAGIC_OFFSET) != MAGIC) {
      throw new DecodeException(Reason.BAD_MAGIC, "the datagram does not start with P2");
    }
    int version = Wire.u8(frame, p + VERSION_OFFSET);
    if (version != VERSION) {
      throw new DecodeException(Reason.UNSUPPORTED_VERSION, "version " + version);
    }
    int flags = Wire.u8(frame, p + FLAGS_OFFSET);
    if (flags != 0) {
      throw new DecodeException(Reason.BAD_FLAGS, String.format("flags 0x%02x", flags));
    }
    int type = Wire.u8(frame, p + TYPE_OFFSET);
    if (!FrameType.isKnown(type)) {
      throw new DecodeException(Reason.UNKNOWN_FRAME_TYPE, FrameType.name(type));
    }
    return type;
  }

  /**
   * The request id of the frame at the buffer's position; the caller has ensured a whole header
   * ({@link #hasHeader}). Does not move the position.
   */
  public static long requestId(ByteBuffer frame) {
    return Wire.u64(frame, frame.position() + REQUEST_ID_OFFSET);
  }

  /**
   * Validates the header and that the frame is of {@code expected} type; returns the absolute
   * index of the first byte after the header.
   */
  static int expect(ByteBuffer frame, int expected) throws DecodeException {
    int type = readType(frame);
    if (type != expected) {
      throw new DecodeException(Reason.UNKNOWN_FRAME_TYPE, "expected "
          + FrameType.name(expected) + ", got " + FrameType.name(type));
    }
    return frame.position() + LENGTH;
  }
}
