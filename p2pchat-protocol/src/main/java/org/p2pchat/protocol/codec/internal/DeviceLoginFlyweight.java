package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.codec.DecodeException.Reason;

/**
 * LOGIN_DEVICE: a login that names the device and asks for a device credential.
 *
 * <pre>
 * offset       size  field
 *      0         13  header, type 0x09
 *     13        1+n  name: u8 length n (3..32), ASCII user name
 *   14+n        1+p  password: u8 length p (1..128), UTF-8
 * 15+n+p        1+d  device name: u8 length d (1..64), UTF-8
 * 16+n+p+d     rest  padding: zero bytes up to at least {@value #MIN_FRAME_BYTES} bytes in all
 * </pre>
 *
 * <p>The padding keeps the answer (74 bytes) smaller than the request, as for LOGIN.
 */
public final class DeviceLoginFlyweight extends HeaderFlyweight<DeviceLoginFlyweight> {
  /** Offset of the name field. */
  public static final int NAME_OFFSET = LENGTH;
  /** The least size of the frame in bytes, reached with zero padding. */
  public static final int MIN_FRAME_BYTES = 96;

  private int passwordAt;
  private int deviceAt;

  /** A flyweight for LOGIN_DEVICE frames. */
  public DeviceLoginFlyweight() {
    super(FrameType.LOGIN_DEVICE.code());
  }

  @Override
  protected int decodeFields(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    if (end - start < MIN_FRAME_BYTES) {
      throw new DecodeException(Reason.TRUNCATED, "LOGIN_DEVICE is shorter than " + MIN_FRAME_BYTES + " bytes");
    }
    int password = Wire.checkName(frame, at, end, "name");
    int device = Wire.checkPassword(frame, password, end);
    int padding = DeviceFields.checkDeviceName(frame, device, end);
    DeviceFields.checkPadding(frame, padding, end);
    passwordAt = password;
    deviceAt = device;
    return end;
  }

  /** The user name as sent. */
  public String name() {
    return Wire.string8(buffer, offset + NAME_OFFSET);
  }

  /** The password. Never log it. */
  public String password() {
    return Wire.string8(buffer, passwordAt);
  }

  /** The device's name. */
  public String deviceName() {
    return Wire.string8(buffer, deviceAt);
  }

  /** Writes the user name. */
  public DeviceLoginFlyweight name(CharSequence name) {
    limit = Wire.putName(buffer, limit, name, "name");
    return this;
  }

  /** Writes the password, after the name. */
  public DeviceLoginFlyweight password(CharSequence password) {
    limit = Wire.putPassword(buffer, limit, password);
    return this;
  }

  /** Writes the device name, after the password. */
  public DeviceLoginFlyweight deviceName(CharSequence deviceName) {
    limit = DeviceFields.putDeviceName(buffer, limit, deviceName);
    return this;
  }

  /** Pads the frame with zero bytes to {@value #MIN_FRAME_BYTES}, then ends it. */
  @Override
  public int finish() {
    limit = DeviceFields.pad(buffer, offset, limit, MIN_FRAME_BYTES);
    return super.finish();
  }
}
