package org.p2pchat.protocol.codec;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;

/**
 * Reads a SEND frame in place: the client sends a message to a user.
 *
 * <pre>
 * offset size  field
 *      0   13  header, type 0x04
 *     13   16  session token (hi, then lo)
 *     29  1+n  recipient: u8 length n (3..32), ASCII user name
 *   30+n  2+b  body: u16 length b (1..1000), UTF-8
 * total 32+n+b bytes
 * </pre>
 *
 * <p>A flyweight: {@link #wrap} validates the whole frame and the getters read straight from
 * the buffer, valid until its bytes change. Reusable; not thread-safe (one per thread).
 */
public final class SendDecoder {
  /** Offset of the session token. */
  public static final int TOKEN_OFFSET = FrameHeader.LENGTH;
  /** Offset of the recipient name. */
  public static final int RECIPIENT_OFFSET = TOKEN_OFFSET + Wire.TOKEN_BYTES;

  private ByteBuffer buffer;
  private int base;
  private int bodyAt;

  /** A decoder to {@link #wrap} frames with. */
  public SendDecoder() {}

  /**
   * Validates the frame between {@code frame}'s position and limit and points the getters at
   * it. Does not move the position and allocates nothing.
   *
   * @return this decoder
   * @throws DecodeException when the frame is malformed or not a SEND (UNKNOWN_FRAME_TYPE)
   */
  public SendDecoder wrap(ByteBuffer frame) throws DecodeException {
    int at = FrameHeader.expect(frame, FrameType.SEND);
    int end = frame.limit();
    Wire.need(at, Wire.TOKEN_BYTES, end, "token");
    int body = Wire.checkName(frame, at + Wire.TOKEN_BYTES, end, "recipient");
    Wire.requireEnd(Wire.checkText(frame, body, end, "body"), end);
    buffer = frame;
    base = frame.position();
    bodyAt = body;
    return this;
  }

  /** The request id. */
  public long requestId() {
    return Wire.u64(buffer, base + FrameHeader.REQUEST_ID_OFFSET);
  }

  /** The first 8 bytes of the session token. */
  public long tokenHi() {
    return Wire.u64(buffer, base + TOKEN_OFFSET);
  }

  /** The last 8 bytes of the session token. */
  public long tokenLo() {
    return Wire.u64(buffer, base + TOKEN_OFFSET + 8);
  }

  /** The recipient's user name as sent. */
  public String recipient() {
    return Wire.string8(buffer, base + RECIPIENT_OFFSET);
  }

  /** The message body, 1 to 1000 bytes of UTF-8. */
  public String body() {
    return Wire.string16(buffer, bodyAt);
  }
}
