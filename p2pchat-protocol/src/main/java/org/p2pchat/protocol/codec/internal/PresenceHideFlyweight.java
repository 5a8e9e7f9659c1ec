package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.codec.DecodeException.Reason;

/**
 * PRESENCE_HIDE: the caller hides their presence from their contacts, or shows it again
 * (docs/protocol.md section 21).
 *
 * <pre>
 * offset size field
 *      0   13 header, type 0x1f
 *     13   16 session token
 *     29    1 hidden: 1 = hide, 0 = show
 * total 30 bytes
 * </pre>
 */
public final class PresenceHideFlyweight extends SessionFlyweight<PresenceHideFlyweight> {
  /** Offset of the hidden flag. */
  public static final int HIDDEN_OFFSET = FIELDS_OFFSET;
  /** The frame's length in bytes. */
  public static final int FRAME_LENGTH = HIDDEN_OFFSET + 1;

  /** A flyweight for PRESENCE_HIDE frames. */
  public PresenceHideFlyweight() {
    super(FrameType.PRESENCE_HIDE.code());
  }

  @Override
  protected int decodeRequest(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    Wire.need(at, 1, end, "hidden");
    int v = Wire.u8(frame, at);
    if (v > 1) {
      throw new DecodeException(Reason.BAD_VALUE, "hidden " + v + " is not 0 or 1");
    }
    return at + 1;
  }

  /** Whether the caller hides their presence (true) or shows it (false). */
  public boolean hidden() {
    return Wire.u8(buffer, offset + HIDDEN_OFFSET) == 1;
  }

  /**
   * Writes the flag, after the token.
   *
   * @return this flyweight
   */
  public PresenceHideFlyweight hidden(boolean hidden) {
    Wire.ensureRoom(buffer, offset + HIDDEN_OFFSET, 1);
    limit = Wire.putU8(buffer, offset + HIDDEN_OFFSET, hidden ? 1 : 0);
    return this;
  }
}
