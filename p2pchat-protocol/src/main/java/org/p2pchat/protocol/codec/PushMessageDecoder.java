package org.p2pchat.protocol.codec;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;

/**
 * Reads a PUSH_MESSAGE frame in place: the server hands a new message to a recipient's
 * session, which answers with PUSH_ACK.
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
 * <p>A flyweight: {@link #wrap} validates the whole frame and the getters read straight from
 * the buffer, valid until its bytes change. Reusable; not thread-safe (one per thread).
 */
public final class PushMessageDecoder {
  /** Offset of the message id. */
  public static final int MESSAGE_ID_OFFSET = FrameHeader.LENGTH;
  /** Offset of the sent-at time. */
  public static final int SENT_AT_OFFSET = MESSAGE_ID_OFFSET + 8;
  /** Offset of the sender name. */
  public static final int SENDER_OFFSET = SENT_AT_OFFSET + 8;

  private ByteBuffer buffer;
  private int base;
  private int bodyAt;

  /** A decoder to {@link #wrap} frames with. */
  public PushMessageDecoder() {}

  /**
   * Validates the frame between {@code frame}'s position and limit and points the getters at
   * it. Does not move the position and allocates nothing.
   *
   * @return this decoder
   * @throws DecodeException when the frame is malformed or not a PUSH_MESSAGE
   *     (UNKNOWN_FRAME_TYPE)
   */
  public PushMessageDecoder wrap(ByteBuffer frame) throws DecodeException {
    int start = frame.position();
    int end = frame.limit();
    FrameHeader.expect(frame, FrameType.PUSH_MESSAGE);
    Wire.messageId(frame, start + MESSAGE_ID_OFFSET, end, "message id");
    Wire.need(start + SENT_AT_OFFSET, 8, end, "sent-at");
    int body = Wire.checkName(frame, start + SENDER_OFFSET, end, "sender");
    Wire.requireEnd(Wire.checkText(frame, body, end, "body"), end);
    buffer = frame;
    base = start;
    bodyAt = body;
    return this;
  }

  /** The push id, to echo in the PUSH_ACK. */
  public long requestId() {
    return Wire.u64(buffer, base + FrameHeader.REQUEST_ID_OFFSET);
  }

  /** The message's id; duplicates of a push carry the same one. */
  public long messageId() {
    return Wire.u64(buffer, base + MESSAGE_ID_OFFSET);
  }

  /** When the server stored the message, ms since the Unix epoch. */
  public long sentAtMillis() {
    return Wire.u64(buffer, base + SENT_AT_OFFSET);
  }

  /** The sender's user name. */
  public String sender() {
    return Wire.string8(buffer, base + SENDER_OFFSET);
  }

  /** The message body. */
  public String body() {
    return Wire.string16(buffer, bodyAt);
  }
}
