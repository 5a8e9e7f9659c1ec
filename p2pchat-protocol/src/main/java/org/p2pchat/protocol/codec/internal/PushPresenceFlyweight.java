package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.codec.DecodeException.Reason;

/**
 * PUSH_PRESENCE: the server tells a session that one of the user's mutual contacts came online
 * or went offline (docs/protocol.md section 21); the session answers with PUSH_ACK.
 *
 * <pre>
 * offset size  field
 *      0   13  header, type 0x88, request id = push id chosen by the server
 *     13    1  presence: 1 = offline, 2 = online
 *     14    8  last seen, ms since the epoch (0 = unknown; top bit 0)
 *     22  1+n  contact: name
 * total 23+n bytes
 * </pre>
 */
public final class PushPresenceFlyweight extends HeaderFlyweight<PushPresenceFlyweight> {
  /** Offset of the presence. */
  public static final int PRESENCE_OFFSET = LENGTH;
  /** Offset of the last-seen time. */
  public static final int LAST_SEEN_OFFSET = PRESENCE_OFFSET + 1;
  /** Offset of the contact's name. */
  public static final int CONTACT_OFFSET = LAST_SEEN_OFFSET + 8;

  /** A flyweight for PUSH_PRESENCE frames. */
  public PushPresenceFlyweight() {
    super(FrameType.PUSH_PRESENCE.code());
  }

  @Override
  protected int decodeFields(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    Wire.need(at, 1, end, "presence");
    int p = Wire.u8(frame, at);
    if (p != 1 && p != 2) {
      throw new DecodeException(Reason.BAD_VALUE, "presence " + p + " is not 1 or 2");
    }
    Wire.need(start + LAST_SEEN_OFFSET, 8, end, "last seen");
    if (Wire.u64(frame, start + LAST_SEEN_OFFSET) < 0) {
      throw new DecodeException(Reason.BAD_VALUE, "last seen has its top bit set");
    }
    return Wire.checkName(frame, start + CONTACT_OFFSET, end, "contact");
  }

  /** The contact's presence: 1 offline, 2 online ({@code Contact.Presence.of}). */
  public int presence() {
    return Wire.u8(buffer, offset + PRESENCE_OFFSET);
  }

  /** When the contact was last seen, in ms since the epoch; 0 when unknown. */
  public long lastSeenMillis() {
    return Wire.u64(buffer, offset + LAST_SEEN_OFFSET);
  }

  /** The contact whose presence changed. */
  public String contact() {
    return Wire.string8(buffer, offset + CONTACT_OFFSET);
  }

  /**
   * Writes the presence, the last-seen time and the contact, after the header.
   *
   * @param presence 1 offline or 2 online
   * @param lastSeenMillis 0 to 2^63-1
   * @param contact the contact's name
   * @return this flyweight
   * @throws IllegalArgumentException for a value outside its range or a bad name
   */
  public PushPresenceFlyweight presence(int presence, long lastSeenMillis, CharSequence contact) {
    if (presence != 1 && presence != 2) {
      throw new IllegalArgumentException("a pushed presence is 1 (offline) or 2 (online): " + presence);
    }
    if (lastSeenMillis < 0) {
      throw new IllegalArgumentException("last seen must be 0 to 2^63-1: " + lastSeenMillis);
    }
    Wire.ensureRoom(buffer, offset + PRESENCE_OFFSET, CONTACT_OFFSET - PRESENCE_OFFSET);
    Wire.putU8(buffer, offset + PRESENCE_OFFSET, presence);
    int at = Wire.putU64(buffer, offset + LAST_SEEN_OFFSET, lastSeenMillis);
    limit = Wire.putName(buffer, at, contact, "contact");
    return this;
  }
}
