package org.p2pchat.protocol.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.p2pchat.protocol.e2e.ChatFixture.FAST_HASHING;
import static org.p2pchat.protocol.e2e.ChatFixture.PASSWORD;
import static org.p2pchat.protocol.e2e.ChatFixture.await;
import static org.p2pchat.protocol.e2e.ChatFixture.failureOf;
import static org.p2pchat.protocol.e2e.ChatFixture.name;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.Room;
import org.p2pchat.api.RoomMessage;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.client.ChatListener;
import org.p2pchat.api.client.ConnectionState;
import org.p2pchat.api.client.CredentialStore;
import org.p2pchat.api.client.DeviceCredential;
import org.p2pchat.api.server.ChatServer;
import org.p2pchat.protocol.ChatClients;
import org.p2pchat.protocol.ChatServers;
import org.p2pchat.testing.InMemoryChatStore;
import org.p2pchat.testing.ManualClock;

/**
 * Account deletion end to end (docs/protocol.md section 22), over real loopback UDP inside the
 * secure channel: a user with two devices deletes the account from one.
 */
class AccountDeletionTest {
  private final InMemoryChatStore store = new InMemoryChatStore();
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T10:00:00Z"));
  private final List<AutoCloseable> open = new ArrayList<>();
  private ChatServer server;

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    store.close();
  }

  /** A listener that records the connection states it hears. */
  static final class States implements ChatListener {
    final BlockingQueue<ConnectionState> states = new LinkedBlockingQueue<>();

    @Override
    public void onMessage(ChatMessage message) {}

    @Override
    public void onConnectionStateChanged(ConnectionState state, Optional<Instant> nextAttempt) {
      states.add(state);
    }

    void awaitState(ConnectionState wanted) throws InterruptedException {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < end) {
        ConnectionState s = states.poll(100, TimeUnit.MILLISECONDS);
        if (s == wanted) {
          return;
        }
      }
      throw new AssertionError("never heard " + wanted);
    }
  }

  private void start() throws Exception {
    server = ChatServers.builder().store(store).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .config(FAST_HASHING).clock(clock).build();
    open.add(server);
  }

  private ChatClient client(CredentialStore credentials, ChatListener listener) throws Exception {
    ChatClient c = ChatClients.builder().server(server.localAddress()).serverKey(ChatFixture.keyOf(server))
        .listener(listener).credentials(credentials).build();
    open.add(c);
    return c;
  }

  private ChatClient user(String name) throws Exception {
    ChatClient c = client(CredentialStore.inMemory(), new ChatFixture.Inbox());
    await(c.register(name(name), PASSWORD));
    await(c.login(name(name), PASSWORD));
    return c;
  }

  @Test
  void afterDeletionNoDeviceCanLogInOrResumeAndTheOtherSessionsEnd() throws Exception {
    start();
    ChatClient bob = user("bob");
    CredentialStore laptopCredentials = CredentialStore.inMemory();
    CredentialStore phoneCredentials = CredentialStore.inMemory();
    States laptopHeard = new States();
    States phoneHeard = new States();
    ChatClient laptop = client(laptopCredentials, laptopHeard);
    await(laptop.register(name("alice"), PASSWORD));
    await(laptop.login(name("alice"), PASSWORD, "laptop"));
    ChatClient phone = client(phoneCredentials, phoneHeard);
    await(phone.login(name("alice"), PASSWORD, "phone"));
    DeviceCredential phoneCredential = phoneCredentials.load().orElseThrow();

    await(bob.send(name("alice"), "hi alice"));
    await(phone.send(name("bob"), "hi bob"));
    await(bob.send(name("bob"), "note to self, stays"));
    Room room = await(laptop.rooms().create("team"));
    await(laptop.rooms().add(room.id(), name("bob")));
    await(laptop.rooms().send(room.id(), "from alice"));
    await(bob.rooms().send(room.id(), "from bob"));
    assertThat(await(laptop.account()).name()).isEqualTo(name("alice"));

    assertThat(failureOf(laptop.deleteAccount("not the password"))).isEqualTo(ErrorCode.INVALID_CREDENTIALS);
    assertThat(laptop.connectionState()).isEqualTo(ConnectionState.ONLINE);

    await(laptop.deleteAccount(PASSWORD));

    laptopHeard.awaitState(ConnectionState.OFFLINE);
    assertThat(laptop.user()).isEmpty();
    assertThat(laptopCredentials.load()).as("the deleting device forgets its credential").isEmpty();
    assertThat(failureOf(laptop.resume())).isEqualTo(ErrorCode.NOT_LOGGED_IN);

    // The phone's session ended with the deletion: its next request is refused, and its
    // credential, whose device is gone, resumes nothing.
    assertThat(failureOf(phone.history(HistoryQuery.latest()))).isEqualTo(ErrorCode.NOT_LOGGED_IN);
    phoneHeard.awaitState(ConnectionState.CREDENTIAL_REVOKED);
    assertThat(phoneCredentials.load()).isEmpty();

    CredentialStore copied = CredentialStore.inMemory();
    copied.save(phoneCredential);
    ChatClient stolen = client(copied, new ChatFixture.Inbox());
    assertThat(failureOf(stolen.resume())).isEqualTo(ErrorCode.CREDENTIAL_REVOKED);
    ChatClient again = client(CredentialStore.inMemory(), new ChatFixture.Inbox());
    assertThat(failureOf(again.login(name("alice"), PASSWORD))).isEqualTo(ErrorCode.INVALID_CREDENTIALS);
    assertThat(failureOf(again.login(name("alice"), PASSWORD, "tablet"))).isEqualTo(ErrorCode.INVALID_CREDENTIALS);

    // The messages policy: one-to-one both ways and the room messages alice sent are gone; the
    // room passed to bob, its oldest remaining member.
    assertThat(await(bob.history(HistoryQuery.latest())).messages()).extracting(ChatMessage::body)
        .containsExactly("note to self, stays");
    assertThat(await(bob.rooms().history(room.id(), HistoryQuery.latest())).messages())
        .extracting(RoomMessage::body).containsExactly("from bob");
    assertThat(await(bob.rooms().list())).singleElement().satisfies(r -> {
      assertThat(r.owner()).isEqualTo(name("bob"));
      assertThat(r.memberCount()).isEqualTo(1);
    });
    assertThat(failureOf(bob.send(name("alice"), "are you there?"))).isEqualTo(ErrorCode.UNKNOWN_RECIPIENT);
    assertThat(failureOf(again.register(name("alice"), PASSWORD))).isEqualTo(ErrorCode.NAME_TAKEN);
  }

  @Test
  void theNameReturnsOnlyAfterItsQuarantineAsANewEmptyAccount() throws Exception {
    start();
    ChatClient bob = user("bob");
    ChatClient alice = user("alice");
    await(bob.send(name("alice"), "old news"));
    await(alice.contacts().add(name("bob")));

    await(alice.deleteAccount(PASSWORD));

    ChatClient newcomer = client(CredentialStore.inMemory(), new ChatFixture.Inbox());
    clock.advance(Duration.ofDays(30).minusSeconds(1));
    assertThat(failureOf(newcomer.register(name("Alice"), PASSWORD + "!"))).isEqualTo(ErrorCode.NAME_TAKEN);
    clock.advance(Duration.ofSeconds(1));
    await(newcomer.register(name("Alice"), PASSWORD + "!"));

    await(newcomer.login(name("alice"), PASSWORD + "!"));
    assertThat(await(newcomer.history(HistoryQuery.latest())).messages()).isEmpty();
    assertThat(await(newcomer.contacts().list())).isEmpty();
    assertThat(await(newcomer.account()).createdAt()).isEqualTo(clock.instant());
    assertThat(failureOf(bob.login(name("alice"), PASSWORD))).as("the old password is gone")
        .isEqualTo(ErrorCode.INVALID_CREDENTIALS);
  }

  @Test
  void wrongPasswordsForADeletionCountAsFailedLoginsAndAreRateLimited() throws Exception {
    start();
    ChatClient alice = user("alice");
    for (int i = 0; i < FAST_HASHING.loginAttemptsPerAccount(); i++) {
      assertThat(failureOf(alice.deleteAccount("guess " + i))).isEqualTo(ErrorCode.INVALID_CREDENTIALS);
    }
    assertThat(failureOf(alice.deleteAccount(PASSWORD))).as("even the right one, within the window")
        .isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(alice.connectionState()).isEqualTo(ConnectionState.ONLINE);
    assertThat(await(alice.account()).name()).isEqualTo(name("alice"));

    clock.advance(FAST_HASHING.loginWindow());
    await(alice.deleteAccount(PASSWORD));
    assertThat(alice.user()).isEmpty();
  }
}
