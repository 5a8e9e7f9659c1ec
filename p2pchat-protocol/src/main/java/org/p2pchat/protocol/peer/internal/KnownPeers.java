package org.p2pchat.protocol.peer.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.p2pchat.api.UserName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The static keys seen for contacts' devices, trust on first use (docs/protocol.md section
 * 25): the first key the server vouches for a device is remembered; another one later is a
 * change to warn about, as SSH warns of a changed host key. Devices without an id (a session
 * opened with the password) have no lasting identity and are not remembered. Bounded (the
 * least recently seen go first). With a file, the keys outlive the client: read at start, and
 * the file rewritten (to a temporary file, then moved) when a key is new or changed. Used on the
 * event loop only.
 */
final class KnownPeers {
  private static final Logger log = LoggerFactory.getLogger(KnownPeers.class);
  private static final int MAX_DEVICES = 4096;

  private final Path file;

  private final Map<String, byte[]> keys = new LinkedHashMap<>(16, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
      return size() > MAX_DEVICES;
    }
  };

  /** Keys for this client's life only. */
  KnownPeers() {
    this.file = null;
  }

  /** Keys kept in {@code file} (which need not exist yet); a damaged line is skipped. */
  KnownPeers(Path file) {
    this.file = file;
    if (!Files.exists(file)) {
      return;
    }
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String[] f = line.strip().split("\\s+");
        if (f.length == 3) {
          try {
            byte[] key = Base64.getDecoder().decode(f[2]);
            if (key.length == 32) {
              keys.put(f[0] + "/" + Long.parseLong(f[1]), key);
            }
          } catch (IllegalArgumentException e) {
            // a line this client did not write: skipped, and gone at the next rewrite
          }
        }
      }
    } catch (IOException e) {
      log.warn("the known peers file {} could not be read: {}", file, e.toString());
    }
  }

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
    boolean same = before != null && Arrays.equals(before, key);
    if (!same && file != null) {
      save();
    }
    return before == null || same ? null : before;
  }

  private void save() {
    StringBuilder text = new StringBuilder();
    for (Map.Entry<String, byte[]> e : keys.entrySet()) {
      int slash = e.getKey().lastIndexOf('/');
      text.append(e.getKey(), 0, slash).append(' ').append(e.getKey().substring(slash + 1)).append(' ')
          .append(Base64.getEncoder().encodeToString(e.getValue())).append('\n');
    }
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path temp = Files.createTempFile(dir, ".known-peers", ".tmp");
      try {
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      log.warn("the known peers file {} could not be written: {}", file, e.toString());
    }
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
