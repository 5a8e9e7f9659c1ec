package org.p2pchat.protocol.codec;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.codec.DecodeException.Reason;

/**
 * Reads a MARK_READ frame in place: the client marks messages it received as read.
 *
 * <pre>
 * offset size  field
 *      0   13  header, type 0x07
 *     13   16  session token (hi, then lo)
 *     29    1  count c, 1..64
 *     30  8*c  c message ids, u64 each, 1..2^63-1
 * total 30+8c bytes
 * </pre>
 *
 * <p>A flyweight: {@link #wrap} validates the whole frame and the getters read straight from
 * the buffer, valid until its bytes change. Reusable; not thread-safe (one per thread).
 */
public final class MarkReadDecoder {
  /** Offset of the session token. */
  public static final int TOKEN_OFFSET = FrameHeader.LENGTH;
  /** Offset of the count. */
  public static final int COUNT_OFFSET = TOKEN_OFFSET + Wire.TOKEN_BYTES;
  /** Offset of the first message id. */
  public static final int IDS_OFFSET = COUNT_OFFSET + 1;
  /** The most ids one frame carries. */
  public static final int MAX_IDS = 64;

  private ByteBuffer buffer;
  private int base;

  /** A decoder to {@link #wrap} frames with. */
  public MarkReadDecoder() {}

  /**
   * Validates the frame between {@code frame}'s position and limit and points the getters at
   * it. Does not move the position and allocates nothing.
   *
   * @return this decoder
   * @throws DecodeException when the frame is malformed or not a MARK_READ (UNKNOWN_FRAME_TYPE)
   */
  public MarkReadDecoder wrap(ByteBuffer frame) throws DecodeException {
    int start = frame.position();
    int end = frame.limit();
    FrameHeader.expect(frame, FrameType.MARK_READ);
    Wire.need(start + TOKEN_OFFSET, Wire.TOKEN_BYTES + 1, end, "token and count");
    int count = Wire.u8(frame, start + COUNT_OFFSET);
    if (count < 1 || count > MAX_IDS) {
      throw new DecodeException(Reason.BAD_VALUE, "count " + count + " is outside 1..64");
    }
    int at = start + IDS_OFFSET;
    Wire.need(at, 8 * count, end, "message ids");
    for (int i = 0; i < count; i++) {
      Wire.messageId(frame, at + 8 * i, end, "message id");
    }
    Wire.requireEnd(at + 8 * count, end);
    buffer = frame;
    base = start;
    return this;
  }

  /** The request id. */
  public long requestId() {
    return Wire.u64(buffer, base + FrameHeader.REQUEST_ID_OFFSET);
  }

  /** The first 8 bytes of the session token. */
  public long tokenHi() {
    return Wire.u64(buffer, base + TOKEN_OFFSET);
  }

  /** The last 8 bytes of the session token. */
  public long tokenLo() {
    return Wire.u64(buffer, base + TOKEN_OFFSET + 8);
  }

  /** How many message ids the frame carries, 1 to 64. */
  public int count() {
    return Wire.u8(buffer, base + COUNT_OFFSET);
  }

  /**
   * The message id at {@code index}.
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= index < count()}
   */
  public long messageId(int index) {
    if (index < 0 || index >= count()) {
      throw new IndexOutOfBoundsException("index " + index + " of " + count());
    }
    return Wire.u64(buffer, base + IDS_OFFSET + 8 * index);
  }
}
