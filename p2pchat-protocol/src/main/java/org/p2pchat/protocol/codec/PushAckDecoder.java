package org.p2pchat.protocol.codec;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;

/**
 * Reads a PUSH_ACK frame in place: the client acknowledges a push; the request id is the push id. Never answered.
 *
 * <pre>
 * offset size field
 *      0   13 header, type 0x08
 *     13   16 session token (hi = bytes 13..20, lo = bytes 21..28)
 * total 29 bytes
 * </pre>
 *
 * <p>A flyweight: {@link #wrap} validates the whole frame and the getters read straight from
 * the buffer, valid until its bytes change. Reusable; not thread-safe (one per thread).
 */
public final class PushAckDecoder {
  /** Offset of the session token. */
  public static final int TOKEN_OFFSET = FrameHeader.LENGTH;
  /** The frame's length in bytes. */
  public static final int LENGTH = TOKEN_OFFSET + Wire.TOKEN_BYTES;

  private ByteBuffer buffer;
  private int base;

  /** A decoder to {@link #wrap} frames with. */
  public PushAckDecoder() {}

  /**
   * Validates the frame between {@code frame}'s position and limit and points the getters at
   * it. Does not move the position and allocates nothing.
   *
   * @return this decoder
   * @throws DecodeException when the frame is malformed or not a PUSH_ACK (UNKNOWN_FRAME_TYPE)
   */
  public PushAckDecoder wrap(ByteBuffer frame) throws DecodeException {
    int at = FrameHeader.expect(frame, FrameType.PUSH_ACK);
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
