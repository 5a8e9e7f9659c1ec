package org.p2pchat.protocol.codec;

import java.nio.ByteBuffer;

/**
 * Writes a LOGOUT frame: the client ends its session.
 *
 * <pre>
 * offset size field
 *      0   13 header, type 0x03
 *     13   16 session token (hi, then lo)
 * total 29 bytes
 * </pre>
 *
 * <p>Stateless and thread-safe; allocates nothing.
 */
public final class LogoutEncoder {
  private LogoutEncoder() {}

  /**
   * Writes the frame at {@code dst}'s position and advances it.
   *
   * @param requestId the request id
   * @param tokenHi the first 8 bytes of the session token
   * @param tokenLo the last 8 bytes of the session token
   * @return the number of bytes written, {@value LogoutDecoder#LENGTH}
   * @throws java.nio.BufferOverflowException when {@code dst} has less room; nothing is written
   */
  public static int encode(ByteBuffer dst, long requestId, long tokenHi, long tokenLo) {
    Wire.ensureRoom(dst, LogoutDecoder.LENGTH);
    Wire.putHeader(dst, FrameType.LOGOUT, requestId);
    Wire.putToken(dst, tokenHi, tokenLo);
    return LogoutDecoder.LENGTH;
  }
}
