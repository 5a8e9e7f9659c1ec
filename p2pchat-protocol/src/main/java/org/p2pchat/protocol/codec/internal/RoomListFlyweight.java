package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;

/**
 * ROOM_LIST: the client asks for a page of the rooms it belongs to.
 *
 * <pre>
 * offset size  field
 *      0   13  header, type 0x14
 *     13   16  session token
 *     29    8  cursor: rooms with a greater id; 0 = from the first; the top bit must be 0
 * total 37 bytes
 * </pre>
 */
public final class RoomListFlyweight extends SessionFlyweight<RoomListFlyweight> {
  /** Offset of the cursor. */
  public static final int CURSOR_OFFSET = FIELDS_OFFSET;

  /** A flyweight for ROOM_LIST frames. */
  public RoomListFlyweight() {
    super(FrameType.ROOM_LIST.code());
  }

  @Override
  protected int decodeRequest(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    RoomWire.cursor(frame, at, end, "cursor");
    return at + 8;
  }

  /** The cursor: a room id, 0 for the first page. */
  public long cursor() {
    return Wire.u64(buffer, offset + CURSOR_OFFSET);
  }

  /**
   * Writes the cursor, after the token.
   *
   * @return this flyweight
   * @throws IllegalArgumentException for a negative cursor
   */
  public RoomListFlyweight cursor(long cursor) {
    RoomWire.checkCursor(cursor, "cursor");
    Wire.ensureRoom(buffer, limit, 8);
    limit = Wire.putU64(buffer, limit, cursor);
    return this;
  }
}
