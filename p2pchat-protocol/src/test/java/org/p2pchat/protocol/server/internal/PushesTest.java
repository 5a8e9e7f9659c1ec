package org.p2pchat.protocol.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.codec.internal.PushMessageFlyweight;
import org.p2pchat.protocol.codec.internal.PushStateFlyweight;
import org.p2pchat.protocol.codec.internal.PushStatesFlyweight;
import org.p2pchat.protocol.internal.EventLoop;
import org.p2pchat.protocol.internal.LoopAgent;
import org.p2pchat.protocol.internal.MovableClock;
import org.p2pchat.protocol.internal.RecordingTransport;

/** Pushes go to online sessions, are retransmitted with backoff until acknowledged, and stay bounded. */
class PushesTest {
  private static final UserName ALICE = UserName.of("alice");
  private static final UserName BOB = UserName.of("bob");
  private static final ServerConfig CONFIG = ServerConfig.builder()
      .pushInitialTimeout(Duration.ofMillis(250)).pushAttempts(3).maxPendingPushes(4)
      .onlineWindow(Duration.ofSeconds(45)).build();

  /** A store no test here reaches: pushes of messages already stored need none. */
  private static final ChatStore NO_STORE = (ChatStore) Proxy.newProxyInstance(
      ChatStore.class.getClassLoader(), new Class<?>[] {ChatStore.class}, (proxy, method, args) -> {
        throw new AssertionError("the store was called: " + method.getName());
      });

  private final MovableClock clock = new MovableClock();
  private final RecordingTransport wire = new RecordingTransport(7777);
  private EventLoop loop;
  private SessionTable sessions;
  private Pushes pushes;

  @BeforeEach
  void setUp() {
    loop = new EventLoop(wire, clock, new LoopAgent() {
      @Override
      public String roleName() {
        return "test";
      }

      @Override
      public void onDatagram(ByteBuffer datagram, InetSocketAddress sender) {}
    }, 250, 0);
    sessions = new SessionTable(100, 8, 120_000);
    pushes = new Pushes(loop, sessions, NO_STORE, CONFIG, org.p2pchat.protocol.ServerMetrics.NONE);
  }

  private static InetSocketAddress address(int port) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  private static ChatMessage message(long id, UserName from, UserName to) {
    return ChatMessage.builder().id(id).sender(from).recipient(to).body("hi")
        .sentAt(Instant.ofEpochMilli(1000)).build();
  }

  private void advance(long millis) throws Exception {
    clock.advance(millis);
    loop.runOnce(0);
  }

  @Test
  void aMessageIsPushedToEveryOnlineSessionOfItsRecipientAndNoOneElse() throws Exception {
    Session phone = sessions.open(ALICE, address(40001), clock.millis());
    Session laptop = sessions.open(ALICE, address(40002), clock.millis());
    Session stale = sessions.open(ALICE, address(40003), clock.millis() - 50_000);
    sessions.open(BOB, address(40004), clock.millis());
    pushes.pushMessage(message(7, BOB, ALICE));
    List<RecordingTransport.Sent> sent = wire.take();
    assertThat(sent).extracting(RecordingTransport.Sent::to)
        .containsExactlyInAnyOrder(phone.address, laptop.address);
    PushMessageFlyweight push = new PushMessageFlyweight().wrap(ByteBuffer.wrap(sent.get(0).bytes()));
    assertThat(push.messageId()).isEqualTo(7);
    assertThat(push.sender()).isEqualTo("bob");
    assertThat(pushes.size()).isEqualTo(2);
  }

  @Test
  void anUnacknowledgedPushIsResentWithDoublingTimeoutsThenGivenUp() throws Exception {
    sessions.open(ALICE, address(40001), clock.millis());
    pushes.pushMessage(message(7, BOB, ALICE));
    assertThat(wire.take()).hasSize(1);
    advance(249);
    assertThat(wire.take()).isEmpty();
    advance(1);
    assertThat(wire.take()).as("second attempt after 250 ms").hasSize(1);
    advance(499);
    assertThat(wire.take()).isEmpty();
    advance(1);
    assertThat(wire.take()).as("third attempt 500 ms later").hasSize(1);
    advance(10_000);
    assertThat(wire.take()).as("no fourth attempt").isEmpty();
    assertThat(pushes.size()).isZero();
  }

  @Test
  void anAcknowledgedPushIsNotResentAndAnAckFromAnotherSessionChangesNothing() throws Exception {
    Session phone = sessions.open(ALICE, address(40001), clock.millis());
    Session other = sessions.open(BOB, address(40002), clock.millis());
    pushes.pushMessage(message(7, BOB, ALICE));
    long pushId = new PushMessageFlyweight().wrap(ByteBuffer.wrap(wire.take().get(0).bytes())).requestId();
    assertThat(pushes.acknowledged(pushId, other)).isNull();
    Pushes.Pending acked = pushes.acknowledged(pushId, phone);
    assertThat(acked.isMessage).isTrue();
    assertThat(acked.message.id()).isEqualTo(7);
    assertThat(pushes.acknowledged(pushId, phone)).as("a second ack").isNull();
    advance(10_000);
    assertThat(wire.take()).isEmpty();
  }

  @Test
  void aPushToASessionThatEndedIsGivenUp() throws Exception {
    Session phone = sessions.open(ALICE, address(40001), clock.millis());
    pushes.pushMessage(message(7, BOB, ALICE));
    wire.take();
    sessions.close(phone);
    advance(250);
    assertThat(wire.take()).isEmpty();
    assertThat(pushes.size()).isZero();
  }

  @Test
  void aStateGoesToTheSendersOnlineSessions() throws Exception {
    Session bob = sessions.open(BOB, address(40002), clock.millis());
    pushes.pushStates(List.of(message(7, BOB, ALICE)), DeliveryState.READ);
    List<RecordingTransport.Sent> sent = wire.take();
    assertThat(sent).singleElement().satisfies(s -> assertThat(s.to()).isEqualTo(bob.address));
    PushStateFlyweight state = new PushStateFlyweight().wrap(ByteBuffer.wrap(sent.get(0).bytes()));
    assertThat(state.messageId()).isEqualTo(7);
    assertThat(state.state()).isEqualTo(DeliveryState.READ.code());
    assertThat(state.recipient()).isEqualTo("alice");
  }

  @Test
  void aPassOfStatesForABatchingSessionGoesOutInAsFewPushStatesAsFitTheDatagramAndTheirCount() throws Exception {
    Pushes roomy = new Pushes(loop, sessions, NO_STORE, ServerConfig.builder().from(CONFIG).maxPendingPushes(100).build(),
        org.p2pchat.protocol.ServerMetrics.NONE);
    Session bob = sessions.open(BOB, address(40002), clock.millis());
    bob.batchedAcks = true;
    UserName longest = UserName.of("a" + "b".repeat(31)); // 32 characters: 42 bytes an entry, 28 to a datagram
    List<ChatMessage> toLongest = new ArrayList<>();
    List<ChatMessage> toAlice = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      toLongest.add(message(i, BOB, longest));
      toAlice.add(message(1000 + i, BOB, ALICE));
    }
    roomy.pushStates(toLongest.subList(0, 50), DeliveryState.DELIVERED);
    roomy.pushStates(toLongest.subList(50, 100), DeliveryState.DELIVERED); // the same pass
    assertThat(wire.take()).as("held until the end of the pass").isEmpty();
    loop.runOnce(0);
    assertThat(entriesPerFrame(wire.take(), 1, 100)).containsExactly(28, 28, 28, 16);

    roomy.pushStates(toAlice.subList(0, 65), DeliveryState.READ); // 15 bytes an entry: the count bounds it
    loop.runOnce(0);
    assertThat(entriesPerFrame(wire.take(), 1001, 65)).containsExactly(64, 1);
  }

  /** Checks each sent frame is a PUSH_STATES within the datagram, the ids from {@code firstId} in order. */
  private static List<Integer> entriesPerFrame(List<RecordingTransport.Sent> sent, long firstId, int total) {
    List<Integer> counts = new ArrayList<>();
    long id = firstId;
    for (RecordingTransport.Sent s : sent) {
      assertThat(s.bytes().length).isLessThanOrEqualTo(1200);
      PushStatesFlyweight f = new PushStatesFlyweight().wrap(ByteBuffer.wrap(s.bytes()));
      for (int e = f.firstEntry(), i = 0; i < f.count(); e = f.nextEntry(e), i++) {
        assertThat(f.messageId(e)).isEqualTo(id++);
      }
      counts.add(f.count());
    }
    assertThat(id - firstId).isEqualTo(total);
    return counts;
  }

  @Test
  void beyondTheBoundPushesAreNotSent() throws Exception {
    sessions.open(ALICE, address(40001), clock.millis());
    for (int i = 1; i <= 10; i++) {
      pushes.pushMessage(message(i, BOB, ALICE));
    }
    assertThat(pushes.size()).isEqualTo(CONFIG.maxPendingPushes());
    assertThat(wire.take()).hasSize(CONFIG.maxPendingPushes());
  }
}
