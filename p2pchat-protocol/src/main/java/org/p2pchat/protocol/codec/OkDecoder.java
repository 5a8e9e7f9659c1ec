package org.p2pchat.protocol.codec;

import java.nio.ByteBuffer;
import java.time.Instant;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.UserName;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.codec.DecodeException.Reason;

/**
 * Reads an OK frame in place: the server's success answer, whose payload depends on the
 * request it answers.
 *
 * <pre>
 * offset size  field
 *      0   13  header, type 0x80, request id of the request answered
 *     13    1  in-reply-to: the request's frame type, 0x01..0x07
 *     14       payload:
 *              REGISTER, LOGOUT, PING, MARK_READ: nothing (total 14 bytes)
 *              LOGIN:   14 16 session token, 30 4 keepalive interval ms u32 (total 34)
 *              SEND:    14  8 message id (1..2^63-1), 22 8 sent-at ms (total 30)
 *              HISTORY: 14  8 next cursor (0 = no more), 22 1 count (0..100),
 *                       23 count entries, each:
 *                          +0 8 message id (1..2^63-1)
 *                          +8 8 sent-at ms
 *                         +16 1 state: 1 STORED, 2 DELIVERED, 3 READ
 *                         +17 name sender, name recipient, text body
 * </pre>
 *
 * <p>A flyweight: {@link #wrap} validates the whole frame and the getters read straight from
 * the buffer, valid until its bytes change. Getters of another request's payload throw
 * {@link IllegalStateException}. Reusable; not thread-safe (one per thread).
 */
public final class OkDecoder {
  /** Offset of the in-reply-to frame type. */
  public static final int IN_REPLY_TO_OFFSET = FrameHeader.LENGTH;
  /** Offset of the payload. */
  public static final int PAYLOAD_OFFSET = IN_REPLY_TO_OFFSET + 1;
  /** Length of an OK without payload. */
  public static final int EMPTY_LENGTH = PAYLOAD_OFFSET;
  /** Length of an OK to LOGIN: token, keepalive. */
  public static final int LOGIN_LENGTH = PAYLOAD_OFFSET + Wire.TOKEN_BYTES + 4;
  /** Length of an OK to SEND: message id, sent-at. */
  public static final int SEND_LENGTH = PAYLOAD_OFFSET + 8 + 8;
  /** Offset of the next cursor in an OK to HISTORY. */
  public static final int NEXT_CURSOR_OFFSET = PAYLOAD_OFFSET;
  /** Offset of the entry count in an OK to HISTORY. */
  public static final int COUNT_OFFSET = NEXT_CURSOR_OFFSET + 8;
  /** Offset of the first entry in an OK to HISTORY. */
  public static final int ENTRIES_OFFSET = COUNT_OFFSET + 1;
  /** The most entries one page carries. */
  public static final int MAX_ENTRIES = 100;
  /** Offset of the state within an entry; the sender name follows it. */
  static final int ENTRY_STATE_OFFSET = 16;

  private final int[] entryAt = new int[MAX_ENTRIES];
  private ByteBuffer buffer;
  private int base;
  private int inReplyTo;
  private int count;

  /** A decoder to {@link #wrap} frames with. */
  public OkDecoder() {}

  /**
   * Validates the frame between {@code frame}'s position and limit and points the getters at
   * it. Does not move the position and allocates nothing.
   *
   * @return this decoder
   * @throws DecodeException when the frame is malformed or not an OK (UNKNOWN_FRAME_TYPE); an
   *     in-reply-to outside 0x01..0x07 is BAD_VALUE; the decoder then holds no frame
   */
  public OkDecoder wrap(ByteBuffer frame) throws DecodeException {
    // Validation overwrites the entry offsets, so a failed wrap must not leave the previous
    // frame readable with them.
    buffer = null;
    inReplyTo = 0;
    int start = frame.position();
    int end = frame.limit();
    FrameHeader.expect(frame, FrameType.OK);
    Wire.need(start + IN_REPLY_TO_OFFSET, 1, end, "in-reply-to");
    int type = Wire.u8(frame, start + IN_REPLY_TO_OFFSET);
    int at = start + PAYLOAD_OFFSET;
    switch (type) {
      case FrameType.REGISTER:
      case FrameType.LOGOUT:
      case FrameType.PING:
      case FrameType.MARK_READ:
        break;
      case FrameType.LOGIN:
        Wire.need(at, LOGIN_LENGTH - PAYLOAD_OFFSET, end, "token and keepalive");
        at = start + LOGIN_LENGTH;
        break;
      case FrameType.SEND:
        Wire.messageId(frame, at, end, "message id");
        Wire.need(at, SEND_LENGTH - PAYLOAD_OFFSET, end, "sent-at");
        at = start + SEND_LENGTH;
        break;
      case FrameType.HISTORY:
        at = checkEntries(frame, start, end);
        break;
      default:
        throw new DecodeException(Reason.BAD_VALUE, "in-reply-to " + FrameType.name(type));
    }
    Wire.requireEnd(at, end);
    buffer = frame;
    base = start;
    inReplyTo = type;
    return this;
  }

  private int checkEntries(ByteBuffer frame, int start, int end) throws DecodeException {
    Wire.need(start + NEXT_CURSOR_OFFSET, 9, end, "next cursor and count");
    int n = Wire.u8(frame, start + COUNT_OFFSET);
    if (n > MAX_ENTRIES) {
      throw new DecodeException(Reason.BAD_VALUE, "count " + n + " is over 100");
    }
    int at = start + ENTRIES_OFFSET;
    for (int i = 0; i < n; i++) {
      entryAt[i] = at;
      Wire.messageId(frame, at, end, "message id");
      Wire.need(at, ENTRY_STATE_OFFSET + 1, end, "sent-at and state");
      int state = Wire.u8(frame, at + ENTRY_STATE_OFFSET);
      if (state < 1 || state > 3) {
        throw new DecodeException(Reason.BAD_VALUE, "state " + state);
      }
      at = Wire.checkName(frame, at + ENTRY_STATE_OFFSET + 1, end, "sender");
      at = Wire.checkName(frame, at, end, "recipient");
      at = Wire.checkText(frame, at, end, "body");
    }
    count = n;
    return at;
  }

  /** The request id of the request answered. */
  public long requestId() {
    return Wire.u64(buffer, base + FrameHeader.REQUEST_ID_OFFSET);
  }

  /** The frame type of the request answered, 0x01..0x07. */
  public int inReplyTo() {
    return inReplyTo;
  }

  /** In an OK to LOGIN: the first 8 bytes of the new session token. */
  public long tokenHi() {
    require(FrameType.LOGIN);
    return Wire.u64(buffer, base + PAYLOAD_OFFSET);
  }

  /** In an OK to LOGIN: the last 8 bytes of the new session token. */
  public long tokenLo() {
    require(FrameType.LOGIN);
    return Wire.u64(buffer, base + PAYLOAD_OFFSET + 8);
  }

  /** In an OK to LOGIN: how often to PING, in milliseconds. */
  public long keepaliveMillis() {
    require(FrameType.LOGIN);
    return Wire.u32(buffer, base + PAYLOAD_OFFSET + Wire.TOKEN_BYTES);
  }

  /** In an OK to SEND: the id the store gave the message. */
  public long messageId() {
    require(FrameType.SEND);
    return Wire.u64(buffer, base + PAYLOAD_OFFSET);
  }

  /** In an OK to SEND: when the server stored the message, ms since the Unix epoch. */
  public long sentAtMillis() {
    require(FrameType.SEND);
    return Wire.u64(buffer, base + PAYLOAD_OFFSET + 8);
  }

  /** In an OK to HISTORY: the cursor for the next page, 0 when there is none. */
  public long nextCursor() {
    require(FrameType.HISTORY);
    return Wire.u64(buffer, base + NEXT_CURSOR_OFFSET);
  }

  /** In an OK to HISTORY: the number of entries, 0 to 100. */
  public int count() {
    require(FrameType.HISTORY);
    return count;
  }

  /**
   * In an OK to HISTORY: the entry at {@code index} as a message (allocates).
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= index < count()}
   */
  public ChatMessage message(int index) {
    if (index < 0 || index >= count()) {
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

  private void require(int type) {
    if (inReplyTo != type) {
      throw new IllegalStateException("this OK answers " + FrameType.name(inReplyTo) + ", not "
          + FrameType.name(type));
    }
  }
}
