package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;

/**
 * The OK to MESSAGE_PART: one part of a long message.
 *
 * <pre>
 * offset size  field
 *      0   13  header, type 0x80
 *     13    1  in-reply-to 0x23
 *     14    8  message id (1..2^63-1)
 *     22    2  part index, u16, 0..65
 *     24  2+c  part: u16 length c (1..1000), then c raw bytes
 * total 26+c bytes
 * </pre>
 */
public final class MessagePartOkFlyweight extends OkFlyweight<MessagePartOkFlyweight> {
  /** Offset of the message id. */
  public static final int MESSAGE_ID_OFFSET = PAYLOAD_OFFSET;
  /** Offset of the part index. */
  public static final int INDEX_OFFSET = MESSAGE_ID_OFFSET + 8;
  /** Offset of the part. */
  public static final int PART_OFFSET = INDEX_OFFSET + 2;

  /** A flyweight for OKs to MESSAGE_PART. */
  public MessagePartOkFlyweight() {
    super(FrameType.Answer.MESSAGE_PART);
  }

  @Override
  protected int decodePayload(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    Wire.messageId(frame, at, end, "message id");
    Wire.need(at + 8, 2, end, "part index");
    LongParts.checkIndex(Wire.u16(frame, at + 8), LongParts.MAX_PARTS);
    return LongParts.checkPart(frame, at + 10, end, 0);
  }

  /** The message's id. */
  public long messageId() {
    return Wire.u64(buffer, offset + MESSAGE_ID_OFFSET);
  }

  /** The part's index. */
  public int partIndex() {
    return Wire.u16(buffer, offset + INDEX_OFFSET);
  }

  /** The part's length in bytes. */
  public int partLength() {
    return Wire.u16(buffer, offset + PART_OFFSET);
  }

  /** Copies the part's bytes into {@code dst} at {@code at}. */
  public void copyPart(byte[] dst, int at) {
    buffer.get(offset + PART_OFFSET + 2, dst, at, partLength());
  }

  /** The part's bytes (allocates). */
  public byte[] part() {
    return LongParts.part(buffer, offset + PART_OFFSET);
  }

  /**
   * Writes the part, after the in-reply-to.
   *
   * @throws IllegalArgumentException for an id below 1, an index out of range or a length outside 1..1000
   */
  public MessagePartOkFlyweight part(long messageId, int index, byte[] src, int from, int len) {
    Wire.checkMessageId(messageId, "message id");
    if (index < 0 || index >= LongParts.MAX_PARTS) {
      throw new IllegalArgumentException("part index " + index + " is outside 0.." + (LongParts.MAX_PARTS - 1));
    }
    Wire.ensureRoom(buffer, offset + MESSAGE_ID_OFFSET, 10);
    Wire.putU64(buffer, offset + MESSAGE_ID_OFFSET, messageId);
    Wire.putU16(buffer, offset + INDEX_OFFSET, index);
    limit = LongParts.putPart(buffer, offset + PART_OFFSET, src, from, len);
    return this;
  }
}
