package org.p2pchat.protocol.codec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The frames of the device vectors (docs/protocol.md section 17.6), beside {@link VectorsTest}'s. */
final class DeviceVectors {
  /** The device id of the vectors. */
  static final long DEVICE = 7;
  /** The idempotency key of the vectors. */
  static final long KEY = 0x2122232425262728L;

  private DeviceVectors() {}

  /** The secret of the vectors: bytes 0x20 to 0x3f. */
  static byte[] secret() {
    byte[] s = new byte[32];
    for (int i = 0; i < s.length; i++) {
      s[i] = (byte) (0x20 + i);
    }
    return s;
  }

  static Map<String, Frame> expectedFrames() {
    long rid = VectorsTest.RID;
    long hi = VectorsTest.HI;
    long lo = VectorsTest.LO;
    long at = VectorsTest.AT;
    Map<String, Frame> m = new LinkedHashMap<>();
    m.put("login-device", new Frame.LoginDevice(rid, "alice", "correct horse", "phone"));
    m.put("resume", new Frame.Resume(rid, DEVICE, secret()));
    m.put("devices", new Frame.Devices(rid, hi, lo));
    m.put("revoke-device", new Frame.RevokeDevice(rid, hi, lo, DEVICE));
    m.put("revoke-all-devices", new Frame.RevokeDevice(rid, hi, lo, 0));
    m.put("send-keyed", new Frame.SendKeyed(rid, hi, lo, KEY, "bob", "hello"));
    m.put("ok-login-device", new Frame.OkDeviceLogin(rid, hi, lo, 20_000, DEVICE, secret()));
    m.put("ok-resume", new Frame.OkResume(rid, hi, lo, 20_000));
    m.put("ok-devices", new Frame.OkDevices(rid, List.of(
        new Frame.DeviceEntry(6, at - 86_400_000L, at - 3_600_000L, false, "laptop"),
        new Frame.DeviceEntry(DEVICE, at, at, true, "phone"))));
    m.put("ok-revoke-device", new Frame.OkEmpty(rid, 0x0c));
    m.put("ok-send-keyed", new Frame.OkSendKeyed(rid, 42, at));
    m.put("error-credential-revoked", new Frame.Error(rid, 13, 0, List.of()));
    return m;
  }
}
