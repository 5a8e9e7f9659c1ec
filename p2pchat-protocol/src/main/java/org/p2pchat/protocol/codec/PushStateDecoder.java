package org.p2pchat.protocol.codec;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.codec.DecodeException.Reason;

/**
 * Reads a PUSH_STATE frame in place: the server tells a sender's session that a message was
 * delivered or read; the session answers with PUSH_ACK.
 *
 * <pre>
 * offset size  field
 *      0   13  header, type 0x83, request id = push id chosen by the server
 *     13    8  message id (1..2^63-1)
 *     21    1  state: 2 DELIVERED or 3 READ
 *     22  1+n  recipient: u8 length n (3..32), the user who received the message
 * total 23+n bytes
 * </pre>
 *
 * <p>A flyweight: {@link #wrap} validates the whole frame and the getters read straight from
 * the buffer, valid until its bytes change. Reusable; not thread-safe (one per thread).
 */
public final class PushStateDecoder {
  /** Offset of the message id. */
  public static final int MESSAGE_ID_OFFSET = FrameHeader.LENGTH;
  /** Offset of the state. */
  public static final int STATE_OFFSET = MESSAGE_ID_OFFSET + 8;
  /** Offset of the recipient name. */
  public static final int RECIPIENT_OFFSET = STATE_OFFSET + 1;

  private ByteBuffer buffer;
  private int base;

  /** A decoder to {@link #wrap} frames with. */
  public PushStateDecoder() {}

  /**
   * Validates the frame between {@code frame}'s position and limit and points the getters at
   * it. Does not move the position and allocates nothing.
   *
   * @return this decoder
   * @throws DecodeException when the frame is malformed or not a PUSH_STATE
   *     (UNKNOWN_FRAME_TYPE)
   */
  public PushStateDecoder wrap(ByteBuffer frame) throws DecodeException {
    int start = frame.position();
    int end = frame.limit();
    FrameHeader.expect(frame, FrameType.PUSH_STATE);
    Wire.messageId(frame, start + MESSAGE_ID_OFFSET, end, "message id");
    Wire.need(start + STATE_OFFSET, 1, end, "state");
    int state = Wire.u8(frame, start + STATE_OFFSET);
    if (state != 2 && state != 3) {
      throw new DecodeException(Reason.BAD_VALUE, "state " + state + " is not 2 or 3");
    }
    Wire.requireEnd(Wire.checkName(frame, start + RECIPIENT_OFFSET, end, "recipient"), end);
    buffer = frame;
    base = start;
    return this;
  }

  /** The push id, to echo in the PUSH_ACK. */
  public long requestId() {
    return Wire.u64(buffer, base + FrameHeader.REQUEST_ID_OFFSET);
  }

  /** The message's id. */
  public long messageId() {
    return Wire.u64(buffer, base + MESSAGE_ID_OFFSET);
  }

  /** The new state: 2 DELIVERED or 3 READ ({@code DeliveryState.of}). */
  public int state() {
    return Wire.u8(buffer, base + STATE_OFFSET);
  }

  /** The user who received the message. */
  public String recipient() {
    return Wire.string8(buffer, base + RECIPIENT_OFFSET);
  }
}
