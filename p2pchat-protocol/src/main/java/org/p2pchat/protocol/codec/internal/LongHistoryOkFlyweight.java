package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import java.util.List;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.HistoryPage;
import org.p2pchat.api.ProtocolLimits;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.codec.DecodeException.Reason;
import org.p2pchat.protocol.codec.Frame;

/**
 * The OK to HISTORY_LONG: a page of history in which a long message is a stub (its length, no
 * body) that the client completes with MESSAGE_PART ({@code docs/protocol.md} section 23).
 *
 * <pre>
 * offset size  field
 *      0   13  header, type 0x80
 *     13    1  in-reply-to 0x24
 *     14    8  next cursor: the cursor for the next page, 0 = no more
 *     22    1  count of entries, 0..100
 *     23       count entries, each:
 *               +0 8 message id (1..2^63-1)
 *               +8 8 sent-at ms
 *              +16 1 state: 1 STORED, 2 DELIVERED, 3 READ
 *              +17 name sender, name recipient
 *                  4 total length t, u32, 1..65536
 *                  t bytes of UTF-8, the body, when t is at most 1000; nothing (a stub) otherwise
 * </pre>
 */
public final class LongHistoryOkFlyweight extends OkFlyweight<LongHistoryOkFlyweight> {
  /** Offset of the next cursor. */
  public static final int NEXT_CURSOR_OFFSET = PAYLOAD_OFFSET;
  /** Offset of the entry count. */
  public static final int COUNT_OFFSET = NEXT_CURSOR_OFFSET + 8;
  /** Offset of the first entry. */
  public static final int ENTRIES_OFFSET = COUNT_OFFSET + 1;
  /** The most entries one page carries. */
  public static final int MAX_ENTRIES = 100;
  private static final int ENTRY_STATE_OFFSET = 16;
  /** An entry's id, time, state, two name lengths and the total length. */
  private static final int ENTRY_FIXED_BYTES = ENTRY_STATE_OFFSET + 1 + 1 + 1 + 4;

  private final int[] entryAt = new int[MAX_ENTRIES];
  private int count;

  /** A flyweight for OKs to HISTORY_LONG. */
  public LongHistoryOkFlyweight() {
    super(FrameType.Answer.HISTORY_LONG);
  }

  @Override
  protected int decodePayload(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    count = 0;
    Wire.need(at, ENTRIES_OFFSET - PAYLOAD_OFFSET, end, "next cursor and count");
    int n = Wire.u8(frame, start + COUNT_OFFSET);
    if (n > MAX_ENTRIES) {
      throw new DecodeException(Reason.BAD_VALUE, "count " + n + " is over 100");
    }
    int p = start + ENTRIES_OFFSET;
    for (int i = 0; i < n; i++) {
      entryAt[i] = p;
      Wire.messageId(frame, p, end, "message id");
      Wire.need(p, ENTRY_STATE_OFFSET + 1, end, "sent-at and state");
      int state = Wire.u8(frame, p + ENTRY_STATE_OFFSET);
      if (state < 1 || state > 3) {
        throw new DecodeException(Reason.BAD_VALUE, "state " + state);
      }
      p = Wire.checkName(frame, p + ENTRY_STATE_OFFSET + 1, end, "sender");
      p = Wire.checkName(frame, p, end, "recipient");
      Wire.need(p, 4, end, "total length");
      long total = Wire.u32(frame, p);
      if (total == 0) {
        throw new DecodeException(Reason.BAD_LENGTH, "total length 0");
      }
      if (total > LongParts.MAX_TOTAL) {
        throw new DecodeException(Reason.BODY_TOO_LONG, "total length " + total);
      }
      p += 4;
      if (total <= ProtocolLimits.MAX_BODY_BYTES) {
        Wire.need(p, (int) total, end, "body");
        Wire.checkUtf8(frame, p, p + (int) total, "body");
        p += (int) total;
      }
    }
    count = n;
    return p;
  }

  /** The cursor for the next page, 0 when there is none. */
  public long nextCursor() {
    return Wire.u64(buffer, offset + NEXT_CURSOR_OFFSET);
  }

  /** The number of entries, 0 to 100. */
  public int count() {
    return count;
  }

  /**
   * The entry at {@code index} (allocates); its body is null for a long message's stub.
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= index < count()}
   */
  public Frame.LongEntry entry(int index) {
    if (index < 0 || index >= count) {
      throw new IndexOutOfBoundsException("index " + index + " of " + count);
    }
    int at = entryAt[index];
    int senderAt = at + ENTRY_STATE_OFFSET + 1;
    int recipientAt = senderAt + 1 + Wire.u8(buffer, senderAt);
    int totalAt = recipientAt + 1 + Wire.u8(buffer, recipientAt);
    int total = (int) Wire.u32(buffer, totalAt);
    String body = null;
    if (total <= ProtocolLimits.MAX_BODY_BYTES) {
      byte[] bytes = new byte[total];
      buffer.get(totalAt + 4, bytes);
      body = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }
    return new Frame.LongEntry(Wire.u64(buffer, at), Wire.u64(buffer, at + 8), Wire.u8(buffer, at + ENTRY_STATE_OFFSET),
        Wire.string8(buffer, senderAt), Wire.string8(buffer, recipientAt), total, body);
  }

  // ---------------------------------------------------------------- writing

  @Override
  protected int encodePayloadStart(ByteBuffer dst, int at) {
    Wire.ensureRoom(dst, at, ENTRIES_OFFSET - PAYLOAD_OFFSET);
    count = 0;
    return Wire.putU8(dst, Wire.putU64(dst, at, 0), 0);
  }

  /**
   * Writes as much of {@code page} as one datagram holds, long messages as stubs, with the next
   * cursor after what was written (as {@link HistoryOkFlyweight#page}).
   *
   * @param before whether the page was read backwards (BEFORE a cursor)
   * @return this flyweight
   */
  public LongHistoryOkFlyweight page(HistoryPage page, boolean before) {
    List<ChatMessage> messages = page.messages();
    int budget = ProtocolLimits.MAX_DATAGRAM_BYTES - ENTRIES_OFFSET;
    int from = 0;
    int to = Math.min(messages.size(), MAX_ENTRIES);
    int bytes = 0;
    for (int i = from; i < to; i++) {
      bytes += entryBytes(Frame.LongEntry.of(messages.get(i)));
    }
    while (to > from && bytes > budget) {
      bytes -= entryBytes(Frame.LongEntry.of(messages.get(before ? from++ : --to)));
    }
    boolean trimmed = to - from < messages.size();
    long next = 0;
    if ((trimmed || page.nextCursor().isPresent()) && to > from) {
      next = before ? messages.get(from).id() : messages.get(to - 1).id();
    }
    for (int i = from; i < to; i++) {
      tryAdd(Frame.LongEntry.of(messages.get(i)));
    }
    return nextCursor(next);
  }

  /**
   * Appends an entry when the frame stays within one datagram and 100 entries.
   *
   * @return whether it was appended; when not, nothing was written
   * @throws IllegalArgumentException for a body that disagrees with the total length
   */
  public boolean tryAdd(Frame.LongEntry e) {
    int size = entryBytes(e);
    if (count == MAX_ENTRIES || length() + size > ProtocolLimits.MAX_DATAGRAM_BYTES) {
      return false;
    }
    Wire.checkMessageId(e.messageId(), "message id");
    if (e.state() < 1 || e.state() > 3) {
      throw new IllegalArgumentException("state " + e.state());
    }
    Wire.ensureRoom(buffer, limit, size);
    int at = Wire.putU64(buffer, limit, e.messageId());
    at = Wire.putU64(buffer, at, e.sentAtMillis());
    at = Wire.putU8(buffer, at, e.state());
    at = Wire.putName(buffer, at, e.sender(), "sender");
    at = Wire.putName(buffer, at, e.recipient(), "recipient");
    at = Wire.putU32(buffer, at, e.totalLength());
    if (e.body() != null) {
      Wire.putUtf8(buffer, at, e.body(), e.totalLength());
      at += e.totalLength();
    }
    limit = at;
    count++;
    Wire.putU8(buffer, offset + COUNT_OFFSET, count);
    return true;
  }

  /** Sets the cursor of the next page, 0 when there is none. */
  public LongHistoryOkFlyweight nextCursor(long cursor) {
    Wire.putU64(buffer, offset + NEXT_CURSOR_OFFSET, cursor);
    return this;
  }

  private static int entryBytes(Frame.LongEntry e) {
    int total = e.totalLength();
    if (total < 1 || total > LongParts.MAX_TOTAL) {
      throw new IllegalArgumentException("total length " + total);
    }
    if ((e.body() == null) != (total > ProtocolLimits.MAX_BODY_BYTES)
        || (e.body() != null && ProtocolLimits.utf8Length(e.body()) != total)) {
      throw new IllegalArgumentException("an entry carries its body exactly when it has at most "
          + ProtocolLimits.MAX_BODY_BYTES + " bytes");
    }
    return ENTRY_FIXED_BYTES + e.sender().length() + e.recipient().length() + (e.body() != null ? total : 0);
  }
}
