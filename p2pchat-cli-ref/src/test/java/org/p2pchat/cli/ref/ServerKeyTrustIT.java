package org.p2pchat.cli.ref;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.protocol.secure.ServerKeyPair;
import org.p2pchat.api.ServerPublicKey;

/** The CLI trusts a server's key on first use, remembers it, refuses a changed one, and takes a pinned one. */
class ServerKeyTrustIT {
  @TempDir Path dir;

  @Test
  void firstUseTrustsAndRemembersTheKeyAndAChangedKeyIsRefusedWithAWarning() throws Exception {
    Path db = dir.resolve("data").resolve("p2pchat.db");
    try (Jars.Server server = Jars.Server.start(db)) {
      ServerPublicKey key = ServerKeyPair.load(db.resolveSibling("server.key")).publicKey();
      Map<String, String> alice = Map.of("P2PCHAT_SERVER", server.hostPort(), "P2PCHAT_USER", "alice",
          "P2PCHAT_PASSWORD", "alice-password");

      Jars.Result first = Jars.cli(dir, alice, "register");
      assertThat(first.exitCode).as(first.toString()).isZero();
      assertThat(first.err).contains("trusting the key of " + server.hostPort() + " on first use: " + key.fingerprint());
      assertThat(Files.readString(dir.resolve("known_hosts"))).isEqualTo(server.hostPort() + " " + key.base64() + "\n");

      Jars.Result second = Jars.cli(dir, alice, "view");
      assertThat(second.exitCode).as(second.toString()).isZero();
      assertThat(second.err).isEmpty();

      Path other = dir.resolve("other_known_hosts");
      Files.writeString(other, server.hostPort() + " " + ServerKeyPair.generate().publicKey().base64() + "\n");
      Jars.Result changed = Jars.cli(dir, Map.of("P2PCHAT_SERVER", server.hostPort(), "P2PCHAT_USER", "alice",
          "P2PCHAT_PASSWORD", "alice-password", "P2PCHAT_KNOWN_HOSTS", other.toString()), "view");
      assertThat(changed.exitCode).as(changed.toString()).isEqualTo(ExitCodes.KEY_CHANGED);
      assertThat(changed.err).contains("HAS CHANGED", "man in the middle", key.fingerprint(), "Refusing to connect");
      assertThat(changed.out).isEmpty();
    }
  }

  @Test
  void aPinnedKeyNeedsNoKnownHostsFile() throws Exception {
    Path db = dir.resolve("data").resolve("p2pchat.db");
    try (Jars.Server server = Jars.Server.start(db)) {
      ServerPublicKey key = ServerKeyPair.load(db.resolveSibling("server.key")).publicKey();
      Jars.Result r = Jars.cli(dir, Map.of("P2PCHAT_SERVER", server.hostPort(), "P2PCHAT_USER", "bob",
          "P2PCHAT_PASSWORD", "bob-password"), "register", "--server-key", key.base64());
      assertThat(r.exitCode).as(r.toString()).isZero();
      assertThat(r.err).isEmpty();
      assertThat(dir.resolve("known_hosts")).doesNotExist();
    }
  }
}
