package org.p2pchat.protocol.codec;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;

/**
 * Reads a LOGOUT frame in place: the client ends its session.
 *
 * <pre>
 * offset size field
 *      0   13 header, type 0x03
 *     13   16 session token (hi = bytes 13..20, lo = bytes 21..28)
 * total 29 bytes
 * </pre>
 *
 * <p>A flyweight: {@link #wrap} validates the whole frame and the getters read straight from
 * the buffer, valid until its bytes change. Reusable; not thread-safe (one per thread).
 */
public final class LogoutDecoder {
  /** Offset of the session token. */
  public static final int TOKEN_OFFSET = FrameHeader.LENGTH;
  /** The frame's length in bytes. */
  public static final int LENGTH = TOKEN_OFFSET + Wire.TOKEN_BYTES;

  private ByteBuffer buffer;
  private int base;

  /** A decoder to {@link #wrap} frames with. */
  public LogoutDecoder() {}

  /**
   * Validates the frame between {@code frame}'s position and limit and points the getters at
   * it. Does not move the position and allocates nothing.
   *
   * @return this decoder
   * @throws DecodeException when the frame is malformed or not a LOGOUT (UNKNOWN_FRAME_TYPE)
   */
  public LogoutDecoder wrap(ByteBuffer frame) throws DecodeException {
    int at = FrameHeader.expect(frame, FrameType.LOGOUT);
    Wire.need(at, Wire.TOKEN_BYTES, frame.limit(), "token");
    Wire.requireEnd(at + Wire.TOKEN_BYTES, frame.limit());
    buffer = frame;
    base = frame.position();
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
}
