package org.p2pchat.protocol.codec;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.codec.DecodeException.Reason;

/**
 * Reads a LOGIN frame in place: the client opens a session.
 *
 * <pre>
 * offset size   field
 *      0   13   header, type 0x02
 *     13   1+n  name: u8 length n (3..32), ASCII user name
 *  14+n    1+p  password: u8 length p (1..128), UTF-8
 *  15+n+p  rest padding: zero bytes up to at least {@value FrameHeader#MIN_HANDSHAKE_FRAME_BYTES} bytes in all
 * </pre>
 *
 * <p>A frame shorter than {@value FrameHeader#MIN_HANDSHAKE_FRAME_BYTES} bytes is TRUNCATED
 * (checked before the fields); a non-zero padding byte is TRAILING_BYTES.
 *
 * <p>A flyweight: {@link #wrap} validates the whole frame and the getters read straight from
 * the buffer, valid until its bytes change. Reusable; not thread-safe (one per thread).
 */
public final class LoginDecoder {
  /** Offset of the name field. */
  public static final int NAME_OFFSET = FrameHeader.LENGTH;

  private ByteBuffer buffer;
  private int base;
  private int passwordAt;

  /** A decoder to {@link #wrap} frames with. */
  public LoginDecoder() {}

  /**
   * Validates the frame between {@code frame}'s position and limit and points the getters at
   * it. Does not move the position and allocates nothing.
   *
   * @return this decoder
   * @throws DecodeException when the frame is malformed or not a LOGIN (UNKNOWN_FRAME_TYPE)
   */
  public LoginDecoder wrap(ByteBuffer frame) throws DecodeException {
    int at = FrameHeader.expect(frame, FrameType.LOGIN);
    int start = frame.position();
    int end = frame.limit();
    if (end - start < FrameHeader.MIN_HANDSHAKE_FRAME_BYTES) {
      throw new DecodeException(Reason.TRUNCATED, "LOGIN is shorter than "
          + FrameHeader.MIN_HANDSHAKE_FRAME_BYTES + " bytes");
    }
    int pw = Wire.checkName(frame, at, end, "name");
    int padding = Wire.checkPassword(frame, pw, end);
    for (int i = padding; i < end; i++) {
      if (frame.get(i) != 0) {
        throw new DecodeException(Reason.TRAILING_BYTES, "non-zero padding");
      }
    }
    buffer = frame;
    base = start;
    passwordAt = pw;
    return this;
  }

  /** The request id. */
  public long requestId() {
    return Wire.u64(buffer, base + FrameHeader.REQUEST_ID_OFFSET);
  }

  /** The user name as sent (receivers compare it case-insensitively). */
  public String name() {
    return Wire.string8(buffer, base + NAME_OFFSET);
  }

  /** The password. Never log it. */
  public String password() {
    return Wire.string8(buffer, passwordAt);
  }
}
