package org.p2pchat.protocol.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.p2pchat.protocol.e2e.ChatFixture.FAST_HASHING;
import static org.p2pchat.protocol.e2e.ChatFixture.PASSWORD;
import static org.p2pchat.protocol.e2e.ChatFixture.await;
import static org.p2pchat.protocol.e2e.ChatFixture.failureOf;
import static org.p2pchat.protocol.e2e.ChatFixture.name;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.client.ChatListener;
import org.p2pchat.api.client.PeerPath;
import org.p2pchat.api.server.ChatServer;
import org.p2pchat.protocol.ChatClients;
import org.p2pchat.protocol.ChatServers;
import org.p2pchat.protocol.ClientConfig;
import org.p2pchat.protocol.ServerMetrics;
import org.p2pchat.testing.InMemoryChatStore;

/**
 * Peer to peer end to end (docs/protocol.md section 25), over real loopback UDP with the secure
 * channel: the server introduces mutual contacts, their devices reach each other directly with
 * the server relaying nothing, messages travel both ways and show once, and a device that keeps
 * to the relay still gets a channel, through the server.
 */
class PeerToPeerTest {
  private final InMemoryChatStore store = new InMemoryChatStore();
  private final List<AutoCloseable> open = new ArrayList<>();
  private final AtomicLong relayedBytes = new AtomicLong();
  private ChatServer server;

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    store.close();
  }

  /** What a client was told. */
  private static final class Watcher implements ChatListener {
    final BlockingQueue<ChatMessage> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<String> paths = new LinkedBlockingQueue<>();

    @Override
    public void onMessage(ChatMessage message) {
      messages.add(message);
    }

    @Override
    public void onPeerPathChanged(UserName contact, long deviceId, PeerPath path) {
      paths.add(contact.value() + " " + path);
    }

    ChatMessage nextMessage() throws InterruptedException {
      ChatMessage m = messages.poll(30, TimeUnit.SECONDS);
      assertThat(m).as("a message within 30 s").isNotNull();
      return m;
    }
  }

  private void start() throws Exception {
    server = ChatServers.builder().store(store).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .config(FAST_HASHING)
        .metrics(new ServerMetrics() {
          @Override
          public void relayed(int bytes) {
            relayedBytes.addAndGet(bytes);
          }
        })
        .build();
    open.add(server);
  }

  private ChatClient registered(String user, Watcher watcher, boolean direct) throws Exception {
    ChatClient c = ChatClients.builder().server(server.localAddress()).serverKey(ChatFixture.keyOf(server))
        .config(ClientConfig.builder().directConnections(direct).build())
        .listener(watcher).build();
    open.add(c);
    await(c.register(name(user), PASSWORD));
    await(c.login(name(user), PASSWORD, user + "'s laptop"));
    return c;
  }

  private static void befriend(ChatClient a, String aName, ChatClient b, String bName) {
    await(a.contacts().add(name(bName)));
    await(b.contacts().add(name(aName)));
  }

  @Test
  void mutualContactsConnectDirectlyAndTheServerRelaysNothing() throws Exception {
    start();
    Watcher alices = new Watcher();
    Watcher bobs = new Watcher();
    ChatClient alice = registered("alice", alices, true);
    ChatClient bob = registered("bob", bobs, true);
    befriend(alice, "alice", bob, "bob");

    assertThat(await(alice.peers().connect(name("bob")))).isEqualTo(PeerPath.DIRECT);
    assertThat(alices.paths.poll(10, TimeUnit.SECONDS)).isEqualTo("bob DIRECT");
    assertThat(bobs.paths.poll(10, TimeUnit.SECONDS)).isEqualTo("alice DIRECT");
    assertThat(bob.peers().path(name("alice"))).contains(PeerPath.DIRECT);

    ChatMessage sent = await(alice.send(name("bob"), "straight to you"));
    ChatMessage got = bobs.nextMessage();
    assertThat(got.id()).isEqualTo(sent.id());
    assertThat(got.body()).isEqualTo("straight to you");
    assertThat(got.sender()).isEqualTo(name("alice"));
    ChatMessage back = await(bob.send(name("alice"), "and back"));
    assertThat(alices.nextMessage().id()).isEqualTo(back.id());
    // Both copies (direct and pushed) arrived by now or soon: still one message each.
    await(alice.send(name("bob"), "fence"));
    assertThat(bobs.nextMessage().body()).isEqualTo("fence");
    assertThat(bobs.messages).isEmpty();
    assertThat(relayedBytes.get()).as("bytes the server relayed").isZero();
  }

  @Test
  void aDeviceThatKeepsToTheRelayStillGetsAChannelThroughTheServer() throws Exception {
    start();
    Watcher alices = new Watcher();
    Watcher bobs = new Watcher();
    ChatClient alice = registered("alice", alices, true);
    ChatClient bob = registered("bob", bobs, false);
    befriend(alice, "alice", bob, "bob");

    assertThat(await(alice.peers().connect(name("bob")))).isEqualTo(PeerPath.RELAYED);
    assertThat(bobs.paths.poll(10, TimeUnit.SECONDS)).isEqualTo("alice RELAYED");
    ChatMessage sent = await(alice.send(name("bob"), "through the relay"));
    assertThat(bobs.nextMessage().id()).isEqualTo(sent.id());
    assertThat(relayedBytes.get()).as("the handshake went through the relay").isPositive();
  }

  @Test
  void strangersAndOneSidedContactsAreNotIntroduced() throws Exception {
    start();
    ChatClient alice = registered("alice", new Watcher(), true);
    ChatClient bob = registered("bob", new Watcher(), true);
    assertThat(failureOf(alice.peers().connect(name("bob")))).isEqualTo(ErrorCode.PEER_UNAVAILABLE);
    await(alice.contacts().add(name("bob"))); // bob does not list alice
    assertThat(failureOf(alice.peers().connect(name("bob")))).isEqualTo(ErrorCode.PEER_UNAVAILABLE);
    await(bob.contacts().add(name("alice")));
    await(bob.logout());
    assertThat(failureOf(alice.peers().connect(name("bob")))).isEqualTo(ErrorCode.PEER_UNAVAILABLE);
  }
}
