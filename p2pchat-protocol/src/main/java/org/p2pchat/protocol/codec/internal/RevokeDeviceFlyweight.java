package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;

/**
 * REVOKE_DEVICE: revokes one of the user's devices, or all of them.
 *
 * <pre>
 * offset size field
 *      0   13 header, type 0x0c
 *     13   16 session token
 *     29    8 device id, u64; 0 = every device of the user; the top bit is 0
 * total 37 bytes
 * </pre>
 */
public final class RevokeDeviceFlyweight extends SessionFlyweight<RevokeDeviceFlyweight> {
  /** Offset of the device id. */
  public static final int DEVICE_ID_OFFSET = FIELDS_OFFSET;
  /** The frame's length in bytes. */
  public static final int FRAME_LENGTH = DEVICE_ID_OFFSET + 8;

  /** A flyweight for REVOKE_DEVICE frames. */
  public RevokeDeviceFlyweight() {
    super(FrameType.REVOKE_DEVICE.code());
  }

  @Override
  protected int decodeRequest(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    DeviceFields.checkDeviceId(frame, at, end, true);
    return at + 8;
  }

  /** The device's id; 0 for every device. */
  public long deviceId() {
    return Wire.u64(buffer, offset + DEVICE_ID_OFFSET);
  }

  /** Writes the device id, after the token. */
  public RevokeDeviceFlyweight deviceId(long deviceId) {
    DeviceFields.checkDeviceIdValue(deviceId, true);
    Wire.ensureRoom(buffer, offset + DEVICE_ID_OFFSET, 8);
    limit = Wire.putU64(buffer, offset + DEVICE_ID_OFFSET, deviceId);
    return this;
  }
}
