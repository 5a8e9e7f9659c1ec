package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.ProtocolLimits;
import org.p2pchat.api.Room;
import org.p2pchat.api.UserName;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.codec.DecodeException.Reason;

/**
 * The OK to ROOM_LIST: a page of the caller's rooms, in increasing id order.
 *
 * <pre>
 * offset size  field
 *      0   13  header, type 0x80
 *     13    1  in-reply-to 0x14
 *     14    8  next cursor: the last room id of the page when more may follow, 0 = no more
 *     22    1  count of entries, 0..16
 *     23       count entries, each:
 *               +0 8 room id (1..2^63-1)
 *               +8 2 member count, u16
 *              +10 name owner, title
 * </pre>
 */
public final class RoomListOkFlyweight extends OkFlyweight<RoomListOkFlyweight> {
  /** Offset of the next cursor. */
  public static final int NEXT_CURSOR_OFFSET = PAYLOAD_OFFSET;
  /** Offset of the entry count. */
  public static final int COUNT_OFFSET = NEXT_CURSOR_OFFSET + 8;
  /** Offset of the first entry. */
  public static final int ENTRIES_OFFSET = COUNT_OFFSET + 1;
  /** The most entries one page carries: 16 of the largest fit one datagram. */
  public static final int MAX_ENTRIES = 16;

  private final int[] entryAt = new int[MAX_ENTRIES];
  private int count;

  /** A flyweight for OKs to ROOM_LIST. */
  public RoomListOkFlyweight() {
    super(FrameType.Answer.ROOM_LIST);
  }

  @Override
  protected int decodePayload(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    count = 0;
    RoomWire.cursor(frame, at, end, "next cursor");
    Wire.need(start + COUNT_OFFSET, 1, end, "count");
    int n = Wire.u8(frame, start + COUNT_OFFSET);
    if (n > MAX_ENTRIES) {
      throw new DecodeException(Reason.BAD_VALUE, "count " + n + " is over " + MAX_ENTRIES);
    }
    int p = start + ENTRIES_OFFSET;
    for (int i = 0; i < n; i++) {
      entryAt[i] = p;
      Wire.messageId(frame, p, end, "room id");
      Wire.need(p + 8, 2, end, "member count");
      p = Wire.checkName(frame, p + 10, end, "owner");
      p = RoomWire.checkTitle(frame, p, end);
    }
    count = n;
    return p;
  }

  /** The cursor for the next page, 0 when there is none. */
  public long nextCursor() {
    return Wire.u64(buffer, offset + NEXT_CURSOR_OFFSET);
  }

  /** The number of entries. */
  public int count() {
    return count;
  }

  /** The entry at {@code index} (allocates). */
  public Room room(int index) {
    if (index < 0 || index >= count) {
      throw new IndexOutOfBoundsException("index " + index + " of " + count);
    }
    int at = entryAt[index];
    int titleAt = at + 10 + 1 + Wire.u8(buffer, at + 10);
    return new Room(Wire.u64(buffer, at), Wire.string8(buffer, titleAt),
        UserName.of(Wire.string8(buffer, at + 10)), Wire.u16(buffer, at + 8));
  }

  @Override
  protected int encodePayloadStart(ByteBuffer dst, int at) {
    Wire.ensureRoom(dst, at, ENTRIES_OFFSET - PAYLOAD_OFFSET);
    count = 0;
    return Wire.putU8(dst, Wire.putU64(dst, at, 0), 0);
  }

  /**
   * Appends a room when the page has room for it.
   *
   * @return whether it was appended; when not, nothing was written
   */
  public boolean tryAdd(Room room) {
    int size = 10 + 1 + room.owner().value().length() + 1 + ProtocolLimits.utf8Length(room.title());
    if (count == MAX_ENTRIES || length() + size > ProtocolLimits.MAX_DATAGRAM_BYTES) {
      return false;
    }
    Wire.ensureRoom(buffer, limit, size);
    int at = Wire.putU64(buffer, limit, room.id());
    at = Wire.putU16(buffer, at, Math.min(room.memberCount(), 0xffff));
    at = Wire.putName(buffer, at, room.owner().value(), "owner");
    limit = RoomWire.putTitle(buffer, at, room.title());
    count++;
    Wire.putU8(buffer, offset + COUNT_OFFSET, count);
    return true;
  }

  /**
   * Sets the cursor of the next page, 0 when there is none.
   *
   * @return this flyweight
   */
  public RoomListOkFlyweight nextCursor(long cursor) {
    RoomWire.checkCursor(cursor, "next cursor");
    Wire.putU64(buffer, offset + NEXT_CURSOR_OFFSET, cursor);
    return this;
  }
}
