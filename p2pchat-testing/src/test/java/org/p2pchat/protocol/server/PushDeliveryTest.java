package org.p2pchat.protocol.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.codec.Frame;

/**
 * Pushes over time, on an embedded server whose clock the test moves: retransmitted with
 * doubling timeouts until acknowledged, given up after the last attempt, and the message still
 * in history; the first acknowledgement marks it delivered and tells the sender.
 */
class PushDeliveryTest {
  private static final ServerConfig CONFIG = ServerConfig.builder()
      .argon2MemoryKib(64).argon2Iterations(1)
      .pushInitialTimeout(Duration.ofMillis(250)).pushAttempts(4)
      .build();

  private final EmbeddedHarness harness = new EmbeddedHarness(CONFIG, "alice", "bob");
  private final EmbeddedHarness.Peer alice = harness.peer(2);
  private final EmbeddedHarness.Peer bob = harness.peer(3);

  @AfterEach
  void stop() {
    harness.close();
  }

  private List<Frame> framesTo(EmbeddedHarness.Peer peer) {
    harness.run();
    return peer.drain().stream().map(EmbeddedHarness.Answer::frame).toList();
  }

  @Test
  void anUnacknowledgedPushIsResentWithDoublingTimeoutsThenGivenUpAndHistoryStillHasIt() {
    alice.logIn("alice");
    bob.logIn("bob");
    assertThat(alice.sendMessage("bob", "hello bob").isOk()).isTrue();
    assertThat(framesTo(bob)).singleElement().isInstanceOf(Frame.PushMessage.class);

    long[] waits = {250, 500, 1000};
    for (long wait : waits) {
      harness.server.advanceTimeBy(Duration.ofMillis(wait - 1));
      assertThat(framesTo(bob)).isEmpty();
      harness.server.advanceTimeBy(Duration.ofMillis(1));
      assertThat(framesTo(bob)).as("resent after %d ms", wait).singleElement()
          .isInstanceOf(Frame.PushMessage.class);
    }
    harness.server.advanceTimeBy(Duration.ofSeconds(30));
    assertThat(framesTo(bob)).as("no fifth attempt").isEmpty();
    assertThat(harness.stats().pendingPushes()).isZero();

    long id = bob.nextId();
    EmbeddedHarness.Answer page = bob.exchangeLast(
        new Frame.History(id, bob.tokenHi, bob.tokenLo, null, true, false, 0, 10), id);
    assertThat(page.frame()).isInstanceOfSatisfying(Frame.OkHistory.class, h ->
        assertThat(h.messages()).singleElement().satisfies(m -> assertThat(m.body()).isEqualTo("hello bob")));
  }

  @Test
  void theFirstAcknowledgementMarksTheMessageDeliveredAndTellsTheSenderOnce() {
    alice.logIn("alice");
    bob.logIn("bob");
    alice.sendMessage("bob", "hello bob");
    Frame.PushMessage push = (Frame.PushMessage) framesTo(bob).get(0);

    bob.exchange(new Frame.PushAck(push.requestId(), bob.tokenHi, bob.tokenLo));
    bob.exchange(new Frame.PushAck(push.requestId(), bob.tokenHi, bob.tokenLo)); // a duplicate
    List<Frame> toAlice = framesTo(alice);
    assertThat(toAlice).singleElement().isInstanceOfSatisfying(Frame.PushState.class, s -> {
      assertThat(s.messageId()).isEqualTo(push.messageId());
      assertThat(s.state()).isEqualTo(2);
      assertThat(s.recipient()).isEqualTo("bob");
    });
    harness.server.advanceTimeBy(Duration.ofSeconds(10));
    assertThat(framesTo(bob)).as("an acknowledged push is not resent").isEmpty();
  }

  @Test
  void aPushAckNeverGetsAnAnswer() {
    bob.logIn("bob");
    assertThat(bob.exchange(new Frame.PushAck(12345, bob.tokenHi, bob.tokenLo))).isEmpty();
    assertThat(harness.peer(9).exchange(new Frame.PushAck(12345, 1, 2))).isEmpty();
  }
}
