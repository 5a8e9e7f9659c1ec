package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.codec.DecodeException.Reason;

/**
 * RESUME: opens a session with a device credential instead of a password.
 *
 * <pre>
 * offset size field
 *      0   13 header, type 0x0a
 *     13    8 device id, u64 (1..2^63-1)
 *     21   32 device secret
 *     53 rest padding: zero bytes up to at least {@value #MIN_FRAME_BYTES} bytes in all
 * </pre>
 */
public final class ResumeFlyweight extends HeaderFlyweight<ResumeFlyweight> {
  /** Offset of the device id. */
  public static final int DEVICE_ID_OFFSET = LENGTH;
  /** Offset of the secret. */
  public static final int SECRET_OFFSET = DEVICE_ID_OFFSET + 8;
  /** The least size of the frame in bytes, reached with zero padding. */
  public static final int MIN_FRAME_BYTES = 64;

  /** A flyweight for RESUME frames. */
  public ResumeFlyweight() {
    super(FrameType.RESUME.code());
  }

  @Override
  protected int decodeFields(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    if (end - start < MIN_FRAME_BYTES) {
      throw new DecodeException(Reason.TRUNCATED, "RESUME is shorter than " + MIN_FRAME_BYTES + " bytes");
    }
    DeviceFields.checkDeviceId(frame, at, end, false);
    int padding = at + 8 + DeviceFields.SECRET_BYTES;
    DeviceFields.checkPadding(frame, padding, end);
    return end;
  }

  /** The device's id. */
  public long deviceId() {
    return Wire.u64(buffer, offset + DEVICE_ID_OFFSET);
  }

  /** A copy of the device's secret. Never log it. */
  public byte[] secret() {
    return DeviceFields.secret(buffer, offset + SECRET_OFFSET);
  }

  /** Writes the credential, the first field after the header. */
  public ResumeFlyweight credential(long deviceId, byte[] secret) {
    DeviceFields.checkDeviceIdValue(deviceId, false);
    Wire.ensureRoom(buffer, offset + DEVICE_ID_OFFSET, 8 + DeviceFields.SECRET_BYTES);
    Wire.putU64(buffer, offset + DEVICE_ID_OFFSET, deviceId);
    limit = DeviceFields.putSecret(buffer, offset + SECRET_OFFSET, secret);
    return this;
  }

  /** Pads the frame with zero bytes to {@value #MIN_FRAME_BYTES}, then ends it. */
  @Override
  public int finish() {
    limit = DeviceFields.pad(buffer, offset, limit, MIN_FRAME_BYTES);
    return super.finish();
  }
}
