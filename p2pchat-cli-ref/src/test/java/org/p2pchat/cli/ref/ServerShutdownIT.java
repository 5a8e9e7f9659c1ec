package org.p2pchat.cli.ref;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM drains and flushes: nothing the server acknowledged is lost across a restart. */
class ServerShutdownIT {
  @TempDir Path dir;

  @Test
  void sigtermExitsZeroAndARestartOnTheSameDatabaseShowsEveryAcknowledgedMessage() throws Exception {
    Path db = dir.resolve("p2pchat.db");
    Map<String, String> alice;
    try (Jars.Server server = Jars.Server.start(db)) {
      alice = Map.of("P2PCHAT_SERVER", server.hostPort(), "P2PCHAT_USER", "alice", "P2PCHAT_PASSWORD", "alice-password");
      Map<String, String> bob = Map.of("P2PCHAT_SERVER", server.hostPort(), "P2PCHAT_USER", "bob", "P2PCHAT_PASSWORD", "bob-password");
      assertThat(Jars.cli(dir, alice, "register").exitCode).isZero();
      assertThat(Jars.cli(dir, bob, "register").exitCode).isZero();
      for (int i = 1; i <= 5; i++) {
        Jars.Result sent = Jars.cli(dir, bob, "send", "alice", "message " + i);
        assertThat(sent.exitCode).as(sent.toString()).isZero();
      }

      assertThat(server.stop()).as("exit status after SIGTERM").isZero();
    }

    try (Jars.Server restarted = Jars.Server.start(db)) {
      Map<String, String> again = Map.of("P2PCHAT_SERVER", restarted.hostPort(), "P2PCHAT_USER", "alice",
          "P2PCHAT_PASSWORD", alice.get("P2PCHAT_PASSWORD"));
      Jars.Result view = Jars.cli(dir, again, "view", "--peer", "bob");
      assertThat(view.exitCode).as(view.toString()).isZero();
      for (int i = 1; i <= 5; i++) {
        assertThat(view.out).contains("bob -> alice: message " + i + " (new)");
      }
      assertThat(restarted.stop()).isZero();
    }
  }
}
