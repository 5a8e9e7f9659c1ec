package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;

/**
 * SEND: the client sends a message to a user.
 *
 * <pre>
 * offset size  field
 *      0   13  header, type 0x04
 *     13   16  session token
 *     29  1+n  recipient: u8 length n (3..32), ASCII user name
 *   30+n  2+b  body: u16 length b (1..1000), UTF-8
 * total 32+n+b bytes
 * </pre>
 */
public final class SendFlyweight extends SessionFlyweight<SendFlyweight> {
  /** Offset of the recipient name. */
  public static final int RECIPIENT_OFFSET = FIELDS_OFFSET;

  private int bodyAt;

  /** A flyweight for SEND frames. */
  public SendFlyweight() {
    super(FrameType.SEND.code());
  }

  @Override
  protected int decodeRequest(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    int body = Wire.checkName(frame, at, end, "recipient");
    int after = Wire.checkText(frame, body, end, "body");
    bodyAt = body;
    return after;
  }

  /** The recipient's user name as sent. */
  public String recipient() {
    return Wire.string8(buffer, offset + RECIPIENT_OFFSET);
  }

  /** The message body, 1 to 1000 bytes of UTF-8. */
  public String body() {
    return Wire.string16(buffer, bodyAt);
  }

  /**
   * Writes the recipient, after the token.
   *
   * @return this flyweight
   * @throws IllegalArgumentException for a name outside the alphabet or length
   */
  public SendFlyweight recipient(CharSequence name) {
    limit = Wire.putName(buffer, limit, name, "recipient");
    return this;
  }

  /**
   * Writes the body, after the recipient.
   *
   * @return this flyweight
   * @throws IllegalArgumentException for an empty body, one over 1000 bytes of UTF-8, or an
   *     unpaired surrogate
   */
  public SendFlyweight body(CharSequence body) {
    limit = Wire.putText(buffer, limit, body, "body");
    return this;
  }
}
