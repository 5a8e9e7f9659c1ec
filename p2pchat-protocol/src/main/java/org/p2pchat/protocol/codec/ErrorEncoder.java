package org.p2pchat.protocol.codec;

import java.nio.ByteBuffer;
import org.p2pchat.api.ErrorCode;

/**
 * Writes ERROR frames (layout in {@link ErrorDecoder}).
 *
 * <p>Stateless and thread-safe; allocates nothing.
 */
public final class ErrorEncoder {
  private static final int[] SPOKEN_VERSIONS = {FrameHeader.VERSION};

  private ErrorEncoder() {}

  /**
   * Writes an ERROR that lists no versions.
   *
   * @param requestId the request id of the request answered
   * @param errorCode the code, 0 to 65535 ({@link ErrorCode#code()})
   * @param retryAfterMillis when to retry in ms, 0 for no advice, at most 2^32-1
   * @return the number of bytes written, 20
   * @throws IllegalArgumentException for a value outside its range; nothing is written
   * @throws java.nio.BufferOverflowException when {@code dst} has too little room; nothing is
   *     written
   */
  public static int encode(ByteBuffer dst, long requestId, int errorCode,
      long retryAfterMillis) {
    return encode(dst, requestId, errorCode, retryAfterMillis, SPOKEN_VERSIONS, 0);
  }

  /**
   * Writes the ERROR UNSUPPORTED_VERSION (code 2) as a version-1 frame listing version 1.
   *
   * @return the number of bytes written, 21
   * @throws java.nio.BufferOverflowException when {@code dst} has too little room; nothing is
   *     written
   */
  public static int encodeUnsupportedVersion(ByteBuffer dst, long requestId) {
    return encode(dst, requestId, ErrorCode.UNSUPPORTED_VERSION.code(), 0, SPOKEN_VERSIONS,
        SPOKEN_VERSIONS.length);
  }

  /**
   * Writes an ERROR listing the first {@code count} entries of {@code versions}.
   *
   * @param versions protocol versions, 0 to 255 each
   * @param count how many to list, 0 to 255 and within the array
   * @return the number of bytes written, 20 + count
   * @throws IllegalArgumentException for a value outside its range; nothing is written
   * @throws java.nio.BufferOverflowException when {@code dst} has too little room; nothing is
   *     written
   */
  public static int encode(ByteBuffer dst, long requestId, int errorCode, long retryAfterMillis,
      int[] versions, int count) {
    if (errorCode < 0 || errorCode > 0xffff) {
      throw new IllegalArgumentException("error code must fit 16 unsigned bits: " + errorCode);
    }
    Wire.checkU32(retryAfterMillis, "retry-after");
    if (count < 0 || count > 0xff || count > versions.length) {
      throw new IllegalArgumentException("version count must be 0 to 255 and within the array");
    }
    for (int i = 0; i < count; i++) {
      if (versions[i] < 0 || versions[i] > 0xff) {
        throw new IllegalArgumentException("a version must fit 8 bits: " + versions[i]);
      }
    }
    int total = ErrorDecoder.VERSIONS_OFFSET + count;
    Wire.ensureRoom(dst, total);
    Wire.putHeader(dst, FrameType.ERROR, requestId);
    Wire.putU16(dst, errorCode);
    Wire.putU32(dst, retryAfterMillis);
    dst.put((byte) count);
    for (int i = 0; i < count; i++) {
      dst.put((byte) versions[i]);
    }
    return total;
  }
}
