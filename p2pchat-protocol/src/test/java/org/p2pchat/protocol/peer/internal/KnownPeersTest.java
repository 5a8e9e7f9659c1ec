package org.p2pchat.protocol.peer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.UserName;

/** Trust on first use of contacts' device keys (docs/protocol.md section 25.9), in memory and in a file. */
class KnownPeersTest {
  private static final UserName BOB = UserName.of("bob");

  private static byte[] key(int b) {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) b);
    return k;
  }

  @Test
  void theFirstKeyIsRememberedAndAnotherOneLaterIsAChange() {
    KnownPeers known = new KnownPeers();
    assertThat(known.see(BOB, 7, key(1))).isNull();
    assertThat(known.see(BOB, 7, key(1))).isNull();
    assertThat(known.see(BOB, 7, key(2))).isEqualTo(key(1));
    assertThat(known.see(BOB, 8, key(3))).as("another device of bob's is no change").isNull();
    assertThat(known.see(BOB, 0, key(4))).as("a password session has no lasting identity").isNull();
    assertThat(known.see(BOB, 0, key(5))).isNull();
  }

  @Test
  void keysInAFileOutliveTheClientAndDamagedLinesAreSkipped(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("known_peers");
    new KnownPeers(file).see(BOB, 7, key(1));
    assertThat(Files.readString(file)).startsWith("bob 7 ");
    Files.writeString(file, Files.readString(file) + "garbage line\ncarol x AAAA\n");

    KnownPeers later = new KnownPeers(file);
    assertThat(later.see(BOB, 7, key(2))).as("the key of the last run").isEqualTo(key(1));
    assertThat(new KnownPeers(file).see(BOB, 7, key(2))).as("the new key was saved").isNull();
  }

  @Test
  void aFingerprintIsPrintedAsOpenSshPrintsKeys() {
    assertThat(KnownPeers.fingerprint(key(0))).startsWith("SHA256:").doesNotEndWith("=").hasSize(7 + 43);
  }
}
