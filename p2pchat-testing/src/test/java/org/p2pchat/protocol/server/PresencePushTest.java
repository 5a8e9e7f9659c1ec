package org.p2pchat.protocol.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.Contact;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.client.ChatListener;
import org.p2pchat.protocol.ClientConfig;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.codec.Frame;
import org.p2pchat.testing.EmbeddedServer;
import org.p2pchat.testing.InMemoryChatStore;
import org.p2pchat.testing.InMemoryPushBus;
import org.p2pchat.testing.ManualClock;

/**
 * Presence pushes (docs/protocol.md section 21) on the test's thread with a manual clock: expiry,
 * coalescing under flapping, and a change crossing from one cluster node to another.
 */
class PresencePushTest {
  private static final String PASSWORD = "correct horse battery";
  private static final ServerConfig CONFIG = ServerConfig.builder().argon2MemoryKib(64).argon2Iterations(1).build();
  private static final UserName ALICE = UserName.of("alice");
  private static final UserName BOB = UserName.of("bob");

  private final InMemoryChatStore store = new InMemoryChatStore();
  private final ManualClock clock = new ManualClock();
  private final List<EmbeddedServer> nodes = new ArrayList<>();

  @AfterEach
  void stop() {
    nodes.forEach(EmbeddedServer::close);
    store.close();
  }

  /** What a client was pushed about its contacts' presence, one line each. */
  private static final class Watcher implements ChatListener {
    final List<String> changes = new ArrayList<>();
    final List<Optional<Instant>> lastSeen = new ArrayList<>();

    @Override
    public void onMessage(ChatMessage message) {}

    @Override
    public void onPresenceChanged(UserName contact, Contact.Presence presence, Optional<Instant> seen) {
      changes.add(contact.value() + " " + presence);
      lastSeen.add(seen);
    }
  }

  private EmbeddedServer node(InMemoryPushBus bus, int port) {
    return node(bus == null ? null : bus.node(), port);
  }

  private EmbeddedServer node(org.p2pchat.api.server.PushBus bus, int port) {
    EmbeddedServer.Builder b = EmbeddedServer.builder().store(store).clock(clock).config(CONFIG)
        .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    if (bus != null) {
      b.pushBus(bus);
    }
    EmbeddedServer n = b.build();
    nodes.add(n);
    return n;
  }

  private void run() {
    int work;
    do {
      work = 0;
      for (EmbeddedServer n : nodes) {
        work += n.runPendingTasks();
      }
    } while (work > 0);
  }

  private <T> T complete(CompletableFuture<T> f) {
    run();
    assertThat(f).isDone();
    return f.join();
  }

  private ChatClient client(EmbeddedServer node, ChatListener listener) {
    return node.newClient(ClientConfig.defaults(), listener);
  }

  /** Registers alice and bob as mutual contacts, both logged out; alice's client is returned logged in. */
  private ChatClient mutualContacts(EmbeddedServer node, Watcher alices) {
    ChatClient bob = client(node, m -> { });
    complete(bob.register(BOB, PASSWORD));
    complete(bob.login(BOB, PASSWORD));
    ChatClient alice = client(node, alices);
    complete(alice.register(ALICE, PASSWORD));
    complete(alice.login(ALICE, PASSWORD));
    complete(alice.contacts().add(BOB));
    complete(bob.contacts().add(ALICE));
    complete(bob.logout());
    bob.close();
    run();
    for (int i = 0; i < 2; i++) { // past the interval of bob's logout, and of its evaluation
      clock.advance(CONFIG.presenceInterval());
      run();
    }
    alices.changes.clear();
    alices.lastSeen.clear();
    return alice;
  }

  /** Lets time pass in steps that alice's keepalives (every 20 s) fill. */
  private void pass(Duration total) {
    for (Duration left = total; !left.isNegative() && !left.isZero(); left = left.minusSeconds(5)) {
      Duration step = left.compareTo(Duration.ofSeconds(5)) < 0 ? left : Duration.ofSeconds(5);
      nodes.get(0).advanceTimeBy(step);
      run();
    }
  }

  @Test
  void aContactWhoseSessionExpiresIsPushedOfflineWithTheTimeTheServerLastHeardFromThem() {
    EmbeddedServer server = node((InMemoryPushBus) null, 7780);
    Watcher alices = new Watcher();
    ChatClient alice = mutualContacts(server, alices);

    // bob logs in from a peer that never pings again: his session expires after 120 s
    InetSocketAddress bobsPeer = EmbeddedServer.peer(9);
    long loginAt = clock.millis();
    server.offer(new Frame.Login(77, "bob", PASSWORD), bobsPeer);
    run();
    assertThat(alices.changes).containsExactly("bob ONLINE");
    assertThat(alices.lastSeen.get(0)).contains(Instant.ofEpochMilli(loginAt));
    assertThat(complete(alice.contacts().list())).extracting(Contact::presence).containsExactly(Contact.Presence.ONLINE);

    pass(Duration.ofSeconds(130));

    assertThat(alices.changes).containsExactly("bob ONLINE", "bob OFFLINE");
    assertThat(alices.lastSeen.get(1)).contains(Instant.ofEpochMilli(loginAt));
    Contact bob = complete(alice.contacts().list()).get(0);
    assertThat(bob.presence()).isEqualTo(Contact.Presence.OFFLINE);
    assertThat(bob.lastSeen()).contains(Instant.ofEpochMilli(loginAt));
  }

  @Test
  void aFlappingClientCostsEachContactAtMostOnePushPerIntervalAndTheLatestStateWins() {
    EmbeddedServer server = node((InMemoryPushBus) null, 7781);
    Watcher alices = new Watcher();
    mutualContacts(server, alices);

    ChatClient bob = client(server, m -> { });
    for (int i = 0; i < 50; i++) {
      complete(bob.login(BOB, PASSWORD));
      complete(bob.logout());
    }
    complete(bob.login(BOB, PASSWORD)); // ends online
    assertThat(alices.changes).as("the first change at once, the rest wait for the interval")
        .containsExactly("bob ONLINE");

    server.advanceTimeBy(CONFIG.presenceInterval());
    run();
    assertThat(alices.changes).as("online at the end, as before: nothing more to say").containsExactly("bob ONLINE");

    for (int i = 0; i < 50; i++) {
      complete(bob.logout());
      complete(bob.login(BOB, PASSWORD));
    }
    complete(bob.logout()); // ends offline
    server.advanceTimeBy(CONFIG.presenceInterval());
    run();
    assertThat(alices.changes).as("202 session changes, two pushes").containsExactly("bob ONLINE", "bob OFFLINE");
  }

  @Test
  void aPresenceChangeOnOneNodeReachesTheContactsOnTheOtherAndTheirContactList() {
    InMemoryPushBus bus = new InMemoryPushBus();
    EmbeddedServer one = node(bus, 7782);
    EmbeddedServer two = node(bus, 7783);
    Watcher alices = new Watcher();
    ChatClient alice = mutualContacts(one, alices);

    ChatClient bob = client(two, m -> { });
    complete(bob.login(BOB, PASSWORD));
    assertThat(alices.changes).containsExactly("bob ONLINE");
    assertThat(complete(alice.contacts().list())).extracting(Contact::presence)
        .as("node one knows from the bus that bob is up on node two").containsExactly(Contact.Presence.ONLINE);

    // bob on both nodes, leaves node one, which publishes him offline: node two, where he still
    // is, publishes him online again, and alice never sees him go
    ChatClient bobOnOne = client(one, m -> { });
    complete(bobOnOne.login(BOB, PASSWORD));
    one.advanceTimeBy(CONFIG.presenceInterval());
    run();
    complete(bobOnOne.logout());
    one.advanceTimeBy(CONFIG.presenceInterval());
    run();
    assertThat(complete(alice.contacts().list())).extracting(Contact::presence).containsExactly(Contact.Presence.ONLINE);
    assertThat(alices.changes).containsExactly("bob ONLINE");

    one.advanceTimeBy(CONFIG.presenceInterval());
    run();
    int before = alices.changes.size();
    complete(bob.logout());
    one.advanceTimeBy(CONFIG.presenceInterval());
    run();
    assertThat(alices.changes.subList(before, alices.changes.size())).containsExactly("bob OFFLINE");
    assertThat(complete(alice.contacts().list())).extracting(Contact::presence).containsExactly(Contact.Presence.OFFLINE);
  }

  @Test
  void aUserOnTwoNodesWhoHidesStaysOfflineAndTheNodesFallQuiet() {
    InMemoryPushBus bus = new InMemoryPushBus();
    List<String> published = new ArrayList<>();
    EmbeddedServer one = node(counting(bus.node(), published), 7784);
    EmbeddedServer two = node(counting(bus.node(), published), 7785);
    Watcher alices = new Watcher();
    ChatClient alice = mutualContacts(one, alices);
    ChatClient bob = client(two, m -> { });
    complete(bob.login(BOB, PASSWORD));
    ChatClient bobOnOne = client(one, m -> { });
    complete(bobOnOne.login(BOB, PASSWORD));
    for (int i = 0; i < 3; i++) {
      one.advanceTimeBy(CONFIG.presenceInterval());
      run();
    }
    // node two publishes bob offline; node one, where he is too, must not contradict a hidden user
    complete(bob.contacts().hidePresence(true));
    for (int i = 0; i < 3; i++) {
      one.advanceTimeBy(CONFIG.presenceInterval());
      run();
    }
    published.clear();
    for (int i = 0; i < 5; i++) {
      one.advanceTimeBy(CONFIG.presenceInterval());
      run();
    }
    assertThat(published).as("nothing left to say").isEmpty();
    assertThat(alices.changes).containsExactly("bob ONLINE", "bob OFFLINE");
    assertThat(complete(alice.contacts().list())).extracting(Contact::presence).containsExactly(Contact.Presence.OFFLINE);
  }

  /** {@code bus}, noting each presence change it publishes in {@code published}. */
  private static org.p2pchat.api.server.PushBus counting(org.p2pchat.api.server.PushBus bus, List<String> published) {
    return new org.p2pchat.api.server.PushBus() {
      @Override
      public void messageStored(long messageId, UserName recipient) {
        bus.messageStored(messageId, recipient);
      }

      @Override
      public void stateChanged(long messageId, UserName sender, org.p2pchat.api.DeliveryState state) {
        bus.stateChanged(messageId, sender, state);
      }

      @Override
      public void presenceChanged(UserName user, boolean online, long lastSeenMillis) {
        published.add(user.value() + " " + online);
        bus.presenceChanged(user, online, lastSeenMillis);
      }

      @Override
      public void listen(Listener listener) {
        bus.listen(listener);
      }

      @Override
      public void close() {
        bus.close();
      }
    };
  }
}
