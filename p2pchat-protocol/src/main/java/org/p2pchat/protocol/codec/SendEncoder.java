package org.p2pchat.protocol.codec;

import java.nio.ByteBuffer;

/**
 * Writes a SEND frame (layout in {@link SendDecoder}): header, token, recipient, body.
 *
 * <p>Stateless and thread-safe; allocates nothing.
 */
public final class SendEncoder {
  private SendEncoder() {}

  /**
   * Writes the frame at {@code dst}'s position and advances it.
   *
   * @param recipient a user name, 3 to 32 characters of the user-name alphabet
   * @param body the message, 1 to 1000 bytes of UTF-8
   * @return the number of bytes written
   * @throws IllegalArgumentException for an invalid name or body; nothing is written
   * @throws java.nio.BufferOverflowException when {@code dst} has too little room; nothing is
   *     written
   */
  public static int encode(ByteBuffer dst, long requestId, long tokenHi, long tokenLo,
      CharSequence recipient, CharSequence body) {
    int nameBytes = Wire.nameBytes(recipient, "recipient");
    int bodyBytes = Wire.textBytes(body, "body");
    int total = SendDecoder.RECIPIENT_OFFSET + 1 + nameBytes + 2 + bodyBytes;
    Wire.ensureRoom(dst, total);
    Wire.putHeader(dst, FrameType.SEND, requestId);
    Wire.putToken(dst, tokenHi, tokenLo);
    Wire.putName(dst, recipient);
    Wire.putString16(dst, body, bodyBytes);
    return total;
  }
}
