package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;

/**
 * PUSH_LONG_MESSAGE: the server tells a recipient's session that a long message arrived; the
 * client fetches its parts with MESSAGE_PART, then answers with PUSH_ACK
 * ({@code docs/protocol.md} section 23).
 *
 * <pre>
 * offset size  field
 *      0   13  header, type 0x89, request id = push id chosen by the server
 *     13    8  message id (1..2^63-1)
 *     21    8  sent-at ms
 *     29  1+n  sender: u8 length n (3..32), ASCII user name
 *   30+n    4  total length, u32, 1001..65536 bytes of UTF-8
 * total 34+n bytes
 * </pre>
 */
public final class PushLongMessageFlyweight extends HeaderFlyweight<PushLongMessageFlyweight> {
  /** Offset of the message id. */
  public static final int MESSAGE_ID_OFFSET = LENGTH;
  /** Offset of the sent-at time. */
  public static final int SENT_AT_OFFSET = MESSAGE_ID_OFFSET + 8;
  /** Offset of the sender name. */
  public static final int SENDER_OFFSET = SENT_AT_OFFSET + 8;

  private int totalAt;

  /** A flyweight for PUSH_LONG_MESSAGE frames. */
  public PushLongMessageFlyweight() {
    super(FrameType.PUSH_LONG_MESSAGE.code());
  }

  @Override
  protected int decodeFields(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    Wire.messageId(frame, at, end, "message id");
    Wire.need(at, SENDER_OFFSET - MESSAGE_ID_OFFSET, end, "sent-at");
    int total = Wire.checkName(frame, start + SENDER_OFFSET, end, "sender");
    Wire.need(total, 4, end, "total length");
    LongParts.checkTotal(Wire.u32(frame, total));
    totalAt = total;
    return total + 4;
  }

  /** The message's id. */
  public long messageId() {
    return Wire.u64(buffer, offset + MESSAGE_ID_OFFSET);
  }

  /** When the message was stored, ms since the Unix epoch. */
  public long sentAtMillis() {
    return Wire.u64(buffer, offset + SENT_AT_OFFSET);
  }

  /** The sender's user name. */
  public String sender() {
    return Wire.string8(buffer, offset + SENDER_OFFSET);
  }

  /** The body's length in bytes, 1001 to 65536. */
  public int totalLength() {
    return (int) Wire.u32(buffer, totalAt);
  }

  /**
   * Writes the message: id, time, sender and total length.
   *
   * @throws IllegalArgumentException for an id below 1, a bad name or a length that is not long
   */
  public PushLongMessageFlyweight message(long messageId, long sentAtMillis, CharSequence sender, int total) {
    Wire.checkMessageId(messageId, "message id");
    if (!LongParts.isLong(total)) {
      throw new IllegalArgumentException("a long message has 1001 to 65536 bytes, not " + total);
    }
    Wire.ensureRoom(buffer, offset + MESSAGE_ID_OFFSET, SENDER_OFFSET - MESSAGE_ID_OFFSET);
    Wire.putU64(buffer, offset + MESSAGE_ID_OFFSET, messageId);
    Wire.putU64(buffer, offset + SENT_AT_OFFSET, sentAtMillis);
    int at = Wire.putName(buffer, offset + SENDER_OFFSET, sender, "sender");
    Wire.ensureRoom(buffer, at, 4);
    limit = Wire.putU32(buffer, at, total);
    return this;
  }
}
