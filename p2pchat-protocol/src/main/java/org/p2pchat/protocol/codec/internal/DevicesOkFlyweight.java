package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.codec.DecodeException.Reason;

/**
 * The OK to DEVICES: the user's devices.
 *
 * <pre>
 * offset size field
 *      0   13 header, type 0x80
 *     13    1 in-reply-to 0x0b
 *     14    1 count k, 0..{@value #MAX_DEVICES}
 *     15      k entries:
 *               0    8 device id, u64 (1..2^63-1)
 *               8    8 created at, ms
 *              16    8 last used at, ms
 *              24    1 flags: bit 0 = the device of the asking session; bits 1-7 are 0
 *              25  1+d device name: u8 length d (1..64), UTF-8
 * </pre>
 */
public final class DevicesOkFlyweight extends OkFlyweight<DevicesOkFlyweight> {
  /** The most devices a user has, and an answer lists (at most 1023 bytes). */
  public static final int MAX_DEVICES = 10;
  /** Offset of the count. */
  public static final int COUNT_OFFSET = PAYLOAD_OFFSET;
  /** Offset of the first entry. */
  public static final int ENTRIES_OFFSET = COUNT_OFFSET + 1;
  private static final int NAME_IN_ENTRY = 25;

  private final int[] entryAt = new int[MAX_DEVICES];
  private int count;

  /** A flyweight for OKs to DEVICES. */
  public DevicesOkFlyweight() {
    super(FrameType.Answer.DEVICES);
  }

  @Override
  protected int decodePayload(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    Wire.need(at, 1, end, "count");
    int k = Wire.u8(frame, at);
    if (k > MAX_DEVICES) {
      throw new DecodeException(Reason.BAD_VALUE, "device count " + k);
    }
    int p = at + 1;
    for (int i = 0; i < k; i++) {
      DeviceFields.checkDeviceId(frame, p, end, false);
      Wire.need(p, NAME_IN_ENTRY, end, "device entry");
      if ((Wire.u8(frame, p + 24) & ~1) != 0) {
        throw new DecodeException(Reason.BAD_VALUE, "device flags");
      }
      entryAt[i] = p;
      p = DeviceFields.checkDeviceName(frame, p + NAME_IN_ENTRY, end);
    }
    count = k;
    return p;
  }

  /** How many devices the answer lists. */
  public int count() {
    return count;
  }

  /** The {@code i}th device's id. */
  public long deviceId(int i) {
    return Wire.u64(buffer, entryAt[i]);
  }

  /** The {@code i}th device's creation time, ms. */
  public long createdAtMillis(int i) {
    return Wire.u64(buffer, entryAt[i] + 8);
  }

  /** The {@code i}th device's last use, ms. */
  public long lastUsedAtMillis(int i) {
    return Wire.u64(buffer, entryAt[i] + 16);
  }

  /** Whether the {@code i}th device is the asking session's. */
  public boolean current(int i) {
    return (Wire.u8(buffer, entryAt[i] + 24) & 1) != 0;
  }

  /** The {@code i}th device's name. */
  public String deviceName(int i) {
    return Wire.string8(buffer, entryAt[i] + NAME_IN_ENTRY);
  }

  @Override
  protected int encodePayloadStart(ByteBuffer dst, int at) {
    Wire.ensureRoom(dst, at, 1);
    Wire.putU8(dst, at, 0);
    count = 0;
    return at + 1;
  }

  /** Adds a device, after the in-reply-to and the devices added before. */
  public DevicesOkFlyweight add(long deviceId, long createdAtMillis, long lastUsedAtMillis, boolean current,
      CharSequence name) {
    if (count == MAX_DEVICES) {
      throw new IllegalArgumentException("an answer lists at most " + MAX_DEVICES + " devices");
    }
    DeviceFields.checkDeviceIdValue(deviceId, false);
    Wire.ensureRoom(buffer, limit, NAME_IN_ENTRY);
    int at = limit;
    int after = DeviceFields.putDeviceName(buffer, at + NAME_IN_ENTRY, name);
    Wire.putU64(buffer, at, deviceId);
    Wire.putU64(buffer, at + 8, createdAtMillis);
    Wire.putU64(buffer, at + 16, lastUsedAtMillis);
    Wire.putU8(buffer, at + 24, current ? 1 : 0);
    entryAt[count++] = at;
    Wire.putU8(buffer, offset + COUNT_OFFSET, count);
    limit = after;
    return this;
  }
}
