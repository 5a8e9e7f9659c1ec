package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;

/**
 * ACCOUNT_DELETE (0x20): the session's user deletes their account, proving it with the
 * password (docs/protocol.md section 22).
 *
 * <pre>
 * offset size  field
 *      0   13  header
 *     13   16  session token
 *     29  1+p  password: u8 length p (1..128), UTF-8
 * total 30+p bytes
 * </pre>
 */
public final class AccountDeleteFlyweight extends SessionFlyweight<AccountDeleteFlyweight> {
  /** Offset of the password. */
  public static final int PASSWORD_OFFSET = FIELDS_OFFSET;

  /** A flyweight for ACCOUNT_DELETE frames. */
  public AccountDeleteFlyweight() {
    super(FrameType.ACCOUNT_DELETE.code());
  }

  @Override
  protected int decodeRequest(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    return Wire.checkPassword(frame, at, end);
  }

  /** The password. Never log it. */
  public String password() {
    return Wire.string8(buffer, offset + PASSWORD_OFFSET);
  }

  /**
   * Writes the password, after the token.
   *
   * @return this flyweight
   * @throws IllegalArgumentException for an empty or over-long password (the message never
   *     shows it)
   */
  public AccountDeleteFlyweight password(CharSequence password) {
    limit = Wire.putPassword(buffer, limit, password);
    return this;
  }
}
