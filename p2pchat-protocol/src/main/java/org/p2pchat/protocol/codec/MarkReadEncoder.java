package org.p2pchat.protocol.codec;

import java.nio.ByteBuffer;

/**
 * Writes a MARK_READ frame (layout in {@link MarkReadDecoder}).
 *
 * <p>Stateless and thread-safe; allocates nothing.
 */
public final class MarkReadEncoder {
  private MarkReadEncoder() {}

  /**
   * Writes the frame at {@code dst}'s position and advances it.
   *
   * @param ids the message ids, each 1 to 2^63-1; the first {@code count} are sent
   * @param count how many ids, 1 to 64
   * @return the number of bytes written
   * @throws IllegalArgumentException for a count outside 1..64 or beyond the array, or an id of
   *     0; nothing is written
   * @throws java.nio.BufferOverflowException when {@code dst} has too little room; nothing is
   *     written
   */
  public static int encode(ByteBuffer dst, long requestId, long tokenHi, long tokenLo,
      long[] ids, int count) {
    if (count < 1 || count > MarkReadDecoder.MAX_IDS || count > ids.length) {
      throw new IllegalArgumentException("count must be 1 to 64 and within the array: " + count);
    }
    for (int i = 0; i < count; i++) {
      Wire.checkMessageId(ids[i], "message id");
    }
    int total = MarkReadDecoder.IDS_OFFSET + 8 * count;
    Wire.ensureRoom(dst, total);
    Wire.putHeader(dst, FrameType.MARK_READ, requestId);
    Wire.putToken(dst, tokenHi, tokenLo);
    dst.put((byte) count);
    for (int i = 0; i < count; i++) {
      Wire.putU64(dst, ids[i]);
    }
    return total;
  }
}
