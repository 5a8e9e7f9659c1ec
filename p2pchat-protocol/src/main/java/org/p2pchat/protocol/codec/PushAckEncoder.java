package org.p2pchat.protocol.codec;

import java.nio.ByteBuffer;

/**
 * Writes a PUSH_ACK frame: the client acknowledges a push. Never answered.
 *
 * <pre>
 * offset size field
 *      0   13 header, type 0x08
 *     13   16 session token (hi, then lo)
 * total 29 bytes
 * </pre>
 *
 * <p>Stateless and thread-safe; allocates nothing.
 */
public final class PushAckEncoder {
  private PushAckEncoder() {}

  /**
   * Writes the frame at {@code dst}'s position and advances it.
   *
   * @param requestId the push id of the PUSH_MESSAGE or PUSH_STATE acknowledged
   * @param tokenHi the first 8 bytes of the session token
   * @param tokenLo the last 8 bytes of the session token
   * @return the number of bytes written, {@value PushAckDecoder#LENGTH}
   * @throws java.nio.BufferOverflowException when {@code dst} has less room; nothing is written
   */
  public static int encode(ByteBuffer dst, long requestId, long tokenHi, long tokenLo) {
    Wire.ensureRoom(dst, PushAckDecoder.LENGTH);
    Wire.putHeader(dst, FrameType.PUSH_ACK, requestId);
    Wire.putToken(dst, tokenHi, tokenLo);
    return PushAckDecoder.LENGTH;
  }
}
