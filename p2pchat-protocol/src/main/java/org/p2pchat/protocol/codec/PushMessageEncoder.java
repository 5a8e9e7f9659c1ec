package org.p2pchat.protocol.codec;

import java.nio.ByteBuffer;

/**
 * Writes a PUSH_MESSAGE frame (layout in {@link PushMessageDecoder}).
 *
 * <p>Stateless and thread-safe; allocates nothing.
 */
public final class PushMessageEncoder {
  private PushMessageEncoder() {}

  /**
   * Writes the frame at {@code dst}'s position and advances it.
   *
   * @param pushId the push id, the frame's request id; retransmissions reuse it
   * @param messageId the message id, 1 to 2^63-1
   * @param sentAtMillis when the message was stored, ms since the Unix epoch
   * @param sender a user name
   * @param body 1 to 1000 bytes of UTF-8
   * @return the number of bytes written
   * @throws IllegalArgumentException for a value outside its range; nothing is written
   * @throws java.nio.BufferOverflowException when {@code dst} has too little room; nothing is
   *     written
   */
  public static int encode(ByteBuffer dst, long pushId, long messageId, long sentAtMillis,
      CharSequence sender, CharSequence body) {
    Wire.checkMessageId(messageId, "message id");
    int nameBytes = Wire.nameBytes(sender, "sender");
    int bodyBytes = Wire.textBytes(body, "body");
    int total = PushMessageDecoder.SENDER_OFFSET + 1 + nameBytes + 2 + bodyBytes;
    Wire.ensureRoom(dst, total);
    Wire.putHeader(dst, FrameType.PUSH_MESSAGE, pushId);
    Wire.putU64(dst, messageId);
    Wire.putU64(dst, sentAtMillis);
    Wire.putName(dst, sender);
    Wire.putString16(dst, body, bodyBytes);
    return total;
  }
}
