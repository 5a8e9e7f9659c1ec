package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;

/**
 * The OK to LOGIN_DEVICE: the new session, and the device credential to resume it with.
 *
 * <pre>
 * offset size field
 *      0   13 header, type 0x80
 *     13    1 in-reply-to 0x09
 *     14   16 session token
 *     30    4 keepalive interval, ms, u32
 *     34    8 device id, u64 (1..2^63-1)
 *     42   32 device secret
 * total 74 bytes
 * </pre>
 */
public final class DeviceLoginOkFlyweight extends OkFlyweight<DeviceLoginOkFlyweight> {
  /** Offset of the session token. */
  public static final int TOKEN_OFFSET = PAYLOAD_OFFSET;
  /** Offset of the keepalive interval. */
  public static final int KEEPALIVE_OFFSET = TOKEN_OFFSET + Wire.TOKEN_BYTES;
  /** Offset of the device id. */
  public static final int DEVICE_ID_OFFSET = KEEPALIVE_OFFSET + 4;
  /** Offset of the device secret. */
  public static final int SECRET_OFFSET = DEVICE_ID_OFFSET + 8;
  /** The frame's length in bytes. */
  public static final int FRAME_LENGTH = SECRET_OFFSET + DeviceFields.SECRET_BYTES;

  /** A flyweight for OKs to LOGIN_DEVICE. */
  public DeviceLoginOkFlyweight() {
    super(FrameType.Answer.DEVICE_LOGIN);
  }

  @Override
  protected int decodePayload(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    Wire.need(at, DEVICE_ID_OFFSET - PAYLOAD_OFFSET, end, "token and keepalive");
    DeviceFields.checkDeviceId(frame, start + DEVICE_ID_OFFSET, end, false);
    Wire.need(start + SECRET_OFFSET, DeviceFields.SECRET_BYTES, end, "device secret");
    return start + FRAME_LENGTH;
  }

  /** The first 8 bytes of the new session token. */
  public long tokenHi() {
    return Wire.u64(buffer, offset + TOKEN_OFFSET);
  }

  /** The last 8 bytes of the new session token. */
  public long tokenLo() {
    return Wire.u64(buffer, offset + TOKEN_OFFSET + 8);
  }

  /** How often to PING, in milliseconds. */
  public long keepaliveMillis() {
    return Wire.u32(buffer, offset + KEEPALIVE_OFFSET);
  }

  /** The new device's id. */
  public long deviceId() {
    return Wire.u64(buffer, offset + DEVICE_ID_OFFSET);
  }

  /** A copy of the device's secret. Never log it. */
  public byte[] secret() {
    return DeviceFields.secret(buffer, offset + SECRET_OFFSET);
  }

  /** Writes the session and the credential, after the in-reply-to. */
  public DeviceLoginOkFlyweight session(long tokenHi, long tokenLo, long keepaliveMillis, long deviceId,
      byte[] secret) {
    Wire.checkU32(keepaliveMillis, "keepalive");
    DeviceFields.checkDeviceIdValue(deviceId, false);
    Wire.ensureRoom(buffer, offset + TOKEN_OFFSET, FRAME_LENGTH - TOKEN_OFFSET);
    Wire.putU64(buffer, offset + TOKEN_OFFSET, tokenHi);
    Wire.putU64(buffer, offset + TOKEN_OFFSET + 8, tokenLo);
    Wire.putU32(buffer, offset + KEEPALIVE_OFFSET, keepaliveMillis);
    Wire.putU64(buffer, offset + DEVICE_ID_OFFSET, deviceId);
    limit = DeviceFields.putSecret(buffer, offset + SECRET_OFFSET, secret);
    return this;
  }
}
