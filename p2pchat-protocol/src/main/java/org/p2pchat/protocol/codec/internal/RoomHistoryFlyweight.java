package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.codec.DecodeException.Reason;

/**
 * ROOM_HISTORY: the client asks for a page of a room's messages, with HISTORY's options,
 * cursor and limit.
 *
 * <pre>
 * offset size  field
 *      0   13  header, type 0x17
 *     13   16  session token
 *     29    8  room id (1..2^63-1)
 *     37    1  options: bit 0 unread only, bit 1 direction AFTER (else BEFORE), others 0
 *     38    8  cursor: u64 message id, 0 = start; the top bit must be 0
 *     46    1  limit: 1..100 entries
 * total 47 bytes
 * </pre>
 */
public final class RoomHistoryFlyweight extends SessionFlyweight<RoomHistoryFlyweight> {
  /** Offset of the room id. */
  public static final int ROOM_OFFSET = FIELDS_OFFSET;
  /** Offset of the options. */
  public static final int OPTIONS_OFFSET = ROOM_OFFSET + 8;
  /** Offset of the cursor. */
  public static final int CURSOR_OFFSET = OPTIONS_OFFSET + 1;
  /** Offset of the limit. */
  public static final int LIMIT_OFFSET = CURSOR_OFFSET + 8;
  /** The frame's length in bytes. */
  public static final int FRAME_LENGTH = LIMIT_OFFSET + 1;

  /** A flyweight for ROOM_HISTORY frames. */
  public RoomHistoryFlyweight() {
    super(FrameType.ROOM_HISTORY.code());
  }

  @Override
  protected int decodeRequest(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    Wire.messageId(frame, at, end, "room id");
    Wire.need(start + OPTIONS_OFFSET, FRAME_LENGTH - OPTIONS_OFFSET, end, "options, cursor and limit");
    int options = Wire.u8(frame, start + OPTIONS_OFFSET);
    if ((options & ~(HistoryFlyweight.OPTION_UNREAD_ONLY | HistoryFlyweight.OPTION_AFTER)) != 0) {
      throw new DecodeException(Reason.BAD_VALUE, "unknown option bits");
    }
    RoomWire.cursor(frame, start + CURSOR_OFFSET, end, "cursor");
    int pageLimit = Wire.u8(frame, start + LIMIT_OFFSET);
    if (pageLimit < 1 || pageLimit > HistoryFlyweight.MAX_LIMIT) {
      throw new DecodeException(Reason.BAD_VALUE, "limit " + pageLimit + " is outside 1..100");
    }
    return start + FRAME_LENGTH;
  }

  /** The room's id. */
  public long roomId() {
    return Wire.u64(buffer, offset + ROOM_OFFSET);
  }

  /** Whether only unread messages are asked for. */
  public boolean unreadOnly() {
    return (Wire.u8(buffer, offset + OPTIONS_OFFSET) & HistoryFlyweight.OPTION_UNREAD_ONLY) != 0;
  }

  /** Whether the page lies after the cursor (true) or before it (false). */
  public boolean after() {
    return (Wire.u8(buffer, offset + OPTIONS_OFFSET) & HistoryFlyweight.OPTION_AFTER) != 0;
  }

  /** The cursor, a message id; 0 for the start. */
  public long cursor() {
    return Wire.u64(buffer, offset + CURSOR_OFFSET);
  }

  /** The largest number of entries wanted, 1 to 100. */
  public int pageLimit() {
    return Wire.u8(buffer, offset + LIMIT_OFFSET);
  }

  /**
   * Writes the room, options, cursor and limit, after the token.
   *
   * @return this flyweight
   * @throws IllegalArgumentException for a value outside its range
   */
  public RoomHistoryFlyweight query(long roomId, boolean unreadOnly, boolean after, long cursor, int pageLimit) {
    Wire.checkMessageId(roomId, "room id");
    RoomWire.checkCursor(cursor, "cursor");
    if (pageLimit < 1 || pageLimit > HistoryFlyweight.MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1 to 100: " + pageLimit);
    }
    Wire.ensureRoom(buffer, limit, FRAME_LENGTH - ROOM_OFFSET);
    int at = Wire.putU64(buffer, limit, roomId);
    at = Wire.putU8(buffer, at, (unreadOnly ? HistoryFlyweight.OPTION_UNREAD_ONLY : 0)
        | (after ? HistoryFlyweight.OPTION_AFTER : 0));
    at = Wire.putU64(buffer, at, cursor);
    limit = Wire.putU8(buffer, at, pageLimit);
    return this;
  }
}
