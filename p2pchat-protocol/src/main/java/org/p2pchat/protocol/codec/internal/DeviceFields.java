package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.ProtocolLimits;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.codec.DecodeException.Reason;

/**
 * The field types of the device frames (docs/protocol.md section 17), beside {@link Wire}'s:
 * a device name (u8 length 1..64, UTF-8), a device id (u64, top bit clear) and a device
 * secret (32 raw bytes).
 */
final class DeviceFields {
  /** The longest device name, in bytes of UTF-8. */
  static final int MAX_DEVICE_NAME_BYTES = 64;
  /** A device secret's length: 256 bits. */
  static final int SECRET_BYTES = 32;

  private DeviceFields() {}

  /** Validates a device name field at {@code at}; returns the offset after it. */
  static int checkDeviceName(ByteBuffer b, int at, int end) throws DecodeException {
    Wire.need(at, 1, end, "device name");
    int n = Wire.u8(b, at);
    if (n == 0 || n > MAX_DEVICE_NAME_BYTES) {
      throw new DecodeException(Reason.BAD_LENGTH, "device name has length " + n);
    }
    Wire.need(at + 1, n, end, "device name");
    Wire.checkUtf8(b, at + 1, at + 1 + n, "device name");
    return at + 1 + n;
  }

  /** Writes a device name field; returns the offset after it. */
  static int putDeviceName(ByteBuffer dst, int at, CharSequence name) {
    int n = ProtocolLimits.utf8Length(name);
    if (n == 0 || n > MAX_DEVICE_NAME_BYTES) {
      throw new IllegalArgumentException("a device name has 1 to " + MAX_DEVICE_NAME_BYTES
          + " bytes of UTF-8, not " + n);
    }
    Wire.ensureRoom(dst, at, 1 + n);
    dst.put(at, (byte) n);
    Wire.putUtf8(dst, at + 1, name, n);
    return at + 1 + n;
  }

  /** Validates a device id (u64, top bit clear; 0 only where {@code zeroAllowed}). */
  static long checkDeviceId(ByteBuffer b, int at, int end, boolean zeroAllowed) throws DecodeException {
    Wire.need(at, 8, end, "device id");
    long id = Wire.u64(b, at);
    if (id < 0 || (id == 0 && !zeroAllowed)) {
      throw new DecodeException(Reason.BAD_VALUE, "device id " + Long.toUnsignedString(id));
    }
    return id;
  }

  /** Checks a device id before writing it. */
  static void checkDeviceIdValue(long id, boolean zeroAllowed) {
    if (id < 0 || (id == 0 && !zeroAllowed)) {
      throw new IllegalArgumentException("a device id is " + (zeroAllowed ? "0" : "1") + " to 2^63-1, not " + id);
    }
  }

  /** Reads the 32-byte secret at {@code at}. Never log it. */
  static byte[] secret(ByteBuffer b, int at) {
    byte[] s = new byte[SECRET_BYTES];
    b.get(at, s);
    return s;
  }

  /** Writes a 32-byte secret; returns the offset after it. */
  static int putSecret(ByteBuffer dst, int at, byte[] secret) {
    if (secret.length != SECRET_BYTES) {
      throw new IllegalArgumentException("a device secret has " + SECRET_BYTES + " bytes, not " + secret.length);
    }
    Wire.ensureRoom(dst, at, SECRET_BYTES);
    dst.put(at, secret);
    return at + SECRET_BYTES;
  }

  /** Pads with zero bytes to {@code min} bytes from {@code offset}; returns the new limit. */
  static int pad(ByteBuffer dst, int offset, int limit, int min) {
    int end = Math.max(limit, offset + min);
    Wire.ensureRoom(dst, limit, end - limit);
    for (int i = limit; i < end; i++) {
      dst.put(i, (byte) 0);
    }
    return end;
  }

  /** Fails with TRAILING_BYTES unless bytes {@code [from, end)} are all zero. */
  static void checkPadding(ByteBuffer b, int from, int end) throws DecodeException {
    for (int i = from; i < end; i++) {
      if (b.get(i) != 0) {
        throw new DecodeException(Reason.TRAILING_BYTES, "non-zero padding");
      }
    }
  }
}
