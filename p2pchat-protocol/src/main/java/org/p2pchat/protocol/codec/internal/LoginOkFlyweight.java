package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;

/**
 * The OK to LOGIN: the new session's token and how often to PING.
 *
 * <pre>
 * offset size field
 *      0   13 header, type 0x80
 *     13    1 in-reply-to 0x02
 *     14   16 session token
 *     30    4 keepalive interval, ms, u32
 * total 34 bytes
 * </pre>
 */
public final class LoginOkFlyweight extends OkFlyweight<LoginOkFlyweight> {
  /** Offset of the session token. */
  public static final int TOKEN_OFFSET = PAYLOAD_OFFSET;
  /** Offset of the keepalive interval. */
  public static final int KEEPALIVE_OFFSET = TOKEN_OFFSET + Wire.TOKEN_BYTES;
  /** The frame's length in bytes. */
  public static final int FRAME_LENGTH = KEEPALIVE_OFFSET + 4;

  /** A flyweight for OKs to LOGIN. */
  public LoginOkFlyweight() {
    super(FrameType.Answer.LOGIN);
  }

  /** A flyweight for OKs of another layout with the same fields ({@code RESUME}). */
  public LoginOkFlyweight(FrameType.Answer layout) {
    super(layout);
  }

  @Override
  protected int decodePayload(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    Wire.need(at, FRAME_LENGTH - PAYLOAD_OFFSET, end, "token and keepalive");
    return start + FRAME_LENGTH;
  }

  /** The first 8 bytes of the new session token. */
  public long tokenHi() {
    return Wire.u64(buffer, offset + TOKEN_OFFSET);
  }

  /** The last 8 bytes of the new session token. */
  public long tokenLo() {
    return Wire.u64(buffer, offset + TOKEN_OFFSET + 8);
  }

  /** How often to PING, in milliseconds. */
  public long keepaliveMillis() {
    return Wire.u32(buffer, offset + KEEPALIVE_OFFSET);
  }

  /**
   * Writes the session, after the in-reply-to.
   *
   * @param keepaliveMillis how often the client should PING, in ms, 0 to 2^32-1
   * @return this flyweight
   * @throws IllegalArgumentException when the keepalive does not fit 32 unsigned bits
   */
  public LoginOkFlyweight session(long tokenHi, long tokenLo, long keepaliveMillis) {
    Wire.checkU32(keepaliveMillis, "keepalive");
    Wire.ensureRoom(buffer, offset + TOKEN_OFFSET, FRAME_LENGTH - TOKEN_OFFSET);
    Wire.putU64(buffer, offset + TOKEN_OFFSET, tokenHi);
    Wire.putU64(buffer, offset + TOKEN_OFFSET + 8, tokenLo);
    limit = Wire.putU32(buffer, offset + KEEPALIVE_OFFSET, keepaliveMillis);
    return this;
  }
}
