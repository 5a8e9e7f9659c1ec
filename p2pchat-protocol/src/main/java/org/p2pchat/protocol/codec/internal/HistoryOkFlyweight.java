package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.HistoryPage;
import org.p2pchat.api.ProtocolLimits;
import org.p2pchat.api.UserName;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.codec.DecodeException.Reason;

/**
 * The OK to HISTORY: one page of messages, in increasing id order, and the cursor of the next.
 *
 * <pre>
 * offset size  field
 *      0   13  header, type 0x80
 *     13    1  in-reply-to 0x05
 *     14    8  next cursor: the cursor for the next page, 0 = no more
 *     22    1  count of entries, 0..100
 *     23       count entries, each:
 *               +0 8 message id (1..2^63-1)
 *               +8 8 sent-at ms
 *              +16 1 state: 1 STORED, 2 DELIVERED, 3 READ
 *              +17 name sender, name recipient, text body
 * </pre>
 *
 * <p>When writing: {@link #inReplyTo}, then {@link #page} (or {@link #tryAdd} per entry and
 * {@link #nextCursor}).
 */
public final class HistoryOkFlyweight extends OkFlyweight<HistoryOkFlyweight> {
  /** Offset of the next cursor. */
  public static final int NEXT_CURSOR_OFFSET = PAYLOAD_OFFSET;
  /** Offset of the entry count. */
  public static final int COUNT_OFFSET = NEXT_CURSOR_OFFSET + 8;
  /** Offset of the first entry. */
  public static final int ENTRIES_OFFSET = COUNT_OFFSET + 1;
  /** The most entries one page carries. */
  public static final int MAX_ENTRIES = 100;
  /** Offset of the state within an entry; the sender name follows it. */
  private static final int ENTRY_STATE_OFFSET = 16;
  /** An entry's id, time, state, two name lengths and the body length. */
  private static final int ENTRY_FIXED_BYTES = ENTRY_STATE_OFFSET + 1 + 1 + 1 + 2;

  private final int[] entryAt = new int[MAX_ENTRIES];
  private int count;

  /** A flyweight for OKs to HISTORY. */
  public HistoryOkFlyweight() {
    super(FrameType.Answer.HISTORY);
  }

  @Override
  protected int decodePayload(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    count = 0; // validation overwrites the entry offsets of the previous frame
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
      p = Wire.checkText(frame, p, end, "body");
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
   * The entry at {@code index} as a message (allocates).
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= index < count()}
   */
  public ChatMessage message(int index) {
    if (index < 0 || index >= count) {
      throw new IndexOutOfBoundsException("index " + index + " of " + count);
    }
    int at = entryAt[index];
    int senderAt = at + ENTRY_STATE_OFFSET + 1;
    int recipientAt = senderAt + 1 + Wire.u8(buffer, senderAt);
    int bodyAt = recipientAt + 1 + Wire.u8(buffer, recipientAt);
    return ChatMessage.builder()
        .id(Wire.u64(buffer, at))
        .sentAt(Instant.ofEpochMilli(Wire.u64(buffer, at + 8)))
        .state(DeliveryState.of(Wire.u8(buffer, at + ENTRY_STATE_OFFSET)))
        .sender(UserName.of(Wire.string8(buffer, senderAt)))
        .recipient(UserName.of(Wire.string8(buffer, recipientAt)))
        .body(Wire.string16(buffer, bodyAt))
        .build();
  }

  // ---------------------------------------------------------------- writing

  @Override
  protected int encodePayloadStart(ByteBuffer dst, int at) {
    Wire.ensureRoom(dst, at, ENTRIES_OFFSET - PAYLOAD_OFFSET);
    count = 0;
    return Wire.putU8(dst, Wire.putU64(dst, at, 0), 0);
  }

  /**
   * Writes as much of {@code page} as one datagram holds: when paging backwards the newest
   * messages (those nearest the cursor), else the oldest; the next cursor continues after what
   * was written, and is 0 only when the page was whole and the store had no more.
   *
   * @param before whether the page was read backwards (BEFORE a cursor)
   * @return this flyweight
   */
  public HistoryOkFlyweight page(HistoryPage page, boolean before) {
    List<ChatMessage> messages = page.messages();
    int budget = ProtocolLimits.MAX_DATAGRAM_BYTES - ENTRIES_OFFSET;
    int from = 0;
    int to = Math.min(messages.size(), MAX_ENTRIES);
    int bytes = 0;
    for (int i = from; i < to; i++) {
      bytes += entryBytes(messages.get(i));
    }
    while (to > from && bytes > budget) {
      bytes -= entryBytes(messages.get(before ? from++ : --to));
    }
    boolean trimmed = to - from < messages.size();
    long next = 0;
    if ((trimmed || page.nextCursor().isPresent()) && to > from) {
      next = before ? messages.get(from).id() : messages.get(to - 1).id();
    }
    for (int i = from; i < to; i++) {
      tryAdd(messages.get(i));
    }
    return nextCursor(next);
  }

  /**
   * Appends {@code m} when the frame stays within {@link ProtocolLimits#MAX_DATAGRAM_BYTES} and
   * holds fewer than 100 entries.
   *
   * @return whether it was appended; when not, nothing was written
   * @throws java.nio.BufferOverflowException when the entry would fit the datagram limit but
   *     not the buffer; nothing is written
   */
  public boolean tryAdd(ChatMessage m) {
    int size = entryBytes(m);
    if (count == MAX_ENTRIES || length() + size > ProtocolLimits.MAX_DATAGRAM_BYTES) {
      return false;
    }
    Wire.ensureRoom(buffer, limit, size);
    int at = Wire.putU64(buffer, limit, m.id());
    at = Wire.putU64(buffer, at, m.sentAt().toEpochMilli());
    at = Wire.putU8(buffer, at, m.state().code());
    at = Wire.putName(buffer, at, m.sender().value(), "sender");
    at = Wire.putName(buffer, at, m.recipient().value(), "recipient");
    // A long message (docs/protocol.md section 23) shows here as the start of its body.
    limit = Wire.putText(buffer, at, LongParts.cut(m.body()), "body");
    count++;
    Wire.putU8(buffer, offset + COUNT_OFFSET, count);
    return true;
  }

  /**
   * Sets the cursor of the next page, 0 when there is none.
   *
   * @return this flyweight
   */
  public HistoryOkFlyweight nextCursor(long cursor) {
    Wire.putU64(buffer, offset + NEXT_CURSOR_OFFSET, cursor);
    return this;
  }

  /** The encoded size of one entry. */
  private static int entryBytes(ChatMessage m) {
    return ENTRY_FIXED_BYTES + m.sender().value().length() + m.recipient().value().length()
        + Wire.textBytes(LongParts.cut(m.body()), "body");
  }
}
