package org.p2pchat.cli.ref;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real server and the real CLI, as separate processes, over loopback UDP. */
class TwoUsersChatIT {
  @TempDir Path dir;

  @Test
  void twoUsersRegisterExchangeMessagesAndEachSeesTheOthersInView() throws Exception {
    try (Jars.Server server = Jars.Server.start(dir.resolve("data").resolve("p2pchat.db"))) {
      Map<String, String> alice = Map.of("P2PCHAT_SERVER", server.hostPort(), "P2PCHAT_USER", "alice",
          "P2PCHAT_PASSWORD", "alice-password");
      Map<String, String> bob = Map.of("P2PCHAT_SERVER", server.hostPort(), "P2PCHAT_USER", "bob",
          "P2PCHAT_PASSWORD", "bob-password");

      assertThat(Jars.cli(dir, alice, "register")).satisfies(r -> assertThat(r.exitCode).as(r.toString()).isZero());
      assertThat(Jars.cli(dir, bob, "register")).satisfies(r -> assertThat(r.exitCode).as(r.toString()).isZero());
      Jars.Result taken = Jars.cli(dir, bob, "register");
      assertThat(taken.exitCode).as(taken.toString()).isEqualTo(ExitCodes.REFUSED);
      assertThat(taken.err).isEqualTo("p2pchat: cannot register bob at " + server.hostPort()
          + ": that user name is taken\n");

      Jars.Result sent = Jars.cli(dir, alice, "send", "bob", "hello bob");
      assertThat(sent.exitCode).as(sent.toString()).isZero();
      assertThat(Jars.cli(dir, bob, "send", "alice", "hi alice").exitCode).isZero();

      Jars.Result bobView = Jars.cli(dir, bob, "view", "--json");
      assertThat(bobView.exitCode).as(bobView.toString()).isZero();
      assertThat(bobView.out).contains("\"from\":\"alice\",\"to\":\"bob\",\"body\":\"hello bob\"")
          .contains("\"from\":\"bob\",\"to\":\"alice\",\"body\":\"hi alice\"");

      Jars.Result aliceView = Jars.cli(dir, alice, "view", "--peer", "bob");
      assertThat(aliceView.exitCode).as(aliceView.toString()).isZero();
      assertThat(aliceView.out).contains("alice -> bob: hello bob", "bob -> alice: hi alice (new)");
      Jars.Result aliceUnread = Jars.cli(dir, alice, "view", "--unread");
      assertThat(aliceUnread.out).as("view marked it read").isEqualTo("(no messages)\n");

      Jars.Result wrong = Jars.cli(dir, Map.of("P2PCHAT_SERVER", server.hostPort(), "P2PCHAT_USER", "alice",
          "P2PCHAT_PASSWORD", "not-her-password"), "view");
      assertThat(wrong.exitCode).as(wrong.toString()).isEqualTo(ExitCodes.LOGIN_FAILED);
    }
  }
}
