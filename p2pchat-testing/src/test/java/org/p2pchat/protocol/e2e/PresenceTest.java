package org.p2pchat.protocol.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.p2pchat.protocol.e2e.ChatFixture.FAST_HASHING;
import static org.p2pchat.protocol.e2e.ChatFixture.PASSWORD;
import static org.p2pchat.protocol.e2e.ChatFixture.await;
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
import org.p2pchat.api.Contact;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.client.ChatListener;
import org.p2pchat.api.server.ChatServer;
import org.p2pchat.protocol.ChatClients;
import org.p2pchat.protocol.ChatServers;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.testing.InMemoryChatStore;

/**
 * Presence pushes end to end (docs/protocol.md section 21), over real loopback UDP inside the
 * secure channel: mutual contacts see each other come and go, nobody else sees anything, and a
 * hidden user looks offline.
 */
class PresenceTest {
  /** A short coalescing interval, so that a login right after a logout is pushed soon. */
  private static final ServerConfig CONFIG = ServerConfig.builder().from(FAST_HASHING)
      .presenceInterval(Duration.ofMillis(50)).build();

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

  /** Messages and presence changes pushed to a client. */
  private static final class Watcher implements ChatListener {
    final BlockingQueue<ChatMessage> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<String> changes = new LinkedBlockingQueue<>();
    final List<Optional<Instant>> lastSeen = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void onMessage(ChatMessage message) {
      messages.add(message);
    }

    @Override
    public void onPresenceChanged(UserName contact, Contact.Presence presence, Optional<Instant> seen) {
      lastSeen.add(seen);
      changes.add(contact.value() + " " + presence);
    }

    String next() throws InterruptedException {
      String c = changes.poll(30, TimeUnit.SECONDS);
      assertThat(c).as("a presence change within 30 s").isNotNull();
      return c;
    }

    ChatMessage nextMessage() throws InterruptedException {
      ChatMessage m = messages.poll(30, TimeUnit.SECONDS);
      assertThat(m).as("a message within 30 s").isNotNull();
      return m;
    }
  }

  private void start() throws Exception {
    server = ChatServers.builder().store(store).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .config(CONFIG).build();
    open.add(server);
  }

  private ChatClient client(Watcher watcher) throws Exception {
    ChatClient c = ChatClients.builder().server(server.localAddress()).serverKey(ChatFixture.keyOf(server))
        .listener(watcher).build();
    open.add(c);
    return c;
  }

  private ChatClient registered(String user, Watcher watcher) throws Exception {
    ChatClient c = client(watcher);
    await(c.register(name(user), PASSWORD));
    await(c.login(name(user), PASSWORD));
    return c;
  }

  @Test
  void mutualContactsSeeAUserComeOnlineAndGoOfflineAndNobodyElseSeesAnything() throws Exception {
    start();
    Watcher alices = new Watcher();
    Watcher carols = new Watcher();
    Watcher daves = new Watcher();
    ChatClient alice = registered("alice", alices);
    ChatClient carol = registered("carol", carols);
    registered("dave", daves);
    Watcher bobs = new Watcher();
    ChatClient bob = registered("bob", bobs);
    await(alice.contacts().add(name("bob")));
    await(bob.contacts().add(name("alice")));
    // Mutual now: each, online, is shown to the other at once.
    assertThat(alices.next()).isEqualTo("bob ONLINE");
    assertThat(bobs.next()).isEqualTo("alice ONLINE");
    await(carol.contacts().add(name("bob"))); // bob does not list carol: not mutual
    await(bob.logout());
    assertThat(alices.next()).isEqualTo("bob OFFLINE");

    await(bob.login(name("bob"), PASSWORD));
    assertThat(alices.next()).isEqualTo("bob ONLINE");
    Instant before = Instant.now();
    await(bob.logout());
    assertThat(alices.next()).isEqualTo("bob OFFLINE");
    assertThat(alices.lastSeen.get(alices.lastSeen.size() - 1)).hasValueSatisfying(
        t -> assertThat(t).isBetween(before.minusSeconds(5), Instant.now()));
    Contact listed = await(alice.contacts().list()).get(0);
    assertThat(listed.presence()).isEqualTo(Contact.Presence.OFFLINE);
    assertThat(listed.lastSeen()).isEqualTo(alices.lastSeen.get(alices.lastSeen.size() - 1));

    // A marker after every push: a message to carol and dave, each, arrives after what came before.
    await(bob.login(name("bob"), PASSWORD));
    assertThat(alices.next()).isEqualTo("bob ONLINE");
    await(bob.send(name("carol"), "marker"));
    await(bob.send(name("dave"), "marker"));
    carols.nextMessage();
    daves.nextMessage();
    assertThat(carols.changes).isEmpty();
    assertThat(daves.changes).isEmpty();
    assertThat(await(carol.contacts().list())).extracting(Contact::presence).containsExactly(Contact.Presence.UNKNOWN);
  }

  @Test
  void aHiddenUserLooksOfflineInPushesAndInTheListAsOneWhoLoggedOutThen() throws Exception {
    start();
    Watcher alices = new Watcher();
    ChatClient alice = registered("alice", alices);
    ChatClient bob = registered("bob", new Watcher());
    ChatClient carol = registered("carol", new Watcher());
    for (ChatClient other : List.of(bob, carol)) {
      await(alice.contacts().add(other == bob ? name("bob") : name("carol")));
      await(other.contacts().add(name("alice")));
    }
    assertThat(List.of(alices.next(), alices.next())).as("shown when they became mutual")
        .containsExactly("bob ONLINE", "carol ONLINE");
    await(carol.logout()); // the genuinely offline contact to compare with
    assertThat(alices.next()).isEqualTo("carol OFFLINE");

    await(bob.contacts().hidePresence(true));
    assertThat(alices.next()).isEqualTo("bob OFFLINE");
    List<Contact> mine = await(alice.contacts().list());
    assertThat(mine).extracting(Contact::presence).containsExactly(Contact.Presence.OFFLINE, Contact.Presence.OFFLINE);
    assertThat(mine).allSatisfy(c -> assertThat(c.lastSeen()).isPresent());

    // bob's sessions come and go: nothing shows
    await(bob.logout());
    await(bob.login(name("bob"), PASSWORD));
    await(bob.send(name("alice"), "marker"));
    alices.nextMessage();
    assertThat(alices.changes).isEmpty();
    assertThat(await(alice.contacts().list()).get(0).presence()).isEqualTo(Contact.Presence.OFFLINE);

    // the setting is kept by the server, not the session
    ChatClient bobAgain = client(new Watcher());
    await(bobAgain.login(name("bob"), PASSWORD));
    assertThat(await(alice.contacts().list()).get(0).presence()).isEqualTo(Contact.Presence.OFFLINE);

    await(bob.contacts().hidePresence(false));
    assertThat(alices.next()).isEqualTo("bob ONLINE");
    assertThat(await(alice.contacts().list()).get(0).presence()).isEqualTo(Contact.Presence.ONLINE);
  }

  @Test
  void becomingMutualContactsShowsOnlyWhoIsOnlineAndNotHidden() throws Exception {
    start();
    Watcher alices = new Watcher();
    Watcher bobs = new Watcher();
    ChatClient alice = registered("alice", alices);
    ChatClient bob = registered("bob", bobs);
    ChatClient carol = registered("carol", new Watcher());
    await(carol.contacts().hidePresence(true));
    await(carol.contacts().add(name("alice")));
    await(alice.contacts().add(name("carol"))); // mutual, but carol hides
    await(alice.contacts().add(name("bob"))); // not mutual yet: nothing

    await(bob.send(name("alice"), "marker"));
    alices.nextMessage();
    assertThat(alices.changes).as("a hidden contact and a one-sided add show nothing").isEmpty();

    await(bob.contacts().add(name("alice")));
    assertThat(alices.next()).isEqualTo("bob ONLINE");
    assertThat(bobs.next()).isEqualTo("alice ONLINE");

    // A repeated add changes nothing and shows nothing; an unblock that makes them mutual again shows them.
    await(bob.contacts().add(name("alice")));
    await(bob.contacts().block(name("alice")));
    await(bob.contacts().unblock(name("alice")));
    assertThat(alices.next()).isEqualTo("bob ONLINE");
    assertThat(bobs.next()).isEqualTo("alice ONLINE");
    await(bob.contacts().unblock(name("alice"))); // not blocked: nothing
    await(bob.send(name("alice"), "marker"));
    await(alice.send(name("bob"), "marker"));
    alices.nextMessage();
    bobs.nextMessage();
    assertThat(alices.changes).isEmpty();
    assertThat(bobs.changes).isEmpty();
  }
}
