package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;

/**
 * PUSH_MESSAGE: the server hands a new message to a recipient's session, which answers with
 * PUSH_ACK.
 *
 * <pre>
 * offset size  field
 *      0   13  header, type 0x82, request id = push id chosen by the server
 *     13    8  message id (1..2^63-1)
 *     21    8  sent-at ms
 *     29  1+n  sender: u8 length n (3..32), ASCII user name
 *   30+n  2+b  body: u16 length b (1..1000), UTF-8
 * total 32+n+b bytes
 * </pre>
 *
 * <p>When writing: {@link #message}, {@link #sender}, {@link #body}.
 */
public final class PushMessageFlyweight extends HeaderFlyweight<PushMessageFlyweight> {
  /** Offset of the message id. */
  public static final int MESSAGE_ID_OFFSET = LENGTH;
  /** Offset of the sent-at time. */
  public static final int SENT_AT_OFFSET = MESSAGE_ID_OFFSET + 8;
  /** Offset of the sender name. */
  public static final int SENDER_OFFSET = SENT_AT_OFFSET + 8;

  private int bodyAt;

  /** A flyweight for PUSH_MESSAGE frames. */
  public PushMessageFlyweight() {
    super(FrameType.PUSH_MESSAGE.code());
  }

  @Override
  protected int decodeFields(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    Wire.messageId(frame, at, end, "message id");
    Wire.need(at, SENDER_OFFSET - MESSAGE_ID_OFFSET, end, "sent-at");
    int body = Wire.checkName(frame, start + SENDER_OFFSET, end, "sender");
    int after = Wire.checkText(frame, body, end, "body");
    bodyAt = body;
    return after;
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

  /** The message body, 1 to 1000 bytes of UTF-8. */
  public String body() {
    return Wire.string16(buffer, bodyAt);
  }

  /**
   * Writes the message's id and time, after the header.
   *
   * @param messageId 1 to 2^63-1
   * @param sentAtMillis when it was stored, ms since the Unix epoch
   * @return this flyweight
   * @throws IllegalArgumentException for a message id of 0 or below
   */
  public PushMessageFlyweight message(long messageId, long sentAtMillis) {
    Wire.checkMessageId(messageId, "message id");
    Wire.ensureRoom(buffer, offset + MESSAGE_ID_OFFSET, SENDER_OFFSET - MESSAGE_ID_OFFSET);
    Wire.putU64(buffer, offset + MESSAGE_ID_OFFSET, messageId);
    limit = Wire.putU64(buffer, offset + SENT_AT_OFFSET, sentAtMillis);
    return this;
  }

  /**
   * Writes the sender, after the time.
   *
   * @return this flyweight
   * @throws IllegalArgumentException for a name outside the alphabet or length
   */
  public PushMessageFlyweight sender(CharSequence name) {
    limit = Wire.putName(buffer, limit, name, "sender");
    return this;
  }

  /**
   * Writes the body, after the sender.
   *
   * @return this flyweight
   * @throws IllegalArgumentException for an empty or over-long body, or an unpaired surrogate
   */
  public PushMessageFlyweight body(CharSequence body) {
    limit = Wire.putText(buffer, limit, body, "body");
    return this;
  }
}
