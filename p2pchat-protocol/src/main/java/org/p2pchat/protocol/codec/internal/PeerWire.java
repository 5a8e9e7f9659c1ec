package org.p2pchat.protocol.codec.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.codec.DecodeException.Reason;

/**
 * The fields that PEER_CONNECT and PUSH_PEER share (docs/protocol.md section 25): a device's
 * static key, its flags and its candidate addresses.
 *
 * <pre>
 * static key  32 bytes, X25519 public
 * flags        1 byte, bit 0 = direct connections allowed; the other bits 0
 * count        1 byte, 0..8 candidates; 0 unless bit 0 is set
 * candidate    family u8 (4 or 6) · address (4 or 16 bytes) · port u16 (1..65535)
 * </pre>
 */
public final class PeerWire {
  /** The length of a static key. */
  public static final int KEY_BYTES = 32;
  /** The most candidates one frame names. */
  public static final int MAX_CANDIDATES = 8;
  /** Flag bit 0: the device takes direct connections. */
  public static final int DIRECT = 1;

  private PeerWire() {}

  /** Validates key, flags and candidates from {@code at}; returns the offset after them. */
  static int check(ByteBuffer b, int at, int end) throws DecodeException {
    Wire.need(at, KEY_BYTES + 2, end, "static key, flags and count");
    int flags = Wire.u8(b, at + KEY_BYTES);
    if ((flags & ~DIRECT) != 0) {
      throw new DecodeException(Reason.BAD_VALUE, "peer flags " + flags + " has unknown bits");
    }
    int count = Wire.u8(b, at + KEY_BYTES + 1);
    if (count > MAX_CANDIDATES || (count > 0 && (flags & DIRECT) == 0)) {
      throw new DecodeException(Reason.BAD_VALUE, count + " candidates with flags " + flags);
    }
    int p = at + KEY_BYTES + 2;
    for (int i = 0; i < count; i++) {
      Wire.need(p, 1, end, "candidate family");
      int family = Wire.u8(b, p);
      int n = family == 4 ? 4 : family == 6 ? 16 : -1;
      if (n < 0) {
        throw new DecodeException(Reason.BAD_VALUE, "candidate family " + family + " is not 4 or 6");
      }
      Wire.need(p + 1, n + 2, end, "candidate");
      if (Wire.u16(b, p + 1 + n) == 0) {
        throw new DecodeException(Reason.BAD_VALUE, "candidate port 0");
      }
      p += 1 + n + 2;
    }
    return p;
  }

  static byte[] key(ByteBuffer b, int at) {
    byte[] key = new byte[KEY_BYTES];
    b.get(at, key);
    return key;
  }

  static int flags(ByteBuffer b, int at) {
    return Wire.u8(b, at + KEY_BYTES);
  }

  static List<InetSocketAddress> candidates(ByteBuffer b, int at) {
    int count = Wire.u8(b, at + KEY_BYTES + 1);
    List<InetSocketAddress> list = new ArrayList<>(count);
    int p = at + KEY_BYTES + 2;
    for (int i = 0; i < count; i++) {
      int n = Wire.u8(b, p) == 4 ? 4 : 16;
      byte[] address = new byte[n];
      b.get(p + 1, address);
      try {
        list.add(new InetSocketAddress(InetAddress.getByAddress(address), Wire.u16(b, p + 1 + n)));
      } catch (UnknownHostException e) {
        throw new AssertionError("4 or 16 bytes are always an address", e);
      }
      p += 1 + n + 2;
    }
    return list;
  }

  /**
   * Writes key, flags and candidates at {@code at}.
   *
   * @return the offset after them
   * @throws IllegalArgumentException for a key not of 32 bytes, more than 8 candidates,
   *     candidates without the direct flag, or an unresolved candidate
   */
  static int put(ByteBuffer dst, int at, byte[] key, boolean direct, List<InetSocketAddress> candidates) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException("a static key has 32 bytes, not " + key.length);
    }
    if (candidates.size() > MAX_CANDIDATES || (!direct && !candidates.isEmpty())) {
      throw new IllegalArgumentException(candidates.size() + " candidates, direct " + direct);
    }
    int n = KEY_BYTES + 2;
    for (int i = 0; i < candidates.size(); i++) {
      n += candidates.get(i).getAddress() instanceof Inet4Address ? 1 + 4 + 2 : 1 + 16 + 2;
    }
    Wire.ensureRoom(dst, at, n);
    for (int i = 0; i < KEY_BYTES; i++) {
      dst.put(at + i, key[i]); // byte by byte: the bulk put of a heap buffer allocates on JDK 17
    }
    Wire.putU8(dst, at + KEY_BYTES, direct ? DIRECT : 0);
    Wire.putU8(dst, at + KEY_BYTES + 1, candidates.size());
    int p = at + KEY_BYTES + 2;
    for (int i = 0; i < candidates.size(); i++) {
      InetSocketAddress c = candidates.get(i);
      InetAddress a = c.getAddress();
      if (a == null || c.getPort() == 0) {
        throw new IllegalArgumentException("a candidate is a resolved address with a port: " + c);
      }
      byte[] bytes = a.getAddress();
      Wire.putU8(dst, p, a instanceof Inet4Address ? 4 : 6);
      dst.put(p + 1, bytes);
      p = Wire.putU16(dst, p + 1 + bytes.length, c.getPort());
      assert a instanceof Inet4Address || a instanceof Inet6Address;
    }
    return p;
  }
}
