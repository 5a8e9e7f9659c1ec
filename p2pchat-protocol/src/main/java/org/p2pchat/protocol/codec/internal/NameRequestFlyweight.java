package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;

/**
 * A session request that names one user, or a list's cursor: CONTACT_ADD (0x19),
 * CONTACT_REMOVE (0x1a), BLOCK (0x1c), UNBLOCK (0x1d) carry a {@code name}; CONTACT_LIST (0x1b)
 * and BLOCK_LIST (0x1e) a {@code cursor-name} (length 0 = the first page).
 *
 * <pre>
 * offset size  field
 *      0   13  header
 *     13   16  session token
 *     29  1+n  name, or cursor-name
 * total 30+n bytes
 * </pre>
 */
public final class NameRequestFlyweight extends SessionFlyweight<NameRequestFlyweight> {
  /** Offset of the name. */
  public static final int NAME_OFFSET = FIELDS_OFFSET;

  private final boolean cursor;

  /** @param type CONTACT_ADD, CONTACT_REMOVE, CONTACT_LIST, BLOCK, UNBLOCK or BLOCK_LIST */
  public NameRequestFlyweight(FrameType type) {
    super(type.code());
    this.cursor = switch (type) {
      case CONTACT_LIST, BLOCK_LIST -> true;
      case CONTACT_ADD, CONTACT_REMOVE, BLOCK, UNBLOCK -> false;
      default -> throw new IllegalArgumentException(type + " is not a request of this layout");
    };
  }

  @Override
  protected int decodeRequest(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    return cursor ? RoomWire.checkCursorName(frame, at, end, "cursor") : Wire.checkName(frame, at, end, "user");
  }

  /** The user's name, or the cursor (null for the first page). */
  public String name() {
    return RoomWire.cursorName(buffer, offset + NAME_OFFSET);
  }

  /**
   * Writes the name (or the cursor, null for the first page), after the token.
   *
   * @return this flyweight
   * @throws IllegalArgumentException for a name outside the alphabet or length
   */
  public NameRequestFlyweight name(CharSequence name) {
    if (name == null && !cursor) {
      throw new IllegalArgumentException("a user name is required");
    }
    limit = RoomWire.putCursorName(buffer, limit, name, "user");
    return this;
  }
}
