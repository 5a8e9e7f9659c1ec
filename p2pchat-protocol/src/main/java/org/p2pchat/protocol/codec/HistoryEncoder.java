package org.p2pchat.protocol.codec;

import java.nio.ByteBuffer;

/**
 * Writes a HISTORY frame (layout in {@link HistoryDecoder}).
 *
 * <p>Stateless and thread-safe; allocates nothing.
 */
public final class HistoryEncoder {
  private HistoryEncoder() {}

  /**
   * Writes the frame at {@code dst}'s position and advances it.
   *
   * @param peerOrNull a user name, or null for all peers
   * @param unreadOnly whether only unread messages are wanted
   * @param after whether the page lies after the cursor (else before)
   * @param cursor a message id, 0 for the start; must not be negative
   * @param limit 1 to 100 entries
   * @return the number of bytes written
   * @throws IllegalArgumentException for a value outside its range; nothing is written
   * @throws java.nio.BufferOverflowException when {@code dst} has too little room; nothing is
   *     written
   */
  public static int encode(ByteBuffer dst, long requestId, long tokenHi, long tokenLo,
      CharSequence peerOrNull, boolean unreadOnly, boolean after, long cursor, int limit) {
    int peerBytes = peerOrNull == null ? 0 : Wire.nameBytes(peerOrNull, "peer");
    if (cursor < 0) {
      throw new IllegalArgumentException("cursor must not be negative: " + cursor);
    }
    if (limit < 1 || limit > HistoryDecoder.MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1 to 100: " + limit);
    }
    int total = HistoryDecoder.PEER_OFFSET + 1 + peerBytes + HistoryDecoder.TAIL_BYTES;
    Wire.ensureRoom(dst, total);
    Wire.putHeader(dst, FrameType.HISTORY, requestId);
    Wire.putToken(dst, tokenHi, tokenLo);
    if (peerOrNull == null) {
      dst.put((byte) 0);
    } else {
      Wire.putName(dst, peerOrNull);
    }
    dst.put((byte) ((unreadOnly ? HistoryDecoder.OPTION_UNREAD_ONLY : 0)
        | (after ? HistoryDecoder.OPTION_AFTER : 0)));
    Wire.putU64(dst, cursor);
    dst.put((byte) limit);
    return total;
  }
}
