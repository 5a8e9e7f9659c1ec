package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.RoomLimits;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.codec.DecodeException.Reason;

/**
 * The field types that rooms add to {@link Wire} (docs/protocol.md section 19): {@code room}, a
 * room id with the rules of {@code id}, {@code title}, and {@code cursor-name}, a name or nothing.
 */
final class RoomWire {
  /** The longest title, in bytes of UTF-8. */
  static final int MAX_TITLE_BYTES = RoomLimits.MAX_TITLE_BYTES;

  private RoomWire() {}

  /** Validates a {@code title} field (u8 length 1..64, UTF-8); returns the offset after it. */
  static int checkTitle(ByteBuffer b, int at, int end) throws DecodeException {
    Wire.need(at, 1, end, "title");
    int n = Wire.u8(b, at);
    if (n == 0 || n > MAX_TITLE_BYTES) {
      throw new DecodeException(Reason.BAD_LENGTH, "title has length " + n);
    }
    Wire.need(at + 1, n, end, "title");
    Wire.checkUtf8(b, at + 1, at + 1 + n, "title");
    return at + 1 + n;
  }

  /** Writes a {@code title} field; throws IllegalArgumentException, writing nothing, when out of bounds. */
  static int putTitle(ByteBuffer dst, int at, CharSequence title) {
    int n = ProtocolLengths.utf8(title, "title");
    if (n == 0 || n > MAX_TITLE_BYTES) {
      throw new IllegalArgumentException("a title must have 1 to " + MAX_TITLE_BYTES + " bytes of UTF-8, not " + n);
    }
    Wire.ensureRoom(dst, at, 1 + n);
    Wire.putU8(dst, at, n);
    Wire.putUtf8(dst, at + 1, title, n);
    return at + 1 + n;
  }

  /** Validates a {@code cursor-name}: u8 length 0 (none), else a {@code name}. */
  static int checkCursorName(ByteBuffer b, int at, int end, String field) throws DecodeException {
    Wire.need(at, 1, end, field);
    return Wire.u8(b, at) == 0 ? at + 1 : Wire.checkName(b, at, end, field);
  }

  /** The value of a validated {@code cursor-name}, null for none. */
  static String cursorName(ByteBuffer b, int at) {
    return Wire.u8(b, at) == 0 ? null : Wire.string8(b, at);
  }

  /** Writes a {@code cursor-name}, null for none. */
  static int putCursorName(ByteBuffer dst, int at, CharSequence nameOrNull, String field) {
    if (nameOrNull == null) {
      Wire.ensureRoom(dst, at, 1);
      return Wire.putU8(dst, at, 0);
    }
    return Wire.putName(dst, at, nameOrNull, field);
  }

  /** Reads a u64 that must have its top bit clear (a cursor, a read marker: 0 allowed). */
  static long cursor(ByteBuffer b, int at, int end, String field) throws DecodeException {
    Wire.need(at, 8, end, field);
    long v = Wire.u64(b, at);
    if (v < 0) {
      throw new DecodeException(Reason.BAD_VALUE, field + " has its top bit set");
    }
    return v;
  }

  static void checkCursor(long v, String field) {
    if (v < 0) {
      throw new IllegalArgumentException(field + " must be 0 to 2^63-1: " + v);
    }
  }

  /** UTF-8 lengths with the field named in the failure. */
  static final class ProtocolLengths {
    private ProtocolLengths() {}

    static int utf8(CharSequence s, String field) {
      try {
        return org.p2pchat.api.ProtocolLimits.utf8Length(s);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(field + " has an " + e.getMessage(), e);
      }
    }
  }
}
