package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.codec.DecodeException.Reason;

/**
 * MARK_READ: the client marks messages it received as read.
 *
 * <pre>
 * offset size  field
 *      0   13  header, type 0x07
 *     13   16  session token
 *     29    1  count c, 1..64
 *     30  8*c  c message ids, u64 each, 1..2^63-1
 * total 30+8c bytes
 * </pre>
 *
 * <p>When writing: {@link #addMessageId} once per id, 1 to 64 times; the count follows.
 */
public final class MarkReadFlyweight extends SessionFlyweight<MarkReadFlyweight> {
  /** Offset of the count. */
  public static final int COUNT_OFFSET = FIELDS_OFFSET;
  /** Offset of the first message id. */
  public static final int IDS_OFFSET = COUNT_OFFSET + 1;
  /** The most ids one frame carries. */
  public static final int MAX_IDS = 64;

  /** A flyweight for MARK_READ frames. */
  public MarkReadFlyweight() {
    super(FrameType.MARK_READ.code());
  }

  @Override
  protected int decodeRequest(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    Wire.need(at, 1, end, "count");
    int count = Wire.u8(frame, at);
    if (count < 1 || count > MAX_IDS) {
      throw new DecodeException(Reason.BAD_VALUE, "count " + count + " is outside 1..64");
    }
    int ids = at + 1;
    Wire.need(ids, 8 * count, end, "message ids");
    for (int i = 0; i < count; i++) {
      Wire.messageId(frame, ids + 8 * i, end, "message id");
    }
    return ids + 8 * count;
  }

  /** How many message ids the frame carries, 1 to 64. */
  public int count() {
    return Wire.u8(buffer, offset + COUNT_OFFSET);
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
    return Wire.u64(buffer, offset + IDS_OFFSET + 8 * index);
  }

  /**
   * Appends a message id and counts it; the first call follows the token.
   *
   * @param id 1 to 2^63-1
   * @return this flyweight
   * @throws IllegalArgumentException for an id of 0 or below, or a 65th id
   */
  public MarkReadFlyweight addMessageId(long id) {
    Wire.checkMessageId(id, "message id");
    int count = limit <= offset + COUNT_OFFSET ? 0 : Wire.u8(buffer, offset + COUNT_OFFSET);
    if (count == MAX_IDS) {
      throw new IllegalArgumentException("a MARK_READ carries at most 64 ids");
    }
    int at = count == 0 ? offset + IDS_OFFSET : limit;
    Wire.ensureRoom(buffer, offset + COUNT_OFFSET, at + 8 - (offset + COUNT_OFFSET));
    Wire.putU8(buffer, offset + COUNT_OFFSET, count + 1);
    limit = Wire.putU64(buffer, at, id);
    return this;
  }

  /**
   * Ends the frame.
   *
   * @throws IllegalStateException when no id was written
   */
  @Override
  public int finish() {
    if (limit <= offset + COUNT_OFFSET) {
      throw new IllegalStateException("a MARK_READ carries at least one id");
    }
    return super.finish();
  }
}
