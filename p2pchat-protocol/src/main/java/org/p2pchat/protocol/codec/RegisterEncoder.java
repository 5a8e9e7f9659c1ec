package org.p2pchat.protocol.codec;

import java.nio.ByteBuffer;

/**
 * Writes a REGISTER frame: the client creates an account. Layout as in {@link RegisterDecoder}: header, name, password, then zero
 * padding up to {@value FrameHeader#MIN_HANDSHAKE_FRAME_BYTES} bytes.
 *
 * <p>Stateless and thread-safe; allocates nothing.
 */
public final class RegisterEncoder {
  private RegisterEncoder() {}

  /**
   * Writes the frame at {@code dst}'s position and advances it.
   *
   * @param requestId the request id
   * @param name the user name, 3 to 32 characters of the user-name alphabet
   * @param password the password, 1 to 128 bytes of UTF-8
   * @return the number of bytes written (at least {@value FrameHeader#MIN_HANDSHAKE_FRAME_BYTES})
   * @throws IllegalArgumentException for an invalid name or password; nothing is written
   * @throws java.nio.BufferOverflowException when {@code dst} has too little room; nothing is
   *     written
   */
  public static int encode(ByteBuffer dst, long requestId, CharSequence name,
      CharSequence password) {
    return HandshakeLayout.encode(dst, FrameType.REGISTER, requestId, name, password);
  }
}
