package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.codec.DecodeException;

/**
 * ERROR: the server's failure answer to a request.
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
 * <p>Any error code is accepted: an unknown one is for the client to treat as INTERNAL. When
 * writing: {@link #error}, then {@link #addVersion} per version listed.
 */
public final class ErrorFlyweight extends HeaderFlyweight<ErrorFlyweight> {
  /** Offset of the error code. */
  public static final int CODE_OFFSET = LENGTH;
  /** Offset of the retry-after delay. */
  public static final int RETRY_AFTER_OFFSET = CODE_OFFSET + 2;
  /** Offset of the version count. */
  public static final int VERSION_COUNT_OFFSET = RETRY_AFTER_OFFSET + 4;
  /** Offset of the first version. */
  public static final int VERSIONS_OFFSET = VERSION_COUNT_OFFSET + 1;
  /**
   * The length of an ERROR that lists no versions: the smallest answer there is, and so the
   * least datagram a server answers, since anything shorter cannot be answered without
   * amplification.
   */
  public static final int MIN_FRAME_BYTES = VERSIONS_OFFSET;
  /** The length of the ERROR UNSUPPORTED_VERSION that lists the one version this codec speaks. */
  public static final int UNSUPPORTED_VERSION_BYTES = VERSIONS_OFFSET + 1;

  /** A flyweight for ERROR frames. */
  public ErrorFlyweight() {
    super(FrameType.ERROR.code());
  }

  @Override
  protected int decodeFields(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    Wire.need(at, VERSIONS_OFFSET - CODE_OFFSET, end, "code and retry-after");
    int versions = Wire.u8(frame, start + VERSION_COUNT_OFFSET);
    Wire.need(start + VERSIONS_OFFSET, versions, end, "versions");
    return start + VERSIONS_OFFSET + versions;
  }

  /** The error code, 0 to 65535; see {@link ErrorCode#of(int)}. */
  public int errorCode() {
    return Wire.u16(buffer, offset + CODE_OFFSET);
  }

  /** How long to wait before retrying, in ms; 0 when the error says nothing about it. */
  public long retryAfterMillis() {
    return Wire.u32(buffer, offset + RETRY_AFTER_OFFSET);
  }

  /** How many versions the frame lists, 0 to 255. */
  public int versionCount() {
    return Wire.u8(buffer, offset + VERSION_COUNT_OFFSET);
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
    return Wire.u8(buffer, offset + VERSIONS_OFFSET + index);
  }

  /**
   * Writes the code and the retry advice, with no versions listed yet.
   *
   * @param errorCode 0 to 65535 ({@link ErrorCode#code()})
   * @param retryAfterMillis when to retry in ms, 0 for no advice, at most 2^32-1
   * @return this flyweight
   * @throws IllegalArgumentException for a value outside its range
   */
  public ErrorFlyweight error(int errorCode, long retryAfterMillis) {
    if (errorCode < 0 || errorCode > 0xffff) {
      throw new IllegalArgumentException("error code must fit 16 unsigned bits: " + errorCode);
    }
    Wire.checkU32(retryAfterMillis, "retry-after");
    Wire.ensureRoom(buffer, offset + CODE_OFFSET, MIN_FRAME_BYTES - CODE_OFFSET);
    Wire.putU16(buffer, offset + CODE_OFFSET, errorCode);
    Wire.putU32(buffer, offset + RETRY_AFTER_OFFSET, retryAfterMillis);
    limit = Wire.putU8(buffer, offset + VERSION_COUNT_OFFSET, 0);
    return this;
  }

  /** Writes {@code code} with its retry advice. */
  public ErrorFlyweight error(ErrorCode code, long retryAfterMillis) {
    return error(code.code(), retryAfterMillis);
  }

  /**
   * Lists one more version the server speaks, after {@link #error}.
   *
   * @param version 0 to 255
   * @return this flyweight
   * @throws IllegalArgumentException for a value outside 0..255, or a 256th version
   */
  public ErrorFlyweight addVersion(int version) {
    if (version < 0 || version > 0xff) {
      throw new IllegalArgumentException("a version must fit 8 bits: " + version);
    }
    int listed = Wire.u8(buffer, offset + VERSION_COUNT_OFFSET);
    if (listed == 0xff) {
      throw new IllegalArgumentException("an ERROR lists at most 255 versions");
    }
    Wire.ensureRoom(buffer, limit, 1);
    Wire.putU8(buffer, offset + VERSION_COUNT_OFFSET, listed + 1);
    limit = Wire.putU8(buffer, limit, version);
    return this;
  }
}
