package org.p2pchat.protocol.peer.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.p2pchat.api.UserName;

/**
 * The static keys seen for contacts' devices, trust on first use (docs/protocol.md section
 * 25): the first key the server vouches for a device is remembered; another one later is a
 * change to warn about, as SSH warns of a changed host key. Devices without an id (a session
 * opened with the password) have no lasting identity and are not remembered. Bounded (the
 * least recently seen go first). Used on the event loop only.
 */
final class KnownPeers {
  private static final int MAX_DEVICES = 4096;

  private final Map<String, byte[]> keys = new LinkedHashMap<>(16, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
      return size() > MAX_DEVICES;
    }
  };

  /**
   * Remembers {@code key} for the device.
   *
   * @return the key remembered before when it differs from {@code key}, else null
   */
  byte[] see(UserName user, long deviceId, byte[] key) {
    if (deviceId == 0) {
      return null;
    }
    byte[] before = keys.put(user.value() + "/" + deviceId, key.clone());
    return before == null || Arrays.equals(before, key) ? null : before;
  }

  /** {@code SHA256:} and the unpadded base64 of the key's SHA-256, as OpenSSH prints keys. */
  static String fingerprint(byte[] key) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(key);
      return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
