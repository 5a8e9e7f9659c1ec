package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;

/**
 * A request about one room: the token, the room, then one field that the frame type chooses.
 *
 * <pre>
 * offset size  field
 *      0   13  header
 *     13   16  session token
 *     29    8  room id (1..2^63-1)
 *     37       by type: ROOM_ADD (0x11), ROOM_REMOVE (0x12): name of the member
 *                       ROOM_RENAME (0x13): title, u8 length 1..64, UTF-8
 *                       ROOM_MEMBERS (0x15): cursor-name, u8 length 0 (first page) or a name
 *                       ROOM_SEND (0x16): body, u16 length 1..1000, UTF-8
 *                       ROOM_MARK_READ (0x18): message id (1..2^63-1), the newest read
 * </pre>
 *
 * <p>When writing: {@link #room}, then the type's field ({@link #name}, {@link #text} or
 * {@link #messageId(long)}).
 */
public final class RoomRequestFlyweight extends SessionFlyweight<RoomRequestFlyweight> {
  /** Offset of the room id. */
  public static final int ROOM_OFFSET = FIELDS_OFFSET;
  /** Offset of the type's field. */
  public static final int FIELD_OFFSET = ROOM_OFFSET + 8;

  /** What follows the room id. */
  private enum Tail { NAME, CURSOR_NAME, TITLE, BODY, MESSAGE_ID }

  private final Tail tail;

  /** @param type ROOM_ADD, ROOM_REMOVE, ROOM_RENAME, ROOM_MEMBERS, ROOM_SEND or ROOM_MARK_READ */
  public RoomRequestFlyweight(FrameType type) {
    super(type.code());
    this.tail = switch (type) {
      case ROOM_ADD, ROOM_REMOVE -> Tail.NAME;
      case ROOM_MEMBERS -> Tail.CURSOR_NAME;
      case ROOM_RENAME -> Tail.TITLE;
      case ROOM_SEND -> Tail.BODY;
      case ROOM_MARK_READ -> Tail.MESSAGE_ID;
      default -> throw new IllegalArgumentException(type + " is not a room request of this layout");
    };
  }

  @Override
  protected int decodeRequest(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    Wire.messageId(frame, at, end, "room id");
    int field = at + 8;
    return switch (tail) {
      case NAME -> Wire.checkName(frame, field, end, "member");
      case CURSOR_NAME -> RoomWire.checkCursorName(frame, field, end, "cursor");
      case TITLE -> RoomWire.checkTitle(frame, field, end);
      case BODY -> Wire.checkText(frame, field, end, "body");
      case MESSAGE_ID -> {
        Wire.messageId(frame, field, end, "message id");
        yield field + 8;
      }
    };
  }

  /** The room's id. */
  public long roomId() {
    return Wire.u64(buffer, offset + ROOM_OFFSET);
  }

  /** The member's name (ROOM_ADD, ROOM_REMOVE) or the cursor (ROOM_MEMBERS, null for none). */
  public String name() {
    return RoomWire.cursorName(buffer, offset + FIELD_OFFSET);
  }

  /** The title (ROOM_RENAME) or the body (ROOM_SEND). */
  public String text() {
    return tail == Tail.BODY ? Wire.string16(buffer, offset + FIELD_OFFSET)
        : Wire.string8(buffer, offset + FIELD_OFFSET);
  }

  /** The message id (ROOM_MARK_READ). */
  public long messageId() {
    return Wire.u64(buffer, offset + FIELD_OFFSET);
  }

  /**
   * Writes the room id, after the token.
   *
   * @return this flyweight
   * @throws IllegalArgumentException for an id below 1
   */
  public RoomRequestFlyweight room(long roomId) {
    Wire.checkMessageId(roomId, "room id");
    Wire.ensureRoom(buffer, limit, 8);
    limit = Wire.putU64(buffer, limit, roomId);
    return this;
  }

  /**
   * Writes the member (ROOM_ADD, ROOM_REMOVE) or the cursor (ROOM_MEMBERS, null for none).
   *
   * @return this flyweight
   * @throws IllegalArgumentException for a name outside the alphabet or length
   */
  public RoomRequestFlyweight name(CharSequence name) {
    if (name == null && tail != Tail.CURSOR_NAME) {
      throw new IllegalArgumentException("a member name is required");
    }
    limit = RoomWire.putCursorName(buffer, limit, name, "member");
    return this;
  }

  /**
   * Writes the title (ROOM_RENAME) or the body (ROOM_SEND).
   *
   * @return this flyweight
   * @throws IllegalArgumentException for a text out of its bounds
   */
  public RoomRequestFlyweight text(CharSequence text) {
    limit = tail == Tail.BODY ? Wire.putText(buffer, limit, text, "body")
        : RoomWire.putTitle(buffer, limit, text);
    return this;
  }

  /**
   * Writes the message id (ROOM_MARK_READ).
   *
   * @return this flyweight
   * @throws IllegalArgumentException for an id below 1
   */
  public RoomRequestFlyweight messageId(long messageId) {
    Wire.checkMessageId(messageId, "message id");
    Wire.ensureRoom(buffer, limit, 8);
    limit = Wire.putU64(buffer, limit, messageId);
    return this;
  }
}
