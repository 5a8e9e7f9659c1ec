package org.p2pchat.protocol.codec;

import java.nio.ByteBuffer;

/**
 * Writes OK frames without a history page (layout in {@link OkDecoder}); pages are built with
 * {@link HistoryOkEncoder}.
 *
 * <p>Stateless and thread-safe; allocates nothing.
 */
public final class OkEncoder {
  private OkEncoder() {}

  /**
   * Writes an OK without payload, the answer to REGISTER, LOGOUT, PING or MARK_READ.
   *
   * @param requestId the request id of the request answered
   * @param inReplyTo the request's frame type
   * @return the number of bytes written, {@value OkDecoder#EMPTY_LENGTH}
   * @throws IllegalArgumentException when {@code inReplyTo} is not one of those four types
   * @throws java.nio.BufferOverflowException when {@code dst} has too little room; nothing is
   *     written
   */
  public static int encodeEmpty(ByteBuffer dst, long requestId, int inReplyTo) {
    if (inReplyTo != FrameType.REGISTER && inReplyTo != FrameType.LOGOUT
        && inReplyTo != FrameType.PING && inReplyTo != FrameType.MARK_READ) {
      throw new IllegalArgumentException("an OK to " + FrameType.name(inReplyTo)
          + " has a payload");
    }
    Wire.ensureRoom(dst, OkDecoder.EMPTY_LENGTH);
    Wire.putHeader(dst, FrameType.OK, requestId);
    dst.put((byte) inReplyTo);
    return OkDecoder.EMPTY_LENGTH;
  }

  /**
   * Writes the OK to LOGIN.
   *
   * @param keepaliveMillis how often the client should PING, in ms, 0 to 2^32-1
   * @return the number of bytes written, {@value OkDecoder#LOGIN_LENGTH}
   * @throws IllegalArgumentException when the keepalive does not fit 32 unsigned bits
   * @throws java.nio.BufferOverflowException when {@code dst} has too little room; nothing is
   *     written
   */
  public static int encodeLogin(ByteBuffer dst, long requestId, long tokenHi, long tokenLo,
      long keepaliveMillis) {
    Wire.checkU32(keepaliveMillis, "keepalive");
    Wire.ensureRoom(dst, OkDecoder.LOGIN_LENGTH);
    Wire.putHeader(dst, FrameType.OK, requestId);
    dst.put((byte) FrameType.LOGIN);
    Wire.putToken(dst, tokenHi, tokenLo);
    Wire.putU32(dst, keepaliveMillis);
    return OkDecoder.LOGIN_LENGTH;
  }

  /**
   * Writes the OK to SEND.
   *
   * @param messageId the stored message's id, 1 to 2^63-1
   * @param sentAtMillis when it was stored, ms since the Unix epoch
   * @return the number of bytes written, {@value OkDecoder#SEND_LENGTH}
   * @throws IllegalArgumentException for a message id of 0
   * @throws java.nio.BufferOverflowException when {@code dst} has too little room; nothing is
   *     written
   */
  public static int encodeSend(ByteBuffer dst, long requestId, long messageId,
      long sentAtMillis) {
    Wire.checkMessageId(messageId, "message id");
    Wire.ensureRoom(dst, OkDecoder.SEND_LENGTH);
    Wire.putHeader(dst, FrameType.OK, requestId);
    dst.put((byte) FrameType.SEND);
    Wire.putU64(dst, messageId);
    Wire.putU64(dst, sentAtMillis);
    return OkDecoder.SEND_LENGTH;
  }
}
