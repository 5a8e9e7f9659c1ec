package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.codec.DecodeException.Reason;

/**
 * PUSH_STATE: the server tells a sender's session that a message was delivered or read; the
 * session answers with PUSH_ACK.
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
 * <p>When writing: {@link #state}, then {@link #recipient}.
 */
public final class PushStateFlyweight extends HeaderFlyweight<PushStateFlyweight> {
  /** Offset of the message id. */
  public static final int MESSAGE_ID_OFFSET = LENGTH;
  /** Offset of the state. */
  public static final int STATE_OFFSET = MESSAGE_ID_OFFSET + 8;
  /** Offset of the recipient name. */
  public static final int RECIPIENT_OFFSET = STATE_OFFSET + 1;

  /** A flyweight for PUSH_STATE frames. */
  public PushStateFlyweight() {
    super(FrameType.PUSH_STATE.code());
  }

  @Override
  protected int decodeFields(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    Wire.messageId(frame, at, end, "message id");
    Wire.need(start + STATE_OFFSET, 1, end, "state");
    int state = Wire.u8(frame, start + STATE_OFFSET);
    if (state != 2 && state != 3) {
      throw new DecodeException(Reason.BAD_VALUE, "state " + state + " is not 2 or 3");
    }
    return Wire.checkName(frame, start + RECIPIENT_OFFSET, end, "recipient");
  }

  /** The message's id. */
  public long messageId() {
    return Wire.u64(buffer, offset + MESSAGE_ID_OFFSET);
  }

  /** The new state: 2 DELIVERED or 3 READ ({@code DeliveryState.of}). */
  public int state() {
    return Wire.u8(buffer, offset + STATE_OFFSET);
  }

  /** The user who received the message. */
  public String recipient() {
    return Wire.string8(buffer, offset + RECIPIENT_OFFSET);
  }

  /**
   * Writes the message id and its new state, after the header.
   *
   * @param messageId 1 to 2^63-1
   * @param state 2 DELIVERED or 3 READ
   * @return this flyweight
   * @throws IllegalArgumentException for a value outside its range
   */
  public PushStateFlyweight state(long messageId, int state) {
    Wire.checkMessageId(messageId, "message id");
    if (state != 2 && state != 3) {
      throw new IllegalArgumentException("a pushed state is 2 (delivered) or 3 (read): " + state);
    }
    Wire.ensureRoom(buffer, offset + MESSAGE_ID_OFFSET, RECIPIENT_OFFSET - MESSAGE_ID_OFFSET);
    Wire.putU64(buffer, offset + MESSAGE_ID_OFFSET, messageId);
    limit = Wire.putU8(buffer, offset + STATE_OFFSET, state);
    return this;
  }

  /**
   * Writes the recipient, after the state.
   *
   * @return this flyweight
   * @throws IllegalArgumentException for a name outside the alphabet or length
   */
  public PushStateFlyweight recipient(CharSequence name) {
    limit = Wire.putName(buffer, limit, name, "recipient");
    return this;
  }
}
