package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;

/**
 * SEND_KEYED: SEND with the sender's idempotency key, so that a resend in a later session (after
 * a reconnect or a server restart) returns the message stored the first time.
 *
 * <pre>
 * offset size  field
 *      0   13  header, type 0x0d
 *     13   16  session token
 *     29    8  idempotency key, u64, any value, unique per sender
 *     37  1+n  recipient: u8 length n (3..32), ASCII user name
 *   38+n  2+b  body: u16 length b (1..1000), UTF-8
 * total 40+n+b bytes
 * </pre>
 */
public final class SendKeyedFlyweight extends SessionFlyweight<SendKeyedFlyweight> {
  /** Offset of the idempotency key. */
  public static final int KEY_OFFSET = FIELDS_OFFSET;
  /** Offset of the recipient name. */
  public static final int RECIPIENT_OFFSET = KEY_OFFSET + 8;

  private int bodyAt;

  /** A flyweight for SEND_KEYED frames. */
  public SendKeyedFlyweight() {
    super(FrameType.SEND_KEYED.code());
  }

  @Override
  protected int decodeRequest(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    Wire.need(at, 8, end, "idempotency key");
    int body = Wire.checkName(frame, at + 8, end, "recipient");
    int after = Wire.checkText(frame, body, end, "body");
    bodyAt = body;
    return after;
  }

  /** The sender's idempotency key. */
  public long key() {
    return Wire.u64(buffer, offset + KEY_OFFSET);
  }

  /** The recipient's user name as sent. */
  public String recipient() {
    return Wire.string8(buffer, offset + RECIPIENT_OFFSET);
  }

  /** The message body, 1 to 1000 bytes of UTF-8. */
  public String body() {
    return Wire.string16(buffer, bodyAt);
  }

  /** Writes the idempotency key, after the token. */
  public SendKeyedFlyweight key(long key) {
    Wire.ensureRoom(buffer, offset + KEY_OFFSET, 8);
    limit = Wire.putU64(buffer, offset + KEY_OFFSET, key);
    return this;
  }

  /** Writes the recipient, after the key. */
  public SendKeyedFlyweight recipient(CharSequence name) {
    limit = Wire.putName(buffer, limit, name, "recipient");
    return this;
  }

  /** Writes the body, after the recipient. */
  public SendKeyedFlyweight body(CharSequence body) {
    limit = Wire.putText(buffer, limit, body, "body");
    return this;
  }
}
