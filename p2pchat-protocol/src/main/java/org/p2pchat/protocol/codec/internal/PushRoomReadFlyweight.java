package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;

/**
 * PUSH_ROOM_READ: the server tells a member's session that another member read the room up to
 * a message, covering messages the receiving user sent; the session answers with PUSH_ACK.
 *
 * <pre>
 * offset size  field
 *      0   13  header, type 0x87, request id = push id chosen by the server
 *     13    8  room id (1..2^63-1)
 *     21    8  read marker: message id (1..2^63-1)
 *     29  1+n  reader: name
 * total 30+n bytes
 * </pre>
 */
public final class PushRoomReadFlyweight extends HeaderFlyweight<PushRoomReadFlyweight> {
  /** Offset of the room id. */
  public static final int ROOM_OFFSET = LENGTH;
  /** Offset of the read marker. */
  public static final int UP_TO_OFFSET = ROOM_OFFSET + 8;
  /** Offset of the reader. */
  public static final int READER_OFFSET = UP_TO_OFFSET + 8;

  /** A flyweight for PUSH_ROOM_READ frames. */
  public PushRoomReadFlyweight() {
    super(FrameType.PUSH_ROOM_READ.code());
  }

  @Override
  protected int decodeFields(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    Wire.messageId(frame, at, end, "room id");
    Wire.messageId(frame, start + UP_TO_OFFSET, end, "read marker");
    return Wire.checkName(frame, start + READER_OFFSET, end, "reader");
  }

  /** The room's id. */
  public long roomId() {
    return Wire.u64(buffer, offset + ROOM_OFFSET);
  }

  /** The reader's new read marker. */
  public long upToMessageId() {
    return Wire.u64(buffer, offset + UP_TO_OFFSET);
  }

  /** Who read. */
  public String reader() {
    return Wire.string8(buffer, offset + READER_OFFSET);
  }

  /**
   * Writes the room, the marker and the reader, after the header.
   *
   * @return this flyweight
   * @throws IllegalArgumentException for an id below 1 or a bad name
   */
  public PushRoomReadFlyweight read(long roomId, long upToMessageId, CharSequence reader) {
    Wire.checkMessageId(roomId, "room id");
    Wire.checkMessageId(upToMessageId, "read marker");
    Wire.ensureRoom(buffer, limit, 16);
    int at = Wire.putU64(buffer, limit, roomId);
    at = Wire.putU64(buffer, at, upToMessageId);
    limit = Wire.putName(buffer, at, reader, "reader");
    return this;
  }
}
