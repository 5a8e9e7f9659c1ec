package org.p2pchat.protocol.codec;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;

/**
 * Reads an ERROR frame in place: the server's failure answer to a request.
 *
 * <pre>
 * offset size  field
 *      0   13  header, type 0x81, request id of the request answered
 *     13    2  error code u16 (ErrorCode.code())
 *     15    4  retry-after ms u32, 0 = none
 *     19    1  version count v (0, except for UNSUPPORTED_VERSION)
 *     20    v  versions the server speaks, u8 each
 * total 20+v bytes
 * </pre>
 *
 * <p>Any error code is accepted: an unknown one is for the client to treat as INTERNAL.
 *
 * <p>A flyweight: {@link #wrap} validates the whole frame and the getters read straight from
 * the buffer, valid until its bytes change. Reusable; not thread-safe (one per thread).
 */
public final class ErrorDecoder {
  /** Offset of the error code. */
  public static final int CODE_OFFSET = FrameHeader.LENGTH;
  /** Offset of the retry-after delay. */
  public static final int RETRY_AFTER_OFFSET = CODE_OFFSET + 2;
  /** Offset of the version count. */
  public static final int VERSION_COUNT_OFFSET = RETRY_AFTER_OFFSET + 4;
  /** Offset of the first version. */
  public static final int VERSIONS_OFFSET = VERSION_COUNT_OFFSET + 1;

  private ByteBuffer buffer;
  private int base;

  /** A decoder to {@link #wrap} frames with. */
  public ErrorDecoder() {}

  /**
   * Validates the frame between {@code frame}'s position and limit and points the getters at
   * it. Does not move the position and allocates nothing.
   *
   * @return this decoder
   * @throws DecodeException when the frame is malformed or not an ERROR (UNKNOWN_FRAME_TYPE)
   */
  public ErrorDecoder wrap(ByteBuffer frame) throws DecodeException {
    int start = frame.position();
    int end = frame.limit();
    FrameHeader.expect(frame, FrameType.ERROR);
    Wire.need(start + CODE_OFFSET, VERSIONS_OFFSET - CODE_OFFSET, end, "code and retry-after");
    int versions = Wire.u8(frame, start + VERSION_COUNT_OFFSET);
    Wire.need(start + VERSIONS_OFFSET, versions, end, "versions");
    Wire.requireEnd(start + VERSIONS_OFFSET + versions, end);
    buffer = frame;
    base = start;
    return this;
  }

  /** The request id of the request answered. */
  public long requestId() {
    return Wire.u64(buffer, base + FrameHeader.REQUEST_ID_OFFSET);
  }

  /** The error code, 0 to 65535; see {@code org.p2pchat.api.ErrorCode#of(int)}. */
  public int errorCode() {
    return Wire.u16(buffer, base + CODE_OFFSET);
  }

  /** How long to wait before retrying, in ms; 0 when the error says nothing about it. */
  public long retryAfterMillis() {
    return Wire.u32(buffer, base + RETRY_AFTER_OFFSET);
  }

  /** How many versions the frame lists, 0 to 255. */
  public int versionCount() {
    return Wire.u8(buffer, base + VERSION_COUNT_OFFSET);
  }

  /**
   * The listed version at {@code index}.
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= index < versionCount()}
   */
  public int version(int index) {
    if (index < 0 || index >= versionCount()) {
      throw new IndexOutOfBoundsException("index " + index + " of " + versionCount());
    }
    return Wire.u8(buffer, base + VERSIONS_OFFSET + index);
  }
}
