package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.ProtocolLimits;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.codec.DecodeException.Reason;

/**
 * The 13-byte header that starts every frame of protocol v1, and the base of every frame's
 * flyweight: a subclass adds only its own fields, their offsets and accessors.
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
 * <p>A flyweight reads or writes one frame in place, in either of two ways:
 *
 * <ul>
 *   <li>{@link #wrap} validates the whole frame between a buffer's position and limit (header,
 *       then every field, then that nothing follows the last) and points the getters at it. The
 *       getters read straight from the buffer and are valid until its bytes change.
 *   <li>{@link #encode} writes the header at a buffer's position; the subclass's fluent setters
 *       then write its fields, <em>in layout order</em>; {@link #finish} moves the buffer's
 *       position past the frame. A setter that rejects its value throws before writing, and the
 *       buffer's position stays where it was until {@code finish}.
 * </ul>
 *
 * <p>Neither way allocates (getters of strings excepted) or moves the position of a buffer being
 * read. Reusable; not thread-safe (one per thread).
 *
 * @param <F> the concrete flyweight, which the fluent methods return
 */
public abstract class HeaderFlyweight<F extends HeaderFlyweight<F>> {
  /** The magic number, bytes 0x50 0x32 ("P2"). */
  public static final int MAGIC = 0x5032;
  /** The protocol version this codec speaks. */
  public static final int VERSION = ProtocolLimits.PROTOCOL_VERSION;
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
  /** The header's length in bytes, and the offset of a frame's first field. */
  public static final int LENGTH = 13;

  /** The magic then the version: the first three bytes of every valid header. */
  private static final long VALID_PREFIX = ((long) MAGIC << 8) | VERSION;

  private final int type;
  /** The buffer of the frame read or written; null until a wrap succeeds. */
  protected ByteBuffer buffer;
  /** The absolute index of the frame's first byte. */
  protected int offset;
  /** Reading: the index after the frame's last byte. Writing: the index of the next byte to write. */
  protected int limit;

  /** @param type the frame type this flyweight reads and writes, a {@link FrameType#code()} */
  protected HeaderFlyweight(int type) {
    this.type = type;
  }

  // ---------------------------------------------------------------- reading

  /**
   * Validates the frame between {@code frame}'s position and limit and points the getters at
   * it. Does not move the position.
   *
   * @return this flyweight
   * @throws DecodeException when the frame is malformed, or of another type
   *     (UNKNOWN_FRAME_TYPE); the flyweight then holds no frame
   */
  public final F wrap(ByteBuffer frame) throws DecodeException {
    buffer = null; // a failed wrap must not leave the previous frame readable
    int start = frame.position();
    int end = frame.limit();
    int found = readType(frame);
    if (found != type) {
      throw new DecodeException(Reason.UNKNOWN_FRAME_TYPE, "expected " + FrameType.name(type)
          + ", got " + FrameType.name(found));
    }
    Wire.requireEnd(decodeFields(frame, start, start + LENGTH, end), end);
    buffer = frame;
    offset = start;
    limit = end;
    return self();
  }

  /**
   * Validates this layout's fields, which start at {@code at}, and records where its variable
   * fields lie. Called by {@link #wrap} before {@link #buffer} is set.
   *
   * @param start the index of the frame's first byte
   * @return the index after the last field, which must be the frame's end
   * @throws DecodeException when a field is malformed
   */
  protected abstract int decodeFields(ByteBuffer frame, int start, int at, int end)
      throws DecodeException;

  /** The request id: chosen by the sender of a request or push, echoed by its answer. */
  public final long requestId() {
    return Wire.u64(buffer, offset + REQUEST_ID_OFFSET);
  }

  /** The frame type this flyweight reads and writes, a {@link FrameType#code()}. */
  public final int type() {
    return type;
  }

  // ---------------------------------------------------------------- writing

  /**
   * Writes the header at {@code dst}'s position; the setters of the subclass write the fields
   * after it, and {@link #finish} ends the frame.
   *
   * @return this flyweight
   * @throws java.nio.BufferOverflowException when {@code dst} has no room for the header
   */
  public final F encode(ByteBuffer dst, long requestId) {
    int at = dst.position();
    Wire.ensureRoom(dst, at, LENGTH);
    Wire.putU16(dst, at + MAGIC_OFFSET, MAGIC);
    Wire.putU8(dst, at + VERSION_OFFSET, VERSION);
    Wire.putU8(dst, at + TYPE_OFFSET, type);
    Wire.putU8(dst, at + FLAGS_OFFSET, 0);
    Wire.putU64(dst, at + REQUEST_ID_OFFSET, requestId);
    buffer = dst;
    offset = at;
    limit = encodeFixedFields(dst, at + LENGTH);
    return self();
  }

  /**
   * Writes the fields whose value the layout fixes (a subclass overrides it), right after the
   * header.
   *
   * @return the index after them
   */
  protected int encodeFixedFields(ByteBuffer dst, int at) {
    return at;
  }

  /**
   * Ends the frame being written: moves the buffer's position past it.
   *
   * @return the frame's length in bytes
   */
  public int finish() {
    buffer.position(limit);
    return limit - offset;
  }

  /** The length in bytes of the frame read, or of what was written so far. */
  public final int length() {
    return limit - offset;
  }

  @SuppressWarnings("unchecked") // F is this class's own type, as its declaration promises
  protected final F self() {
    return (F) this;
  }

  // ---------------------------------------------------------------- the header alone

  /** Whether at least a whole header lies between the buffer's position and limit. */
  public static boolean hasHeader(ByteBuffer frame) {
    return frame.remaining() >= LENGTH;
  }

  /**
   * Validates the header of the frame between {@code frame}'s position and limit and returns
   * its type. Checks in this order: size ({@value #LENGTH} to
   * {@link ProtocolLimits#MAX_DATAGRAM_BYTES} bytes: TRUNCATED or OVERSIZED), magic
   * (BAD_MAGIC), version (UNSUPPORTED_VERSION), flags (BAD_FLAGS), type (UNKNOWN_FRAME_TYPE).
   * The fields are not looked at. Does not move the position.
   *
   * @return the frame type, a {@link FrameType#code()}
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
    throw new DecodeException(Reason.UNKNOWN_FRAME_TYPE, FrameType.name(type));
  }

  /**
   * The request id of the frame at the buffer's position; the caller has ensured a whole
   * header ({@link #hasHeader}). Does not move the position.
   */
  public static long requestId(ByteBuffer frame) {
    return Wire.u64(frame, frame.position() + REQUEST_ID_OFFSET);
  }

  /**
   * The type byte of the frame at the buffer's position, valid or not; the caller has ensured a
   * whole header ({@link #hasHeader}). Does not move the position.
   */
  public static int typeByte(ByteBuffer frame) {
    return Wire.u8(frame, frame.position() + TYPE_OFFSET);
  }
}
