package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;

/**
 * The OK to ACCOUNT_INFO (0x21): when the session's account was created, and its name as the
 * server stores it (docs/protocol.md section 22).
 *
 * <pre>
 * offset size  field
 *      0   13  header, type 0x80
 *     13    1  in-reply-to 0x21
 *     14    8  created-at, ms since the epoch (top bit 0)
 *     22  1+n  name
 * total 23+n bytes
 * </pre>
 */
public final class AccountOkFlyweight extends OkFlyweight<AccountOkFlyweight> {
  /** Offset of the created-at time. */
  public static final int CREATED_AT_OFFSET = PAYLOAD_OFFSET;
  /** Offset of the name. */
  public static final int NAME_OFFSET = CREATED_AT_OFFSET + 8;

  /** A flyweight for OKs to ACCOUNT_INFO. */
  public AccountOkFlyweight() {
    super(FrameType.Answer.ACCOUNT);
  }

  @Override
  protected int decodePayload(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    Wire.need(at, 8, end, "created-at");
    if (Wire.u64(frame, at) < 0) {
      throw new DecodeException(DecodeException.Reason.BAD_VALUE, "created-at has its top bit set");
    }
    return Wire.checkName(frame, at + 8, end, "name");
  }

  /** When the account was created, ms since the epoch. */
  public long createdAtMillis() {
    return Wire.u64(buffer, offset + CREATED_AT_OFFSET);
  }

  /** The account's name. */
  public String name() {
    return Wire.string8(buffer, offset + NAME_OFFSET);
  }

  /**
   * Writes the account, after the in-reply-to.
   *
   * @return this flyweight
   * @throws IllegalArgumentException for a negative time or a bad name
   */
  public AccountOkFlyweight account(long createdAtMillis, CharSequence name) {
    if (createdAtMillis < 0) {
      throw new IllegalArgumentException("created-at must be >= 0: " + createdAtMillis);
    }
    Wire.ensureRoom(buffer, limit, 8);
    int at = Wire.putU64(buffer, limit, createdAtMillis);
    limit = Wire.putName(buffer, at, name, "name");
    return this;
  }
}
