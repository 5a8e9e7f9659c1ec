package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;

/**
 * The OK to SEND: the stored message's id and time.
 *
 * <pre>
 * offset size field
 *      0   13 header, type 0x80
 *     13    1 in-reply-to 0x04
 *     14    8 message id (1..2^63-1)
 *     22    8 sent-at, ms since the Unix epoch
 * total 30 bytes
 * </pre>
 */
public final class SendOkFlyweight extends OkFlyweight<SendOkFlyweight> {
  /** Offset of the message id. */
  public static final int MESSAGE_ID_OFFSET = PAYLOAD_OFFSET;
  /** Offset of the sent-at time. */
  public static final int SENT_AT_OFFSET = MESSAGE_ID_OFFSET + 8;
  /** The frame's length in bytes. */
  public static final int FRAME_LENGTH = SENT_AT_OFFSET + 8;

  /** A flyweight for OKs to SEND. */
  public SendOkFlyweight() {
    super(FrameType.Answer.SEND);
  }

  /** A flyweight for OKs of another layout with the same fields ({@code SEND_KEYED}). */
  public SendOkFlyweight(FrameType.Answer layout) {
    super(layout);
  }

  /** A flyweight for OKs to ROOM_SEND, which have this layout. */
  public static SendOkFlyweight forRoomSend() {
    return new SendOkFlyweight(FrameType.Answer.ROOM_SEND);
  }

  @Override
  protected int decodePayload(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    Wire.messageId(frame, at, end, "message id");
    Wire.need(at, FRAME_LENGTH - PAYLOAD_OFFSET, end, "sent-at");
    return start + FRAME_LENGTH;
  }

  /** The id the store gave the message. */
  public long messageId() {
    return Wire.u64(buffer, offset + MESSAGE_ID_OFFSET);
  }

  /** When the server stored the message, ms since the Unix epoch. */
  public long sentAtMillis() {
    return Wire.u64(buffer, offset + SENT_AT_OFFSET);
  }

  /**
   * Writes the stored message's id and time, after the in-reply-to.
   *
   * @param messageId 1 to 2^63-1
   * @param sentAtMillis ms since the Unix epoch
   * @return this flyweight
   * @throws IllegalArgumentException for a message id of 0 or below
   */
  public SendOkFlyweight stored(long messageId, long sentAtMillis) {
    Wire.checkMessageId(messageId, "message id");
    Wire.ensureRoom(buffer, offset + MESSAGE_ID_OFFSET, FRAME_LENGTH - MESSAGE_ID_OFFSET);
    Wire.putU64(buffer, offset + MESSAGE_ID_OFFSET, messageId);
    limit = Wire.putU64(buffer, offset + SENT_AT_OFFSET, sentAtMillis);
    return this;
  }
}
