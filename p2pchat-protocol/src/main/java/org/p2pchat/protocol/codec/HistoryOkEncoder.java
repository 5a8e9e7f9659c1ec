package org.p2pchat.protocol.codec;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.ProtocolLimits;

/**
 * Builds an OK to HISTORY (layout in {@link OkDecoder}) entry by entry, so the server can fill
 * a page up to what one datagram holds.
 *
 * <p>Use: {@link #wrap}, {@link #tryAdd} until it returns false or the page is full,
 * {@link #nextCursor}, {@link #finish}. Reusable; not thread-safe (one per thread); allocates
 * nothing.
 */
public final class HistoryOkEncoder {
  private ByteBuffer dst;
  private int start;
  private int count;

  /** An encoder to {@link #wrap} buffers with. */
  public HistoryOkEncoder() {}

  /**
   * Starts a page at {@code dst}'s position: header, in-reply-to HISTORY, next cursor 0, count
   * 0; the position moves past them.
   *
   * @param requestId the request id of the HISTORY answered
   * @return this encoder
   * @throws BufferOverflowException when {@code dst} has too little room; nothing is written
   */
  public HistoryOkEncoder wrap(ByteBuffer dst, long requestId) {
    Wire.ensureRoom(dst, OkDecoder.ENTRIES_OFFSET);
    this.dst = dst;
    this.start = dst.position();
    this.count = 0;
    Wire.putHeader(dst, FrameType.OK, requestId);
    dst.put((byte) FrameType.HISTORY);
    Wire.putU64(dst, 0);
    dst.put((byte) 0);
    return this;
  }

  /**
   * Appends {@code m} when the frame stays within {@link ProtocolLimits#MAX_DATAGRAM_BYTES} and
   * holds fewer than 100 entries.
   *
   * @return whether it was appended; when not, the buffer is unchanged
   * @throws BufferOverflowException when the entry would fit the datagram limit but not
   *     {@code dst}; nothing is written
   */
  public boolean tryAdd(ChatMessage m) {
    String sender = m.sender().value();
    String recipient = m.recipient().value();
    int bodyBytes = Wire.textBytes(m.body(), "body");
    int size = OkDecoder.ENTRY_STATE_OFFSET + 1 + 1 + sender.length() + 1 + recipient.length()
        + 2 + bodyBytes;
    int frameLength = dst.position() - start;
    if (count == OkDecoder.MAX_ENTRIES
        || frameLength + size > ProtocolLimits.MAX_DATAGRAM_BYTES) {
      return false;
    }
    Wire.ensureRoom(dst, size);
    Wire.putU64(dst, m.id());
    Wire.putU64(dst, m.sentAt().toEpochMilli());
    dst.put((byte) m.state().code());
    Wire.putName(dst, sender);
    Wire.putName(dst, recipient);
    Wire.putString16(dst, m.body(), bodyBytes);
    count++;
    dst.put(start + OkDecoder.COUNT_OFFSET, (byte) count);
    return true;
  }

  /**
   * Sets the cursor of the next page, 0 when there is none.
   *
   * @return this encoder
   */
  public HistoryOkEncoder nextCursor(long cursor) {
    dst.putLong(start + OkDecoder.NEXT_CURSOR_OFFSET,
        dst.order() == ByteOrder.BIG_ENDIAN ? cursor : Long.reverseBytes(cursor));
    return this;
  }

  /** The number of entries added so far. */
  public int count() {
    return count;
  }

  /**
   * Ends the page; the buffer's position stays just after the frame.
   *
   * @return the frame's total length in bytes
   */
  public int finish() {
    return dst.position() - start;
  }
}
