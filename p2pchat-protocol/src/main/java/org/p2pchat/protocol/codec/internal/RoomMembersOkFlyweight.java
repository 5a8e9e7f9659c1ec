package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.ProtocolLimits;
import org.p2pchat.api.RoomMember;
import org.p2pchat.api.UserName;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.codec.DecodeException.Reason;

/**
 * The OK to ROOM_MEMBERS: a page of a room's members by name, each with their read marker, then
 * the cursor of the next page.
 *
 * <pre>
 * offset size  field
 *      0   13  header, type 0x80
 *     13    1  in-reply-to 0x15
 *     14    1  count of entries, 0..32
 *     15       count entries, each:
 *               +0 8 read marker: the newest room message id the member read, 0 = none
 *               +8 name member
 *       …  1+n next cursor: cursor-name, the last member of the page when more follow, else length 0
 * </pre>
 *
 * <p>When writing: {@link #tryAdd} per entry, then {@link #nextCursor}.
 */
public final class RoomMembersOkFlyweight extends OkFlyweight<RoomMembersOkFlyweight> {
  /** Offset of the entry count. */
  public static final int COUNT_OFFSET = PAYLOAD_OFFSET;
  /** Offset of the first entry. */
  public static final int ENTRIES_OFFSET = COUNT_OFFSET + 1;
  /** The most entries one page carries: 32 of the largest fit one datagram with the cursor. */
  public static final int MAX_ENTRIES = 32;

  private final int[] entryAt = new int[MAX_ENTRIES];
  private int count;
  private int cursorAt;

  /** A flyweight for OKs to ROOM_MEMBERS. */
  public RoomMembersOkFlyweight() {
    super(FrameType.Answer.ROOM_MEMBERS);
  }

  @Override
  protected int decodePayload(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    count = 0;
    Wire.need(at, 1, end, "count");
    int n = Wire.u8(frame, at);
    if (n > MAX_ENTRIES) {
      throw new DecodeException(Reason.BAD_VALUE, "count " + n + " is over " + MAX_ENTRIES);
    }
    int p = at + 1;
    for (int i = 0; i < n; i++) {
      entryAt[i] = p;
      RoomWire.cursor(frame, p, end, "read marker");
      p = Wire.checkName(frame, p + 8, end, "member");
    }
    cursorAt = p;
    count = n;
    return RoomWire.checkCursorName(frame, p, end, "next cursor");
  }

  /** The number of entries. */
  public int count() {
    return count;
  }

  /** The entry at {@code index} (allocates). */
  public RoomMember member(int index) {
    if (index < 0 || index >= count) {
      throw new IndexOutOfBoundsException("index " + index + " of " + count);
    }
    int at = entryAt[index];
    return new RoomMember(UserName.of(Wire.string8(buffer, at + 8)), Wire.u64(buffer, at));
  }

  /** The cursor of the next page, null when there is none. */
  public String nextCursor() {
    return RoomWire.cursorName(buffer, cursorAt);
  }

  @Override
  protected int encodePayloadStart(ByteBuffer dst, int at) {
    Wire.ensureRoom(dst, at, 1);
    count = 0;
    return Wire.putU8(dst, at, 0);
  }

  /**
   * Appends a member when the page has room for it and for the longest cursor.
   *
   * @return whether it was appended; when not, nothing was written
   */
  public boolean tryAdd(RoomMember member) {
    int size = 8 + 1 + member.name().value().length();
    int cursorRoom = 1 + ProtocolLimits.MAX_USER_NAME_LENGTH;
    if (count == MAX_ENTRIES || length() + size + cursorRoom > ProtocolLimits.MAX_DATAGRAM_BYTES) {
      return false;
    }
    Wire.ensureRoom(buffer, limit, size);
    int at = Wire.putU64(buffer, limit, member.readUpTo());
    limit = Wire.putName(buffer, at, member.name().value(), "member");
    count++;
    Wire.putU8(buffer, offset + COUNT_OFFSET, count);
    return true;
  }

  /**
   * Writes the cursor of the next page, after the entries.
   *
   * @param nameOrNull the last member of the page when more follow, else null
   * @return this flyweight
   */
  public RoomMembersOkFlyweight nextCursor(CharSequence nameOrNull) {
    cursorAt = limit;
    limit = RoomWire.putCursorName(buffer, limit, nameOrNull, "next cursor");
    return this;
  }
}
