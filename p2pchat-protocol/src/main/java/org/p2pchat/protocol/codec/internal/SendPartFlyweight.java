package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;

/**
 * SEND_PART: one part of a long message, with the idempotency key that names the whole
 * ({@code docs/protocol.md} section 23).
 *
 * <pre>
 * offset size  field
 *      0   13  header, type 0x22
 *     13   16  session token
 *     29    8  idempotency key, u64, the same in every part of the message
 *     37  1+n  recipient: u8 length n (3..32), ASCII user name
 *   38+n    4  total length t, u32, 1001..65536 bytes of UTF-8
 *   42+n    2  part index i, u16, below ceil(t / 1000)
 *   44+n  2+c  part: u16 length c, then c raw bytes; c = 1000, or t - 1000 i for the last part
 * total 46+n+c bytes
 * </pre>
 */
public final class SendPartFlyweight extends SessionFlyweight<SendPartFlyweight> {
  /** Offset of the idempotency key. */
  public static final int KEY_OFFSET = FIELDS_OFFSET;
  /** Offset of the recipient name. */
  public static final int RECIPIENT_OFFSET = KEY_OFFSET + 8;

  private int totalAt;

  /** A flyweight for SEND_PART frames. */
  public SendPartFlyweight() {
    super(FrameType.SEND_PART.code());
  }

  @Override
  protected int decodeRequest(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    Wire.need(at, 8, end, "idempotency key");
    int total = Wire.checkName(frame, at + 8, end, "recipient");
    Wire.need(total, 6, end, "total length and part index");
    long t = Wire.u32(frame, total);
    LongParts.checkTotal(t);
    int index = Wire.u16(frame, total + 4);
    LongParts.checkIndex(index, LongParts.count(t));
    int after = LongParts.checkPart(frame, total + 6, end, LongParts.length(t, index));
    totalAt = total;
    return after;
  }

  /** The idempotency key of the whole message. */
  public long key() {
    return Wire.u64(buffer, offset + KEY_OFFSET);
  }

  /** The recipient's user name as sent. */
  public String recipient() {
    return Wire.string8(buffer, offset + RECIPIENT_OFFSET);
  }

  /** The length of the whole body in bytes, 1001 to 65536. */
  public int totalLength() {
    return (int) Wire.u32(buffer, totalAt);
  }

  /** Which part this is, from 0. */
  public int partIndex() {
    return Wire.u16(buffer, totalAt + 4);
  }

  /** The part's length in bytes. */
  public int partLength() {
    return Wire.u16(buffer, totalAt + 6);
  }

  /** Copies the part's bytes into {@code dst} at {@code at}. */
  public void copyPart(byte[] dst, int at) {
    buffer.get(totalAt + 8, dst, at, partLength());
  }

  /** The part's bytes (allocates). */
  public byte[] part() {
    return LongParts.part(buffer, totalAt + 6);
  }

  /** Writes the idempotency key, after the token. */
  public SendPartFlyweight key(long key) {
    Wire.ensureRoom(buffer, offset + KEY_OFFSET, 8);
    limit = Wire.putU64(buffer, offset + KEY_OFFSET, key);
    return this;
  }

  /** Writes the recipient, after the key. */
  public SendPartFlyweight recipient(CharSequence name) {
    limit = Wire.putName(buffer, limit, name, "recipient");
    return this;
  }

  /**
   * Writes the total length, the index and the part, after the recipient.
   *
   * @param total the whole body's length, 1001 to 65536
   * @param index the part's index
   * @param src the bytes of the part, {@code len} of them from {@code from}
   * @return this flyweight
   * @throws IllegalArgumentException for a total, index or length that do not fit each other
   */
  public SendPartFlyweight part(int total, int index, byte[] src, int from, int len) {
    if (!LongParts.isLong(total) || index < 0 || index >= LongParts.count(total)
        || len != LongParts.length(total, index)) {
      throw new IllegalArgumentException("part " + index + " of " + len + " bytes does not fit a body of "
          + total + " bytes");
    }
    Wire.ensureRoom(buffer, limit, 6);
    int at = Wire.putU32(buffer, limit, total);
    at = Wire.putU16(buffer, at, index);
    limit = LongParts.putPart(buffer, at, src, from, len);
    return this;
  }
}
