package org.p2pchat.protocol.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.codec.Frame;
import org.p2pchat.protocol.codec.FrameCodec;

/** ACCOUNT_DELETE and ACCOUNT_INFO (docs/protocol.md section 22) against the real server engine, frame by frame. */
class AccountFramesTest {
  private static final ServerConfig CONFIG = ServerConfig.builder().argon2MemoryKib(64).argon2Iterations(1).build();

  private final EmbeddedHarness h = new EmbeddedHarness(CONFIG, "alice", "bob");

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void accountInfoAnswersTheNameAndTheTimeOfRegistration() {
    EmbeddedHarness.Peer alice = h.peer(1);
    alice.logIn("alice");
    long id = alice.nextId();
    Frame f = alice.exchangeLast(new Frame.AccountInfo(id, alice.tokenHi, alice.tokenLo), id).frame();
    assertThat(f).isInstanceOfSatisfying(Frame.OkAccount.class, ok -> {
      assertThat(ok.name()).isEqualTo("alice");
      assertThat(ok.createdAtMillis()).isPositive();
    });
  }

  @Test
  void aDeletionEndsEverySessionOfTheUserAndItsRetransmissionGetsTheCachedOk() {
    EmbeddedHarness.Peer laptop = h.peer(1);
    laptop.logIn("alice");
    EmbeddedHarness.Peer phone = h.peer(2);
    phone.logIn("alice");
    EmbeddedHarness.Peer bob = h.peer(3);
    bob.logIn("bob");

    long wrong = laptop.nextId();
    EmbeddedHarness.Answer refused = laptop.exchangeLast(
        new Frame.AccountDelete(wrong, laptop.tokenHi, laptop.tokenLo, "not the password"), wrong);
    assertThat(refused.errorCode()).isEqualTo(ErrorCode.INVALID_CREDENTIALS.code());
    assertThat(EmbeddedHarness.Peer.pingedOk(phone.ping())).isTrue();

    long id = laptop.nextId();
    Frame request = new Frame.AccountDelete(id, laptop.tokenHi, laptop.tokenLo, EmbeddedHarness.PASSWORD);
    EmbeddedHarness.Answer ok = laptop.exchangeLast(request, id);
    assertThat(ok.frame()).isEqualTo(new Frame.OkEmpty(id, 0x20));
    assertThat(ok.bytes()).hasSize(14);

    EmbeddedHarness.Answer again = laptop.exchangeLast(request, id);
    assertThat(again.bytes()).as("the cached answer, though the session is gone").isEqualTo(ok.bytes());
    assertThat(last(laptop.ping()).errorCode()).isEqualTo(ErrorCode.NOT_LOGGED_IN.code());
    assertThat(last(phone.ping()).errorCode()).isEqualTo(ErrorCode.NOT_LOGGED_IN.code());
    assertThat(phone.tryLogIn("alice")).isEqualTo(ErrorCode.INVALID_CREDENTIALS.code());
    assertThat(bob.sendMessage("alice", "hello?").errorCode()).isEqualTo(ErrorCode.UNKNOWN_RECIPIENT.code());
    assertThat(EmbeddedHarness.Peer.pingedOk(bob.ping())).isTrue();

    long reg = phone.nextId();
    assertThat(phone.exchangeLast(new Frame.Register(reg, "alice", EmbeddedHarness.PASSWORD), reg).errorCode())
        .as("in quarantine: the answer to a taken name").isEqualTo(ErrorCode.NAME_TAKEN.code());
  }

  @Test
  void aDeletionWithAnUnknownTokenIsNotLoggedInAndNoBiggerThanTheRequest() {
    EmbeddedHarness.Peer stranger = h.peer(4);
    long id = stranger.nextId();
    Frame request = new Frame.AccountDelete(id, 1, 2, "x");
    EmbeddedHarness.Answer a = stranger.exchangeLast(request, id);
    assertThat(a.errorCode()).isEqualTo(ErrorCode.NOT_LOGGED_IN.code());
    assertThat(a.bytes().length).isLessThanOrEqualTo(new FrameCodec().encode(request, java.nio.ByteBuffer.allocate(1200)));
  }

  private static EmbeddedHarness.Answer last(java.util.List<EmbeddedHarness.Answer> answers) {
    return answers.get(answers.size() - 1);
  }
}
