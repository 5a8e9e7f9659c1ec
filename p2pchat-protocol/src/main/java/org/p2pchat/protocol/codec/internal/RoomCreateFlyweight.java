package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;

/**
 * ROOM_CREATE: the client creates a room it owns.
 *
 * <pre>
 * offset size  field
 *      0   13  header, type 0x10
 *     13   16  session token
 *     29  1+t  title: u8 length t (1..64), UTF-8
 * total 30+t bytes
 * </pre>
 */
public final class RoomCreateFlyweight extends SessionFlyweight<RoomCreateFlyweight> {
  /** Offset of the title. */
  public static final int TITLE_OFFSET = FIELDS_OFFSET;

  /** A flyweight for ROOM_CREATE frames. */
  public RoomCreateFlyweight() {
    super(FrameType.ROOM_CREATE.code());
  }

  @Override
  protected int decodeRequest(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    return RoomWire.checkTitle(frame, at, end);
  }

  /** The title. */
  public String title() {
    return Wire.string8(buffer, offset + TITLE_OFFSET);
  }

  /**
   * Writes the title, after the token.
   *
   * @return this flyweight
   * @throws IllegalArgumentException for a title out of bounds
   */
  public RoomCreateFlyweight title(CharSequence title) {
    limit = RoomWire.putTitle(buffer, limit, title);
    return this;
  }
}
