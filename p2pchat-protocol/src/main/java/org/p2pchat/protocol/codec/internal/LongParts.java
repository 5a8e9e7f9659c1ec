package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.p2pchat.api.ProtocolLimits;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.codec.DecodeException.Reason;

/**
 * The arithmetic of long messages ({@code docs/protocol.md} section 23): a body of 1001 to
 * 65536 bytes of UTF-8 cut into parts of exactly 1000 bytes, the last holding the rest. Parts are
 * raw bytes (a character may straddle two parts); the whole is well-formed UTF-8.
 */
public final class LongParts {
  /** The size of every part but the last. */
  public static final int PART_BYTES = ProtocolLimits.PART_BYTES;
  /** The shortest long body: one byte more than one text field. */
  public static final int MIN_TOTAL = ProtocolLimits.MAX_BODY_BYTES + 1;
  /** The longest long body. */
  public static final int MAX_TOTAL = ProtocolLimits.MAX_LONG_BODY_BYTES;
  /** The most parts a long body has (66). */
  public static final int MAX_PARTS = (MAX_TOTAL + PART_BYTES - 1) / PART_BYTES;

  private LongParts() {}

  /** The number of parts of a body of {@code total} bytes. */
  public static int count(long total) {
    return (int) ((total + PART_BYTES - 1) / PART_BYTES);
  }

  /** The length of part {@code index} of a body of {@code total} bytes. */
  public static int length(long total, int index) {
    return (int) Math.min(PART_BYTES, total - (long) index * PART_BYTES);
  }

  /** Whether {@code total} is the length of a long body (1001 to 65536). */
  public static boolean isLong(long total) {
    return total >= MIN_TOTAL && total <= MAX_TOTAL;
  }

  /**
   * Decodes a whole body.
   *
   * @throws DecodeException with BAD_UTF8 unless {@code bytes} are well-formed UTF-8
   */
  public static String decode(byte[] bytes) throws DecodeException {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new DecodeException(Reason.BAD_UTF8, "the long body is not well-formed UTF-8");
    }
  }

  /**
   * The longest prefix of {@code body} of at most {@link ProtocolLimits#MAX_BODY_BYTES} bytes of
   * UTF-8 that ends between characters: what a frame of one text field carries of a long body.
   */
  public static String cut(String body) {
    if (body.length() <= ProtocolLimits.MAX_BODY_BYTES / 3) {
      return body; // at most 3 bytes a char (a surrogate pair is 2 chars for 4 bytes)
    }
    int bytes = 0;
    int i = 0;
    while (i < body.length()) {
      int cp = body.codePointAt(i);
      int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (bytes + n > ProtocolLimits.MAX_BODY_BYTES) {
        break;
      }
      bytes += n;
      i += Character.charCount(cp);
    }
    return i == body.length() ? body : body.substring(0, i);
  }

  /** Fails with BAD_VALUE unless {@code total} is the length of a long body; BODY_TOO_LONG above 65536. */
  static void checkTotal(long total) throws DecodeException {
    if (total > MAX_TOTAL) {
      throw new DecodeException(Reason.BODY_TOO_LONG, "total length " + total + " is over " + MAX_TOTAL);
    }
    if (total < MIN_TOTAL) {
      throw new DecodeException(Reason.BAD_VALUE, "total length " + total + " is not over "
          + ProtocolLimits.MAX_BODY_BYTES + ": a short body travels in one frame");
    }
  }

  /** Fails with BAD_VALUE unless {@code index} names a part a long body may have. */
  static void checkIndex(int index, int parts) throws DecodeException {
    if (index >= parts) {
      throw new DecodeException(Reason.BAD_VALUE, "part index " + index + " of " + parts + " parts");
    }
  }

  /**
   * Validates a part field (u16 length c, then c raw bytes) and returns the offset after it; a
   * length other than {@code expected} is BAD_LENGTH (0 or over 1000 always is).
   */
  static int checkPart(ByteBuffer b, int at, int end, int expected) throws DecodeException {
    Wire.need(at, 2, end, "part");
    int n = Wire.u16(b, at);
    if (n == 0 || n > PART_BYTES || (expected > 0 && n != expected)) {
      throw new DecodeException(Reason.BAD_LENGTH, "part has " + n + " bytes"
          + (expected > 0 ? ", not " + expected : ""));
    }
    Wire.need(at + 2, n, end, "part");
    return at + 2 + n;
  }

  /** Writes a part field of {@code len} bytes of {@code src} from {@code from}. */
  static int putPart(ByteBuffer dst, int at, byte[] src, int from, int len) {
    if (len < 1 || len > PART_BYTES) {
      throw new IllegalArgumentException("a part has 1 to " + PART_BYTES + " bytes, not " + len);
    }
    Wire.ensureRoom(dst, at, 2 + len);
    Wire.putU16(dst, at, len);
    dst.put(at + 2, src, from, len);
    return at + 2 + len;
  }

  /** The bytes of the part field at {@code at} (allocates). */
  static byte[] part(ByteBuffer b, int at) {
    byte[] bytes = new byte[Wire.u16(b, at)];
    b.get(at + 2, bytes);
    return bytes;
  }
}
