package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;

/**
 * PUSH_ROOM_MESSAGE: the server pushes a new room message to a member's session; the session
 * answers with PUSH_ACK.
 *
 * <pre>
 * offset size  field
 *      0   13  header, type 0x86, request id = push id chosen by the server
 *     13    8  room id (1..2^63-1)
 *     21    8  message id (1..2^63-1)
 *     29    8  sent-at ms
 *     37  1+n  sender: name
 *   38+n  2+b  body: text
 * total 40+n+b bytes
 * </pre>
 */
public final class PushRoomMessageFlyweight extends HeaderFlyweight<PushRoomMessageFlyweight> {
  /** Offset of the room id. */
  public static final int ROOM_OFFSET = LENGTH;
  /** Offset of the message id. */
  public static final int MESSAGE_ID_OFFSET = ROOM_OFFSET + 8;
  /** Offset of the sent-at time. */
  public static final int SENT_AT_OFFSET = MESSAGE_ID_OFFSET + 8;
  /** Offset of the sender. */
  public static final int SENDER_OFFSET = SENT_AT_OFFSET + 8;

  private int bodyAt;

  /** A flyweight for PUSH_ROOM_MESSAGE frames. */
  public PushRoomMessageFlyweight() {
    super(FrameType.PUSH_ROOM_MESSAGE.code());
  }

  @Override
  protected int decodeFields(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    Wire.messageId(frame, at, end, "room id");
    Wire.messageId(frame, start + MESSAGE_ID_OFFSET, end, "message id");
    Wire.need(start + SENT_AT_OFFSET, 8, end, "sent-at");
    int body = Wire.checkName(frame, start + SENDER_OFFSET, end, "sender");
    int after = Wire.checkText(frame, body, end, "body");
    bodyAt = body;
    return after;
  }

  /** The room's id. */
  public long roomId() {
    return Wire.u64(buffer, offset + ROOM_OFFSET);
  }

  /** The message's id. */
  public long messageId() {
    return Wire.u64(buffer, offset + MESSAGE_ID_OFFSET);
  }

  /** When the server stored it, ms since the Unix epoch. */
  public long sentAtMillis() {
    return Wire.u64(buffer, offset + SENT_AT_OFFSET);
  }

  /** Who sent it. */
  public String sender() {
    return Wire.string8(buffer, offset + SENDER_OFFSET);
  }

  /** The body. */
  public String body() {
    return Wire.string16(buffer, bodyAt);
  }

  /**
   * Writes the room, message id and time, after the header.
   *
   * @return this flyweight
   * @throws IllegalArgumentException for an id below 1
   */
  public PushRoomMessageFlyweight message(long roomId, long messageId, long sentAtMillis) {
    Wire.checkMessageId(roomId, "room id");
    Wire.checkMessageId(messageId, "message id");
    Wire.ensureRoom(buffer, limit, 24);
    int at = Wire.putU64(buffer, limit, roomId);
    at = Wire.putU64(buffer, at, messageId);
    limit = Wire.putU64(buffer, at, sentAtMillis);
    return this;
  }

  /**
   * Writes the sender, then the body.
   *
   * @return this flyweight
   * @throws IllegalArgumentException for a bad name or body
   */
  public PushRoomMessageFlyweight from(CharSequence sender, CharSequence body) {
    int at = Wire.putName(buffer, limit, sender, "sender");
    bodyAt = at;
    limit = Wire.putText(buffer, at, body, "body");
    return this;
  }
}
