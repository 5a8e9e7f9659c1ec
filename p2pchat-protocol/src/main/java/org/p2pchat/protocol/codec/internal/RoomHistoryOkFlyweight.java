package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import java.util.List;
import org.p2pchat.api.ProtocolLimits;
import org.p2pchat.api.RoomHistoryPage;
import org.p2pchat.api.RoomMessage;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.codec.DecodeException.Reason;
import org.p2pchat.protocol.codec.Frame;

/**
 * The OK to ROOM_HISTORY: one page of a room's messages, in increasing id order, and the
 * cursor of the next (as the OK to HISTORY).
 *
 * <pre>
 * offset size  field
 *      0   13  header, type 0x80
 *     13    1  in-reply-to 0x17
 *     14    8  next cursor, 0 = no more
 *     22    1  count of entries, 0..100
 *     23       count entries, each:
 *               +0 8 message id (1..2^63-1)
 *               +8 8 sent-at ms
 *              +16 2 read count: members other than the sender whose read marker is at or past it
 *              +18 name sender, text body
 * </pre>
 */
public final class RoomHistoryOkFlyweight extends OkFlyweight<RoomHistoryOkFlyweight> {
  /** Offset of the next cursor. */
  public static final int NEXT_CURSOR_OFFSET = PAYLOAD_OFFSET;
  /** Offset of the entry count. */
  public static final int COUNT_OFFSET = NEXT_CURSOR_OFFSET + 8;
  /** Offset of the first entry. */
  public static final int ENTRIES_OFFSET = COUNT_OFFSET + 1;
  /** The most entries one page carries. */
  public static final int MAX_ENTRIES = 100;
  private static final int ENTRY_SENDER_OFFSET = 18;

  private final int[] entryAt = new int[MAX_ENTRIES];
  private int count;

  /** A flyweight for OKs to ROOM_HISTORY. */
  public RoomHistoryOkFlyweight() {
    super(FrameType.Answer.ROOM_HISTORY);
  }

  @Override
  protected int decodePayload(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    count = 0;
    RoomWire.cursor(frame, at, end, "next cursor");
    Wire.need(start + COUNT_OFFSET, 1, end, "count");
    int n = Wire.u8(frame, start + COUNT_OFFSET);
    if (n > MAX_ENTRIES) {
      throw new DecodeException(Reason.BAD_VALUE, "count " + n + " is over 100");
    }
    int p = start + ENTRIES_OFFSET;
    for (int i = 0; i < n; i++) {
      entryAt[i] = p;
      Wire.messageId(frame, p, end, "message id");
      Wire.need(p + 8, ENTRY_SENDER_OFFSET - 8, end, "sent-at and read count");
      p = Wire.checkName(frame, p + ENTRY_SENDER_OFFSET, end, "sender");
      p = Wire.checkText(frame, p, end, "body");
    }
    count = n;
    return p;
  }

  /** The cursor for the next page, 0 when there is none. */
  public long nextCursor() {
    return Wire.u64(buffer, offset + NEXT_CURSOR_OFFSET);
  }

  /** The number of entries. */
  public int count() {
    return count;
  }

  /** The entry at {@code index} (allocates). */
  public Frame.RoomEntry entry(int index) {
    if (index < 0 || index >= count) {
      throw new IndexOutOfBoundsException("index " + index + " of " + count);
    }
    int at = entryAt[index];
    int senderAt = at + ENTRY_SENDER_OFFSET;
    int bodyAt = senderAt + 1 + Wire.u8(buffer, senderAt);
    return new Frame.RoomEntry(Wire.u64(buffer, at), Wire.u64(buffer, at + 8), Wire.u16(buffer, at + 16),
        Wire.string8(buffer, senderAt), Wire.string16(buffer, bodyAt));
  }

  @Override
  protected int encodePayloadStart(ByteBuffer dst, int at) {
    Wire.ensureRoom(dst, at, ENTRIES_OFFSET - PAYLOAD_OFFSET);
    count = 0;
    return Wire.putU8(dst, Wire.putU64(dst, at, 0), 0);
  }

  /**
   * Writes as much of {@code page} as one datagram holds, as {@link HistoryOkFlyweight#page}.
   *
   * @param before whether the page was read backwards (BEFORE a cursor)
   * @return this flyweight
   */
  public RoomHistoryOkFlyweight page(RoomHistoryPage page, boolean before) {
    List<RoomMessage> messages = page.messages();
    int budget = ProtocolLimits.MAX_DATAGRAM_BYTES - ENTRIES_OFFSET;
    int from = 0;
    int to = Math.min(messages.size(), MAX_ENTRIES);
    int bytes = 0;
    for (int i = from; i < to; i++) {
      bytes += entryBytes(messages.get(i).sender().value(), messages.get(i).body());
    }
    while (to > from && bytes > budget) {
      RoomMessage dropped = messages.get(before ? from++ : --to);
      bytes -= entryBytes(dropped.sender().value(), dropped.body());
    }
    boolean trimmed = to - from < messages.size();
    long next = 0;
    if ((trimmed || page.nextCursor().isPresent()) && to > from) {
      next = before ? messages.get(from).id() : messages.get(to - 1).id();
    }
    for (int i = from; i < to; i++) {
      RoomMessage m = messages.get(i);
      tryAdd(new Frame.RoomEntry(m.id(), m.sentAt().toEpochMilli(), m.readCount(), m.sender().value(), m.body()));
    }
    return nextCursor(next);
  }

  /**
   * Appends an entry when the frame stays within a datagram and holds fewer than 100.
   *
   * @return whether it was appended; when not, nothing was written
   */
  public boolean tryAdd(Frame.RoomEntry e) {
    Wire.checkMessageId(e.messageId(), "message id");
    int size = entryBytes(e.sender(), e.body());
    if (count == MAX_ENTRIES || length() + size > ProtocolLimits.MAX_DATAGRAM_BYTES) {
      return false;
    }
    Wire.ensureRoom(buffer, limit, size);
    int at = Wire.putU64(buffer, limit, e.messageId());
    at = Wire.putU64(buffer, at, e.sentAtMillis());
    at = Wire.putU16(buffer, at, Math.min(e.readCount(), 0xffff));
    at = Wire.putName(buffer, at, e.sender(), "sender");
    limit = Wire.putText(buffer, at, e.body(), "body");
    count++;
    Wire.putU8(buffer, offset + COUNT_OFFSET, count);
    return true;
  }

  /**
   * Sets the cursor of the next page, 0 when there is none.
   *
   * @return this flyweight
   */
  public RoomHistoryOkFlyweight nextCursor(long cursor) {
    RoomWire.checkCursor(cursor, "next cursor");
    Wire.putU64(buffer, offset + NEXT_CURSOR_OFFSET, cursor);
    return this;
  }

  private static int entryBytes(String sender, String body) {
    return ENTRY_SENDER_OFFSET + 1 + sender.length() + 2 + Wire.textBytes(body, "body");
  }
}
