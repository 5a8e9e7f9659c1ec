package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.codec.DecodeException.Reason;

/**
 * PUSH_ACKS: acknowledges many pushes at once, as that many PUSH_ACKs would; never answered
 * (docs/protocol.md section 24).
 *
 * <pre>
 * offset size  field
 *      0   13  header, type 0x26, request id 0
 *     13   16  session token
 *     29    1  count c, 1..128
 *     30  8*c  c push ids, u64 each
 * total 30+8c bytes
 * </pre>
 *
 * <p>When writing: {@link #addPushId} once per push, 1 to 128 times.
 */
public final class PushAcksFlyweight extends SessionFlyweight<PushAcksFlyweight> {
  /** Offset of the count. */
  public static final int COUNT_OFFSET = FIELDS_OFFSET;
  /** Offset of the first push id. */
  public static final int IDS_OFFSET = COUNT_OFFSET + 1;
  /** The most push ids one frame carries. */
  public static final int MAX_IDS = 128;

  /** A flyweight for PUSH_ACKS frames. */
  public PushAcksFlyweight() {
    super(FrameType.PUSH_ACKS.code());
  }

  @Override
  protected int decodeRequest(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    Wire.need(at, 1, end, "count");
    int count = Wire.u8(frame, at);
    if (count < 1 || count > MAX_IDS) {
      throw new DecodeException(Reason.BAD_VALUE, "count " + count + " is outside 1.." + MAX_IDS);
    }
    Wire.need(at + 1, 8 * count, end, "push ids");
    return at + 1 + 8 * count;
  }

  /** How many push ids the frame carries, 1 to 128. */
  public int count() {
    return Wire.u8(buffer, offset + COUNT_OFFSET);
  }

  /**
   * The push id at {@code index}.
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= index < count()}
   */
  public long pushId(int index) {
    if (index < 0 || index >= count()) {
      throw new IndexOutOfBoundsException("index " + index + " of " + count());
    }
    return Wire.u64(buffer, offset + IDS_OFFSET + 8 * index);
  }

  /**
   * Appends a push id and counts it; the first call follows the token.
   *
   * @return this flyweight
   * @throws IllegalArgumentException for a 129th id
   */
  public PushAcksFlyweight addPushId(long pushId) {
    int count = limit <= offset + COUNT_OFFSET ? 0 : Wire.u8(buffer, offset + COUNT_OFFSET);
    if (count == MAX_IDS) {
      throw new IllegalArgumentException("a PUSH_ACKS carries at most " + MAX_IDS + " ids");
    }
    int at = count == 0 ? offset + IDS_OFFSET : limit;
    Wire.ensureRoom(buffer, offset + COUNT_OFFSET, at + 8 - (offset + COUNT_OFFSET));
    Wire.putU8(buffer, offset + COUNT_OFFSET, count + 1);
    limit = Wire.putU64(buffer, at, pushId);
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
      throw new IllegalStateException("a PUSH_ACKS carries at least one push id");
    }
    return super.finish();
  }
}
