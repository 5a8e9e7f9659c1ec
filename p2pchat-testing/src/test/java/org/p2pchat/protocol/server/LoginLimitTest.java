package org.p2pchat.protocol.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.codec.Frame;

/**
 * The login rate limits over time, on an embedded server whose clock the test moves: what is
 * counted, the retry-after advice, and the limit lifting when the window has passed.
 */
class LoginLimitTest {
  private static final ServerConfig CONFIG = ServerConfig.builder()
      .argon2MemoryKib(64).argon2Iterations(1)
      .loginAttemptsPerAccount(3).loginAttemptsPerAddress(5).loginWindow(Duration.ofSeconds(60))
      .build();

  private final EmbeddedHarness harness = new EmbeddedHarness(CONFIG, "alice", "bob");

  @AfterEach
  void stop() {
    harness.close();
  }

  private static Frame.Error failLogin(EmbeddedHarness.Peer peer, String user, String password) {
    long id = peer.nextId();
    EmbeddedHarness.Answer a = peer.exchangeLast(new Frame.Login(id, user, password), id);
    assertThat(a.frame()).isInstanceOf(Frame.Error.class);
    return (Frame.Error) a.frame();
  }

  @Test
  void repeatedFailedLoginsOfAnAccountAreLimitedWithTheTimeLeftThenTheLimitLifts() {
    EmbeddedHarness.Peer guesser = harness.peer(9);
    for (int i = 0; i < 3; i++) {
      assertThat(failLogin(guesser, "alice", "wrong " + i).errorCode())
          .isEqualTo(ErrorCode.INVALID_CREDENTIALS.code());
      harness.server.advanceTimeBy(Duration.ofSeconds(1));
    }
    Frame.Error limited = failLogin(harness.peer(10), "alice", "wrong again");
    assertThat(limited.errorCode()).isEqualTo(ErrorCode.RATE_LIMITED.code());
    assertThat(limited.retryAfterMillis()).isEqualTo(60_000 - 3_000);
    // Even the right password waits, from any address, until the window has passed.
    assertThat(harness.peer(11).tryLogIn("alice")).isEqualTo(ErrorCode.RATE_LIMITED.code());

    harness.server.advanceTimeBy(Duration.ofSeconds(57));
    assertThat(harness.peer(11).tryLogIn("alice")).isZero();
  }

  @Test
  void successfulLoginsAreNeverCountedButFailuresFromOneAddressAre() {
    EmbeddedHarness.Peer script = harness.peer(9);
    for (int i = 0; i < 20; i++) {
      assertThat(script.tryLogIn("bob")).as("login %d", i).isZero();
    }
    for (int i = 0; i < 5; i++) {
      failLogin(script, "user" + i, "wrong password");
    }
    assertThat(script.tryLogIn("bob")).isEqualTo(ErrorCode.RATE_LIMITED.code());
    assertThat(harness.peer(10).tryLogIn("bob")).as("another address").isZero();
  }

  @Test
  void registrationsFromOneAddressAreLimited() {
    EmbeddedHarness.Peer registrar = harness.peer(9);
    for (int i = 0; i < 5; i++) {
      long id = registrar.nextId();
      assertThat(registrar.exchangeLast(new Frame.Register(id, "carol" + i, "a long password"), id)
          .isOkTo(0x01, id)).isTrue();
    }
    long id = registrar.nextId();
    assertThat(registrar.exchangeLast(new Frame.Register(id, "carol9", "a long password"), id).errorCode())
        .isEqualTo(ErrorCode.RATE_LIMITED.code());
  }
}
