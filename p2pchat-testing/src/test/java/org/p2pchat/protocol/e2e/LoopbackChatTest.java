package org.p2pchat.protocol.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.p2pchat.protocol.e2e.ChatFixture.FAST_HASHING;
import static org.p2pchat.protocol.e2e.ChatFixture.PASSWORD;
import static org.p2pchat.protocol.e2e.ChatFixture.await;
import static org.p2pchat.protocol.e2e.ChatFixture.failureOf;
import static org.p2pchat.protocol.e2e.ChatFixture.name;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.HistoryPage;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.server.ChatServer;
import org.p2pchat.protocol.ChatClients;
import org.p2pchat.protocol.ChatServers;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.testing.InMemoryChatStore;

/** The product's flows over real loopback UDP. */
class LoopbackChatTest {
  private final InMemoryChatStore store = new InMemoryChatStore();
  private final List<AutoCloseable> open = new ArrayList<>();
  private ChatServer server;

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    store.close();
  }

  private ChatServer startServer(ServerConfig config, Clock clock) throws IOException {
    server = ChatServers.builder()
        .store(store)
        .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .config(config)
        .clock(clock)
        .build();
    open.add(server);
    return server;
  }

  private ChatClient client(ChatFixture.Inbox inbox) throws IOException {
    ChatClient c = ChatClients.builder().server(server.localAddress()).serverKey(ChatFixture.keyOf(server)).listener(inbox).build();
    open.add(c);
    return c;
  }

  private ChatClient registeredAndLoggedIn(String user, ChatFixture.Inbox inbox) throws IOException {
    ChatClient c = client(inbox);
    await(c.register(name(user), PASSWORD));
    await(c.login(name(user), PASSWORD));
    return c;
  }

  @Test
  void twoUsersRegisterLogInAndChatBothWays() throws Exception {
    startServer(FAST_HASHING, Clock.systemUTC());
    ChatFixture.Inbox aliceInbox = new ChatFixture.Inbox();
    ChatFixture.Inbox bobInbox = new ChatFixture.Inbox();
    ChatClient alice = registeredAndLoggedIn("alice", aliceInbox);
    ChatClient bob = registeredAndLoggedIn("Bob", bobInbox);

    ChatMessage sent = await(alice.send(name("bob"), "hello bob"));
    assertThat(sent.id()).isPositive();
    ChatMessage received = bobInbox.next();
    assertThat(received.id()).isEqualTo(sent.id());
    assertThat(received.sender()).isEqualTo(name("alice"));
    assertThat(received.body()).isEqualTo("hello bob");
    assertThat(aliceInbox.nextState()).isEqualTo(sent.id() + ":" + DeliveryState.DELIVERED);

    ChatMessage reply = await(bob.send(name("ALICE"), "hi alice ✓"));
    assertThat(aliceInbox.next().body()).isEqualTo("hi alice ✓");

    await(bob.markRead(List.of(sent.id())));
    assertThat(aliceInbox.nextState()).isEqualTo(sent.id() + ":" + DeliveryState.READ);

    HistoryPage page = await(alice.history(HistoryQuery.latest()));
    assertThat(page.messages()).extracting(ChatMessage::id).containsExactly(sent.id(), reply.id());
    assertThat(page.messages().get(0).state()).isEqualTo(DeliveryState.READ);
    assertThat(page.nextCursor()).isEmpty();
  }

  @Test
  void messageToOfflineUserAppearsInHistoryAndIsPushedAtLogin() throws Exception {
    startServer(FAST_HASHING, Clock.systemUTC());
    ChatClient alice = registeredAndLoggedIn("alice", new ChatFixture.Inbox());
    ChatFixture.Inbox bobs = new ChatFixture.Inbox();
    ChatClient bobDevice = client(bobs);
    await(bobDevice.register(name("bob"), PASSWORD));

    ChatMessage sent = await(alice.send(name("bob"), "while you were out"));

    await(bobDevice.login(name("bob"), PASSWORD));
    HistoryPage unread = await(bobDevice.history(HistoryQuery.builder().unreadOnly(true).build()));
    assertThat(unread.messages()).extracting(ChatMessage::body).containsExactly("while you were out");
    assertThat(unread.messages().get(0).id()).isEqualTo(sent.id());
    // Pushed at login too: delivered, or about to be, and unread either way.
    assertThat(unread.messages().get(0).state()).isIn(DeliveryState.STORED, DeliveryState.DELIVERED);
    assertThat(bobs.next().id()).isEqualTo(sent.id());
  }

  @Test
  void userLoggedInTwiceGetsThePushInBothPlaces() throws Exception {
    startServer(FAST_HASHING, Clock.systemUTC());
    ChatClient alice = registeredAndLoggedIn("alice", new ChatFixture.Inbox());
    ChatFixture.Inbox phone = new ChatFixture.Inbox();
    ChatFixture.Inbox laptop = new ChatFixture.Inbox();
    registeredAndLoggedIn("bob", phone);
    ChatClient bobLaptop = client(laptop);
    await(bobLaptop.login(name("bob"), PASSWORD));

    ChatMessage sent = await(alice.send(name("bob"), "to all your devices"));

    assertThat(phone.next().id()).isEqualTo(sent.id());
    assertThat(laptop.next().id()).isEqualTo(sent.id());
  }

  @Test
  void afterLogoutASendFailsWithNotLoggedIn() throws Exception {
    startServer(FAST_HASHING, Clock.systemUTC());
    registeredAndLoggedIn("bob", new ChatFixture.Inbox());
    ChatClient alice = registeredAndLoggedIn("alice", new ChatFixture.Inbox());

    await(alice.logout());

    assertThat(alice.user()).isEmpty();
    assertThat(failureOf(alice.send(name("bob"), "anyone?"))).isEqualTo(ErrorCode.NOT_LOGGED_IN);
  }

  @Test
  void aWrongPasswordAndAnUnknownUserGetTheSameAnswer() throws Exception {
    startServer(FAST_HASHING, Clock.systemUTC());
    ChatClient c = client(new ChatFixture.Inbox());
    await(c.register(name("alice"), PASSWORD));

    ErrorCode wrongPassword = failureOf(c.login(name("alice"), "not the password"));
    ErrorCode unknownUser = failureOf(c.login(name("mallory"), PASSWORD));

    assertThat(wrongPassword).isEqualTo(ErrorCode.INVALID_CREDENTIALS).isEqualTo(unknownUser);
  }

  @Test
  void registeringATakenNameFailsWhateverItsCase() throws Exception {
    startServer(FAST_HASHING, Clock.systemUTC());
    ChatClient c = client(new ChatFixture.Inbox());
    await(c.register(name("alice"), PASSWORD));

    assertThat(failureOf(c.register(name("ALICE"), PASSWORD))).isEqualTo(ErrorCode.NAME_TAKEN);
  }

  @Test
  void sendingToAnUnknownUserFails() throws Exception {
    startServer(FAST_HASHING, Clock.systemUTC());
    ChatClient alice = registeredAndLoggedIn("alice", new ChatFixture.Inbox());

    assertThat(failureOf(alice.send(name("nobody"), "hello?"))).isEqualTo(ErrorCode.UNKNOWN_RECIPIENT);
  }
}
