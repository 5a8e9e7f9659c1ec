package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;

/**
 * The OK to ROOM_CREATE: the new room's id.
 *
 * <pre>
 * offset size field
 *      0   13 header, type 0x80
 *     13    1 in-reply-to 0x10
 *     14    8 room id (1..2^63-1)
 * total 22 bytes
 * </pre>
 */
public final class RoomOkFlyweight extends OkFlyweight<RoomOkFlyweight> {
  /** Offset of the room id. */
  public static final int ROOM_OFFSET = PAYLOAD_OFFSET;
  /** The frame's length in bytes. */
  public static final int FRAME_LENGTH = ROOM_OFFSET + 8;

  /** A flyweight for OKs to ROOM_CREATE. */
  public RoomOkFlyweight() {
    super(FrameType.Answer.ROOM);
  }

  @Override
  protected int decodePayload(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    Wire.messageId(frame, at, end, "room id");
    return at + 8;
  }

  /** The new room's id. */
  public long roomId() {
    return Wire.u64(buffer, offset + ROOM_OFFSET);
  }

  /**
   * Writes the room id, after the in-reply-to.
   *
   * @return this flyweight
   * @throws IllegalArgumentException for an id below 1
   */
  public RoomOkFlyweight room(long roomId) {
    Wire.checkMessageId(roomId, "room id");
    Wire.ensureRoom(buffer, limit, 8);
    limit = Wire.putU64(buffer, limit, roomId);
    return this;
  }
}
