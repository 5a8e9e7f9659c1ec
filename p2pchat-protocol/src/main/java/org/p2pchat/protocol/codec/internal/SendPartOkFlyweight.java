package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.codec.DecodeException.Reason;

/**
 * The OK to SEND_PART: the layout of the OK to SEND, where message id 0 and sent-at 0 mean "part
 * held, the message is not whole yet"; the part that makes it whole is answered with the stored
 * message's id and time, once it is durable.
 *
 * <pre>
 * offset size field
 *      0   13 header, type 0x80
 *     13    1 in-reply-to 0x22
 *     14    8 message id: 0 (held) or 1..2^63-1 (stored)
 *     22    8 sent-at, ms since the Unix epoch; 0 when held
 * total 30 bytes
 * </pre>
 */
public final class SendPartOkFlyweight extends OkFlyweight<SendPartOkFlyweight> {
  /** Offset of the message id. */
  public static final int MESSAGE_ID_OFFSET = PAYLOAD_OFFSET;
  /** Offset of the sent-at time. */
  public static final int SENT_AT_OFFSET = MESSAGE_ID_OFFSET + 8;
  /** The frame's length in bytes. */
  public static final int FRAME_LENGTH = SENT_AT_OFFSET + 8;

  /** A flyweight for OKs to SEND_PART. */
  public SendPartOkFlyweight() {
    super(FrameType.Answer.SEND_PART);
  }

  @Override
  protected int decodePayload(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    Wire.need(at, FRAME_LENGTH - PAYLOAD_OFFSET, end, "message id and sent-at");
    long id = Wire.u64(frame, at);
    if (id < 0 || (id == 0 && Wire.u64(frame, at + 8) != 0)) {
      throw new DecodeException(Reason.BAD_VALUE, "message id " + id + " with a sent-at");
    }
    return start + FRAME_LENGTH;
  }

  /** The stored message's id; 0 while the message is not whole. */
  public long messageId() {
    return Wire.u64(buffer, offset + MESSAGE_ID_OFFSET);
  }

  /** When the server stored the message, ms since the Unix epoch; 0 while held. */
  public long sentAtMillis() {
    return Wire.u64(buffer, offset + SENT_AT_OFFSET);
  }

  /** Whether the message is not whole yet (the part is held). */
  public boolean isHeld() {
    return messageId() == 0;
  }

  /**
   * Writes the stored message's id and time, or 0 and 0 for a part held.
   *
   * @throws IllegalArgumentException for a negative id, or a time with id 0
   */
  public SendPartOkFlyweight stored(long messageId, long sentAtMillis) {
    if (messageId < 0 || (messageId == 0 && sentAtMillis != 0)) {
      throw new IllegalArgumentException("message id " + messageId + " with sent-at " + sentAtMillis);
    }
    Wire.ensureRoom(buffer, offset + MESSAGE_ID_OFFSET, FRAME_LENGTH - MESSAGE_ID_OFFSET);
    Wire.putU64(buffer, offset + MESSAGE_ID_OFFSET, messageId);
    limit = Wire.putU64(buffer, offset + SENT_AT_OFFSET, sentAtMillis);
    return this;
  }

  /** Writes "part held": id 0, time 0. */
  public SendPartOkFlyweight held() {
    return stored(0, 0);
  }
}
