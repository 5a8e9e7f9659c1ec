package org.p2pchat.protocol.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.codec.Frame;

/**
 * How long a session lives, on an embedded server whose clock the test moves: idle expiry to
 * the millisecond, keepalives that hold it open, logout that ends it at once.
 */
class SessionLifetimeTest {
  private static final ServerConfig CONFIG = ServerConfig.builder()
      .argon2MemoryKib(64).argon2Iterations(1)
      .sessionIdleTimeout(Duration.ofMinutes(2)).keepaliveInterval(Duration.ofSeconds(20))
      .build();

  private final EmbeddedHarness harness = new EmbeddedHarness(CONFIG, "alice", "bob");
  private final EmbeddedHarness.Peer alice = harness.peer(2);

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void theLoginAnswerTellsTheKeepaliveInterval() {
    long id = alice.nextId();
    EmbeddedHarness.Answer answer = alice.exchangeLast(new Frame.Login(id, "alice", EmbeddedHarness.PASSWORD), id);
    assertThat(answer.frame()).isInstanceOfSatisfying(Frame.OkLogin.class,
        ok -> assertThat(ok.keepaliveMillis()).isEqualTo(20_000));
  }

  @Test
  void aSessionIdleForLongerThanTheTimeoutIsGoneAndOneIdleForExactlyItIsNot() {
    alice.logIn("alice");
    harness.server.advanceTimeBy(Duration.ofMinutes(2));
    assertThat(EmbeddedHarness.Peer.pingedOk(alice.ping())).as("idle for exactly the timeout").isTrue();

    harness.server.advanceTimeBy(Duration.ofMinutes(2).plusMillis(1));
    EmbeddedHarness.Answer send = alice.sendMessage("bob", "are you there?");
    assertThat(send.errorCode()).isEqualTo(ErrorCode.NOT_LOGGED_IN.code());
    assertThat(harness.stats().sessions()).isZero();
  }

  @Test
  void keepalivesHoldASessionOpenFarBeyondTheIdleTimeout() {
    alice.logIn("alice");
    for (int i = 0; i < 30; i++) { // ten minutes, one keepalive interval at a time
      harness.server.advanceTimeBy(Duration.ofSeconds(20));
      assertThat(EmbeddedHarness.Peer.pingedOk(alice.ping())).isTrue();
    }
    assertThat(alice.sendMessage("bob", "still here").isOk()).isTrue();
  }

  @Test
  void anIdleSessionIsSweptEvenIfItsTokenIsNeverPresentedAgain() {
    alice.logIn("alice");
    assertThat(harness.stats().sessions()).isEqualTo(1);
    harness.server.advanceTimeBy(Duration.ofMinutes(3));
    assertThat(harness.stats().sessions()).isZero();
  }

  @Test
  void afterLogoutTheTokenIsRefusedAtOnce() {
    alice.logIn("alice");
    long id = alice.nextId();
    EmbeddedHarness.Answer ok = alice.exchangeLast(new Frame.Logout(id, alice.tokenHi, alice.tokenLo), id);
    assertThat(ok.isOkTo(0x03, id)).isTrue();
    assertThat(alice.sendMessage("bob", "after logout").errorCode()).isEqualTo(ErrorCode.NOT_LOGGED_IN.code());
  }
}
