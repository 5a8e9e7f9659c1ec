package org.p2pchat.protocol.codec.internal;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.p2pchat.api.ProtocolLimits;
import org.p2pchat.api.UserName;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.codec.DecodeException.Reason;

/**
 * The field types of protocol v1 ({@code docs/protocol.md}, "Field types"), shared by every
 * flyweight so that each of those is only its layout.
 *
 * <p>Decoding helpers take absolute indices and never move a buffer's position; encoding helpers
 * write at the position and advance it. Numbers are big-endian whatever the buffer's byte
 * order, because callers hand us buffers we did not create.
 */
final class Wire {
  /** Size of a session token on the wire. */
  static final int TOKEN_BYTES = ProtocolLimits.SESSION_TOKEN_BYTES;
  /** The longest password, in bytes of UTF-8. */
  static final int MAX_PASSWORD_BYTES = ProtocolLimits.MAX_PASSWORD_BYTES;
  /** The longest body, in bytes of UTF-8. */
  static final int MAX_TEXT_BYTES = ProtocolLimits.MAX_BODY_BYTES;

  /** The top bit of each of eight bytes: a long of ASCII bytes has none of them set. */
  private static final long ASCII_MASK = 0x8080_8080_8080_8080L;

  private Wire() {}

  // ---------------------------------------------------------------- decoding: numbers

  static int u8(ByteBuffer b, int at) {
    return b.get(at) & 0xff;
  }

  static int u16(ByteBuffer b, int at) {
    short v = b.getShort(at);
    return (b.order() == ByteOrder.BIG_ENDIAN ? v : Short.reverseBytes(v)) & 0xffff;
  }

  static long u32(ByteBuffer b, int at) {
    int v = b.getInt(at);
    return (b.order() == ByteOrder.BIG_ENDIAN ? v : Integer.reverseBytes(v)) & 0xffffffffL;
  }

  static long u64(ByteBuffer b, int at) {
    long v = b.getLong(at);
    return b.order() == ByteOrder.BIG_ENDIAN ? v : Long.reverseBytes(v);
  }

  // ---------------------------------------------------------------- decoding: validation

  /** Fails with TRUNCATED unless {@code n} bytes from {@code at} lie before {@code end}. */
  static void need(int at, int n, int end, String field) throws DecodeException {
    if (end - at < n) {
      throw new DecodeException(Reason.TRUNCATED, field + " needs " + n + " bytes at offset "
          + at + ", datagram ends at " + end);
    }
  }

  /** Fails with TRAILING_BYTES unless the last field ended exactly at the datagram's end. */
  static void requireEnd(int at, int end) throws DecodeException {
    if (at != end) {
      throw new DecodeException(Reason.TRAILING_BYTES, (end - at) + " bytes after the last field");
    }
  }

  /**
   * Reads a message id, 1 to 2^63-1, failing with BAD_VALUE for 0 or the top bit set (Java
   * and most stores hold ids as signed 64-bit numbers).
   */
  static long messageId(ByteBuffer b, int at, int end, String field) throws DecodeException {
    need(at, 8, end, field);
    long id = u64(b, at);
    if (id <= 0) {
      throw new DecodeException(Reason.BAD_VALUE, field + " must be 1 to 2^63-1");
    }
    return id;
  }

  /**
   * Validates a {@code name} field (u8 length, then 3..32 ASCII bytes of the user-name
   * alphabet) and returns the offset just after it. A length outside 3..32 is BAD_USER_NAME;
   * a valid length that runs past the datagram is TRUNCATED.
   */
  static int checkName(ByteBuffer b, int at, int end, String field) throws DecodeException {
    need(at, 1, end, field);
    int n = u8(b, at);
    if (n < ProtocolLimits.MIN_USER_NAME_LENGTH || n > ProtocolLimits.MAX_USER_NAME_LENGTH) {
      throw new DecodeException(Reason.BAD_USER_NAME, field + " has length " + n);
    }
    need(at + 1, n, end, field);
    if (!UserName.isLetter(b.get(at + 1))) {
      throw new DecodeException(Reason.BAD_USER_NAME, field + " does not start with a letter");
    }
    for (int i = at + 2; i <= at + n; i++) {
      if (!UserName.isNameChar(b.get(i))) {
        throw new DecodeException(Reason.BAD_USER_NAME, field + " has a byte outside the alphabet");
      }
    }
    return at + 1 + n;
  }

  /**
   * Validates a {@code password} field (u8 length 1..128, UTF-8) and returns the offset after
   * it. A length of 0 or over 128 is BAD_LENGTH; past the datagram's end, TRUNCATED.
   */
  static int checkPassword(ByteBuffer b, int at, int end) throws DecodeException {
    need(at, 1, end, "password");
    int n = u8(b, at);
    if (n == 0 || n > MAX_PASSWORD_BYTES) {
      throw new DecodeException(Reason.BAD_LENGTH, "password has length " + n);
    }
    need(at + 1, n, end, "password");
    checkUtf8(b, at + 1, at + 1 + n, "password");
    return at + 1 + n;
  }

  /**
   * Validates a {@code text} field (u16 length 1..1000, UTF-8) and returns the offset after it.
   * Length 0 is BAD_LENGTH, over 1000 BODY_TOO_LONG, past the datagram's end TRUNCATED.
   */
  static int checkText(ByteBuffer b, int at, int end, String field) throws DecodeException {
    need(at, 2, end, field);
    int n = u16(b, at);
    if (n == 0) {
      throw new DecodeException(Reason.BAD_LENGTH, field + " is empty");
    }
    if (n > MAX_TEXT_BYTES) {
      throw new DecodeException(Reason.BODY_TOO_LONG, field + " has " + n + " bytes");
    }
    need(at + 2, n, end, field);
    checkUtf8(b, at + 2, at + 2 + n, field);
    return at + 2 + n;
  }

  /**
   * Fails with BAD_UTF8 unless bytes {@code [from, to)} are well-formed UTF-8 (RFC 3629: no
   * overlong forms, no surrogates, nothing above U+10FFFF, no cut-off sequence).
   */
  static void checkUtf8(ByteBuffer b, int from, int to, String field) throws DecodeException {
    int i = from;
    while (i < to) {
      // Most text is ASCII: skip it eight bytes at a time (the mask is order-independent).
      while (i + 8 <= to && (b.getLong(i) & ASCII_MASK) == 0) {
        i += 8;
      }
      if (i >= to) {
        break;
      }
      int c = b.get(i) & 0xff;
      if (c < 0x80) {
        i++;
        continue;
      }
      int extra;
      int min2nd = 0x80;
      int max2nd = 0xbf;
      if (c >= 0xc2 && c <= 0xdf) {
        extra = 1;
      } else if (c >= 0xe0 && c <= 0xef) {
        extra = 2;
        if (c == 0xe0) {
          min2nd = 0xa0; // below is overlong
        } else if (c == 0xed) {
          max2nd = 0x9f; // above is a surrogate
        }
      } else if (c >= 0xf0 && c <= 0xf4) {
        extra = 3;
        if (c == 0xf0) {
          min2nd = 0x90; // below is overlong
        } else if (c == 0xf4) {
          max2nd = 0x8f; // above is beyond U+10FFFF
        }
      } else {
        throw new DecodeException(Reason.BAD_UTF8, field + " has an invalid UTF-8 lead byte");
      }
      if (to - i <= extra) {
        throw new DecodeException(Reason.BAD_UTF8, field + " ends inside a UTF-8 sequence");
      }
      int c2 = b.get(i + 1) & 0xff;
      if (c2 < min2nd || c2 > max2nd) {
        throw new DecodeException(Reason.BAD_UTF8, field + " has an invalid UTF-8 sequence");
      }
      for (int k = 2; k <= extra; k++) {
        if ((b.get(i + k) & 0xc0) != 0x80) {
          throw new DecodeException(Reason.BAD_UTF8, field + " has an invalid UTF-8 sequence");
        }
      }
      i += extra + 1;
    }
  }

  // ---------------------------------------------------------------- decoding: strings

  /** The string of an already validated u8-length-prefixed field at {@code at}. */
  static String string8(ByteBuffer b, int at) {
    return utf8(b, at + 1, u8(b, at));
  }

  /** The string of an already validated u16-length-prefixed field at {@code at}. */
  static String string16(ByteBuffer b, int at) {
    return utf8(b, at + 2, u16(b, at));
  }

  private static String utf8(ByteBuffer b, int from, int n) {
    if (b.hasArray()) {
      return new String(b.array(), b.arrayOffset() + from, n, StandardCharsets.UTF_8);
    }
    byte[] bytes = new byte[n];
    b.get(from, bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  // ---------------------------------------------------------------- encoding

  /*
   * Encoding helpers write at absolute indices and return the index after what they wrote, so
   * that an encoder moves its buffer's position only once the whole frame is written: a frame
   * whose field is rejected leaves the position where it was.
   */

  /** Throws BufferOverflowException, before anything is written, when {@code n} bytes from {@code at} pass the limit. */
  static void ensureRoom(ByteBuffer dst, int at, int n) {
    if (dst.limit() - at < n) {
      throw new BufferOverflowException();
    }
  }

  static int putU8(ByteBuffer dst, int at, int v) {
    dst.put(at, (byte) v);
    return at + 1;
  }

  static int putU16(ByteBuffer dst, int at, int v) {
    dst.put(at, (byte) (v >>> 8)).put(at + 1, (byte) v);
    return at + 2;
  }

  static int putU32(ByteBuffer dst, int at, long v) {
    int i = (int) v;
    dst.putInt(at, dst.order() == ByteOrder.BIG_ENDIAN ? i : Integer.reverseBytes(i));
    return at + 4;
  }

  static int putU64(ByteBuffer dst, int at, long v) {
    dst.putLong(at, dst.order() == ByteOrder.BIG_ENDIAN ? v : Long.reverseBytes(v));
    return at + 8;
  }

  static void checkU32(long v, String field) {
    if (v < 0 || v > 0xffff_ffffL) {
      throw new IllegalArgumentException(field + " must fit 32 unsigned bits: " + v);
    }
  }

  static void checkMessageId(long id, String field) {
    if (id <= 0) {
      throw new IllegalArgumentException(field + " must be 1 to 2^63-1: " + id);
    }
  }

  /**
   * Writes a {@code name} field (u8 length, ASCII) at {@code at}.
   *
   * @throws IllegalArgumentException for a name outside the alphabet or length; nothing is written
   */
  static int putName(ByteBuffer dst, int at, CharSequence name, String field) {
    int n = name.length();
    boolean ok = n >= ProtocolLimits.MIN_USER_NAME_LENGTH
        && n <= ProtocolLimits.MAX_USER_NAME_LENGTH && UserName.isLetter(name.charAt(0));
    for (int i = 1; ok && i < n; i++) {
      ok = UserName.isNameChar(name.charAt(i));
    }
    if (!ok) {
      throw new IllegalArgumentException(field + " is not a valid user name");
    }
    ensureRoom(dst, at, 1 + n);
    dst.put(at, (byte) n);
    putUtf8(dst, at + 1, name, n); // the name alphabet is ASCII
    return at + 1 + n;
  }

  /**
   * Writes a {@code password} field (u8 length 1..128, UTF-8) at {@code at}.
   *
   * @throws IllegalArgumentException for an empty or over-long password, or an unpaired
   *     surrogate; the message gives the length only, never the password
   */
  static int putPassword(ByteBuffer dst, int at, CharSequence password) {
    int n = utf8Length(password, "password");
    if (n == 0 || n > MAX_PASSWORD_BYTES) {
      throw new IllegalArgumentException("a password must have 1 to " + MAX_PASSWORD_BYTES
          + " bytes of UTF-8, not " + n);
    }
    ensureRoom(dst, at, 1 + n);
    dst.put(at, (byte) n);
    putUtf8(dst, at + 1, password, n);
    return at + 1 + n;
  }

  /**
   * Writes a {@code text} field (u16 length 1..1000, UTF-8) at {@code at}.
   *
   * @throws IllegalArgumentException for an empty or over-long text, or an unpaired surrogate
   */
  static int putText(ByteBuffer dst, int at, CharSequence text, String field) {
    int n = textBytes(text, field);
    ensureRoom(dst, at, 2 + n);
    putU16(dst, at, n);
    putUtf8(dst, at + 2, text, n);
    return at + 2 + n;
  }

  /**
   * The UTF-8 length of a text field's value, checked against the field's limits.
   *
   * @throws IllegalArgumentException for an empty or over-long text, or an unpaired surrogate
   */
  static int textBytes(CharSequence text, String field) {
    int n = utf8Length(text, field);
    if (n == 0 || n > MAX_TEXT_BYTES) {
      throw new IllegalArgumentException(field + " must have 1 to " + MAX_TEXT_BYTES
          + " bytes of UTF-8, not " + n);
    }
    return n;
  }

  /** {@link ProtocolLimits#utf8Length}, with the field named in its failure. */
  private static int utf8Length(CharSequence s, String field) {
    try {
      return ProtocolLimits.utf8Length(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + " has an " + e.getMessage(), e);
    }
  }

  /** Writes {@code s} as UTF-8 at {@code at}; {@code n} is its UTF-8 length. */
  static void putUtf8(ByteBuffer dst, int at, CharSequence s, int n) {
    int len = s.length();
    if (n == len && s instanceof String && dst.hasArray()) {
      putAscii(dst, at, (String) s, len);
      return;
    }
    int p = at;
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        dst.put(p++, (byte) c);
      } else if (c < 0x800) {
        dst.put(p++, (byte) (0xc0 | (c >>> 6)));
        dst.put(p++, (byte) (0x80 | (c & 0x3f)));
      } else if (Character.isHighSurrogate(c)) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        dst.put(p++, (byte) (0xf0 | (cp >>> 18)));
        dst.put(p++, (byte) (0x80 | ((cp >>> 12) & 0x3f)));
        dst.put(p++, (byte) (0x80 | ((cp >>> 6) & 0x3f)));
        dst.put(p++, (byte) (0x80 | (cp & 0x3f)));
      } else {
        dst.put(p++, (byte) (0xe0 | (c >>> 12)));
        dst.put(p++, (byte) (0x80 | ((c >>> 6) & 0x3f)));
        dst.put(p++, (byte) (0x80 | (c & 0x3f)));
      }
    }
  }

  /**
   * Copies an all-ASCII string (its UTF-8 length equals its length) straight into a heap
   * buffer's array: for ASCII, the low byte of each char is its UTF-8 encoding, and the JDK's
   * copy of a Latin-1 string's bytes is a plain array copy, without allocating.
   */
  @SuppressWarnings("deprecation") // getBytes(int, int, byte[], int) is exact for ASCII
  private static void putAscii(ByteBuffer dst, int at, String s, int len) {
    s.getBytes(0, len, dst.array(), dst.arrayOffset() + at);
  }
}
