package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;

/**
 * MESSAGE_PART: asks for one part of a stored long message the caller sent or received
 * ({@code docs/protocol.md} section 23).
 *
 * <pre>
 * offset size field
 *      0   13 header, type 0x23
 *     13   16 session token
 *     29    8 message id (1..2^63-1)
 *     37    2 part index, u16, 0..65
 * total 39 bytes
 * </pre>
 */
public final class MessagePartFlyweight extends SessionFlyweight<MessagePartFlyweight> {
  /** Offset of the message id. */
  public static final int MESSAGE_ID_OFFSET = FIELDS_OFFSET;
  /** Offset of the part index. */
  public static final int INDEX_OFFSET = MESSAGE_ID_OFFSET + 8;
  /** The frame's length in bytes. */
  public static final int FRAME_LENGTH = INDEX_OFFSET + 2;

  /** A flyweight for MESSAGE_PART frames. */
  public MessagePartFlyweight() {
    super(FrameType.MESSAGE_PART.code());
  }

  @Override
  protected int decodeRequest(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    Wire.messageId(frame, at, end, "message id");
    Wire.need(at + 8, 2, end, "part index");
    LongParts.checkIndex(Wire.u16(frame, at + 8), LongParts.MAX_PARTS);
    return at + 10;
  }

  /** The message asked for. */
  public long messageId() {
    return Wire.u64(buffer, offset + MESSAGE_ID_OFFSET);
  }

  /** The part asked for, from 0. */
  public int partIndex() {
    return Wire.u16(buffer, offset + INDEX_OFFSET);
  }

  /**
   * Writes the message id and part index, after the token.
   *
   * @throws IllegalArgumentException for an id below 1 or an index a long body never has
   */
  public MessagePartFlyweight part(long messageId, int index) {
    Wire.checkMessageId(messageId, "message id");
    if (index < 0 || index >= LongParts.MAX_PARTS) {
      throw new IllegalArgumentException("part index " + index + " is outside 0.." + (LongParts.MAX_PARTS - 1));
    }
    Wire.ensureRoom(buffer, offset + MESSAGE_ID_OFFSET, 10);
    Wire.putU64(buffer, offset + MESSAGE_ID_OFFSET, messageId);
    limit = Wire.putU16(buffer, offset + INDEX_OFFSET, index);
    return this;
  }
}
