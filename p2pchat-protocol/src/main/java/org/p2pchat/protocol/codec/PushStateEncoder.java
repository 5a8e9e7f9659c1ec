package org.p2pchat.protocol.codec;

import java.nio.ByteBuffer;

/**
 * Writes a PUSH_STATE frame (layout in {@link PushStateDecoder}).
 *
 * <p>Stateless and thread-safe; allocates nothing.
 */
public final class PushStateEncoder {
  private PushStateEncoder() {}

  /**
   * Writes the frame at {@code dst}'s position and advances it.
   *
   * @param pushId the push id, the frame's request id; retransmissions reuse it
   * @param messageId the message id, 1 to 2^63-1
   * @param state 2 (DELIVERED) or 3 (READ)
   * @param recipient the user who received the message
   * @return the number of bytes written
   * @throws IllegalArgumentException for a value outside its range; nothing is written
   * @throws java.nio.BufferOverflowException when {@code dst} has too little room; nothing is
   *     written
   */
  public static int encode(ByteBuffer dst, long pushId, long messageId, int state,
      CharSequence recipient) {
    Wire.checkMessageId(messageId, "message id");
    if (state != 2 && state != 3) {
      throw new IllegalArgumentException("a pushed state is 2 or 3, not " + state);
    }
    int nameBytes = Wire.nameBytes(recipient, "recipient");
    int total = PushStateDecoder.RECIPIENT_OFFSET + 1 + nameBytes;
    Wire.ensureRoom(dst, total);
    Wire.putHeader(dst, FrameType.PUSH_STATE, pushId);
    Wire.putU64(dst, messageId);
    dst.put((byte) state);
    Wire.putName(dst, recipient);
    return total;
  }
}
