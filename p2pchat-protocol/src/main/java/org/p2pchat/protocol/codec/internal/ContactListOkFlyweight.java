package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;
import org.p2pchat.api.Contact;
import org.p2pchat.api.ProtocolLimits;
import org.p2pchat.api.UserName;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.codec.DecodeException.Reason;

/**
 * The OK to CONTACT_LIST (a page of contacts with their presence) and to BLOCK_LIST (a page of
 * names: the entries carry no presence), by name, then the cursor of the next page.
 *
 * <pre>
 * offset size  field
 *      0   13  header, type 0x80
 *     13    1  in-reply-to 0x1b (CONTACT_LIST) or 0x1e (BLOCK_LIST)
 *     14    1  count of entries, 0..32
 *     15       count entries, each, for CONTACT_LIST:
 *               +0 1 presence: 0 unknown (not shared), 1 offline, 2 online
 *               +1 8 last seen, ms since the epoch; 0 = unknown
 *               +9 name contact
 *              and for BLOCK_LIST: name
 *       …  1+n next cursor: cursor-name, the page's last name when more follow, else length 0
 * </pre>
 *
 * <p>When writing: {@link #tryAdd} per entry, then {@link #nextCursor}.
 */
public final class ContactListOkFlyweight extends OkFlyweight<ContactListOkFlyweight> {
  /** Offset of the entry count. */
  public static final int COUNT_OFFSET = PAYLOAD_OFFSET;
  /** The most entries one page carries. */
  public static final int MAX_ENTRIES = 32;
  private static final int PRESENCE_BYTES = 9;

  private final boolean presence;
  private final int[] entryAt = new int[MAX_ENTRIES];
  private int count;
  private int cursorAt;

  private ContactListOkFlyweight(FrameType.Answer layout, boolean presence) {
    super(layout);
    this.presence = presence;
  }

  /** A flyweight for OKs to CONTACT_LIST. */
  public static ContactListOkFlyweight contacts() {
    return new ContactListOkFlyweight(FrameType.Answer.CONTACT_LIST, true);
  }

  /** A flyweight for OKs to BLOCK_LIST. */
  public static ContactListOkFlyweight blocks() {
    return new ContactListOkFlyweight(FrameType.Answer.BLOCK_LIST, false);
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
      if (presence) {
        Wire.need(p, PRESENCE_BYTES, end, "presence and last seen");
        if (Wire.u8(frame, p) > 2) {
          throw new DecodeException(Reason.BAD_VALUE, "presence " + Wire.u8(frame, p));
        }
        RoomWire.cursor(frame, p + 1, end, "last seen");
        p += PRESENCE_BYTES;
      }
      p = Wire.checkName(frame, p, end, "user");
    }
    cursorAt = p;
    count = n;
    return RoomWire.checkCursorName(frame, p, end, "next cursor");
  }

  /** The number of entries. */
  public int count() {
    return count;
  }

  /** The entry at {@code index} (allocates); for BLOCK_LIST with presence UNKNOWN. */
  public Contact contact(int index) {
    if (index < 0 || index >= count) {
      throw new IndexOutOfBoundsException("index " + index + " of " + count);
    }
    int at = entryAt[index];
    if (!presence) {
      return new Contact(UserName.of(Wire.string8(buffer, at)), Contact.Presence.UNKNOWN, Optional.empty());
    }
    long seen = Wire.u64(buffer, at + 1);
    return new Contact(UserName.of(Wire.string8(buffer, at + PRESENCE_BYTES)), Contact.Presence.of(Wire.u8(buffer, at)),
        seen == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(seen)));
  }

  /** The name of the entry at {@code index}, as sent. */
  public String name(int index) {
    if (index < 0 || index >= count) {
      throw new IndexOutOfBoundsException("index " + index + " of " + count);
    }
    return Wire.string8(buffer, entryAt[index] + (presence ? PRESENCE_BYTES : 0));
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
   * Appends an entry when the page has room for it and for the longest cursor (for BLOCK_LIST
   * only the name is written).
   *
   * @return whether it was appended; when not, nothing was written
   */
  public boolean tryAdd(Contact c) {
    return tryAdd(c.presence().code(), c.lastSeen().isPresent() ? c.lastSeen().get().toEpochMilli() : 0, c.name().value());
  }

  /**
   * Appends a name with no presence (for BLOCK_LIST) when the page has room for it.
   *
   * @return whether it was appended; when not, nothing was written
   */
  public boolean tryAdd(CharSequence name) {
    return tryAdd(0, 0, name);
  }

  private boolean tryAdd(int presenceCode, long lastSeenMillis, CharSequence name) {
    int size = (presence ? PRESENCE_BYTES : 0) + 1 + name.length();
    if (count == MAX_ENTRIES || length() + size + 1 + ProtocolLimits.MAX_USER_NAME_LENGTH > ProtocolLimits.MAX_DATAGRAM_BYTES) {
      return false;
    }
    Wire.ensureRoom(buffer, limit, size);
    int at = limit;
    if (presence) {
      at = Wire.putU8(buffer, at, presenceCode);
      at = Wire.putU64(buffer, at, lastSeenMillis);
    }
    limit = Wire.putName(buffer, at, name, "user");
    count++;
    Wire.putU8(buffer, offset + COUNT_OFFSET, count);
    return true;
  }

  /**
   * Writes the cursor of the next page, after the entries.
   *
   * @param nameOrNull the page's last name when more follow, else null
   * @return this flyweight
   */
  public ContactListOkFlyweight nextCursor(CharSequence nameOrNull) {
    cursorAt = limit;
    limit = RoomWire.putCursorName(buffer, limit, nameOrNull, "next cursor");
    return this;
  }
}
