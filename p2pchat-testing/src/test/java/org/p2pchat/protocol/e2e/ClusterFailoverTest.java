package org.p2pchat.protocol.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.p2pchat.protocol.e2e.ChatFixture.FAST_HASHING;
import static org.p2pchat.protocol.e2e.ChatFixture.PASSWORD;
import static org.p2pchat.protocol.e2e.ChatFixture.await;
import static org.p2pchat.protocol.e2e.ChatFixture.keyOf;
import static org.p2pchat.protocol.e2e.ChatFixture.name;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.ServerPublicKey;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.client.ConnectionState;
import org.p2pchat.api.server.ChatServer;
import org.p2pchat.protocol.ChatClients;
import org.p2pchat.protocol.ChatServers;
import org.p2pchat.protocol.ClientConfig;
import org.p2pchat.testing.InMemoryChatStore;
import org.p2pchat.testing.InMemoryPushBus;

/**
 * A client given the nodes of a cluster (two servers on one store and one push bus, over
 * loopback UDP, each with its own key): when its node dies it resumes on the other by itself,
 * its send made meanwhile is stored once, and what was sent to it meanwhile reaches it once.
 */
class ClusterFailoverTest {
  /** Gives up on a silent node within a few seconds. */
  private static final ClientConfig QUICK = ClientConfig.builder()
      .initialRetransmitTimeout(Duration.ofMillis(100))
      .maxRetransmitTimeout(Duration.ofMillis(400))
      .requestDeadline(Duration.ofSeconds(2))
      .reconnectMinDelay(Duration.ofMillis(100))
      .reconnectMaxDelay(Duration.ofMillis(500))
      .build();

  private final InMemoryChatStore store = new InMemoryChatStore();
  private final InMemoryPushBus bus = new InMemoryPushBus();
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    store.close();
  }

  private ChatServer node() throws Exception {
    ChatServer s = ChatServers.builder().store(store).pushBus(bus.node())
        .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).config(FAST_HASHING).build();
    open.add(s);
    return s;
  }

  private ChatClient client(ChatFixture.Inbox inbox, ChatServer first, ChatServer... others) throws Exception {
    ChatClients.Builder b = ChatClients.builder().server(first.localAddress()).serverKey(keyOf(first))
        .config(QUICK).listener(inbox);
    for (ChatServer o : others) {
      b.otherNode(o.localAddress(), keyOf(o));
    }
    ChatClient c = b.build();
    open.add(c);
    return c;
  }

  @Test
  void aClientWhoseNodeDiesResumesOnTheOtherAndLosesNothing() throws Exception {
    ChatServer one = node();
    ChatServer two = node();
    ChatFixture.Inbox alices = new ChatFixture.Inbox();
    ChatFixture.Inbox bobs = new ChatFixture.Inbox();
    ChatClient alice = client(alices, one, two);
    ChatClient bob = client(bobs, two);
    await(alice.register(name("alice"), PASSWORD));
    await(bob.register(name("bob"), PASSWORD));
    await(alice.login(name("alice"), PASSWORD, "phone"));
    await(bob.login(name("bob"), PASSWORD));
    ChatMessage before = await(alice.send(name("bob"), "before"));
    assertThat(bobs.next().id()).isEqualTo(before.id());

    one.close(); // alice's node dies
    CompletableFuture<ChatMessage> during = alice.send(name("bob"), "while her node is gone");
    ChatMessage toAlice = await(bob.send(name("alice"), "while she moves"));

    ChatMessage stored = during.get(60, TimeUnit.SECONDS);
    assertThat(alice.connectionState()).isEqualTo(ConnectionState.ONLINE);
    assertThat(bobs.next().id()).as("her queued send, stored and pushed on the other node").isEqualTo(stored.id());
    assertThat(alices.next().id()).as("caught up on the other node").isEqualTo(toAlice.id());

    ChatMessage after = await(alice.send(name("bob"), "after"));
    assertThat(bobs.next().id()).isEqualTo(after.id());
    assertThat(bobs.all).extracting(ChatMessage::body).containsExactly("before", "while her node is gone", "after");
    assertThat(alices.all).extracting(ChatMessage::id).containsExactly(toAlice.id());
  }

  @Test
  void aLoginTheFirstNodeNeverAnswersIsAnsweredByTheNext() throws Exception {
    ChatServer dead = node();
    ChatServer alive = node();
    InetSocketAddress deadAddress = dead.localAddress();
    ServerPublicKey deadKey = keyOf(dead);
    ChatClient setup = client(new ChatFixture.Inbox(), alive);
    await(setup.register(name("carol"), PASSWORD));
    dead.close();

    ChatClient carol = ChatClients.builder().server(deadAddress).serverKey(deadKey)
        .otherNode(alive.localAddress(), keyOf(alive)).config(QUICK).build();
    open.add(carol);
    await(carol.login(name("carol"), PASSWORD)); // the dead node times out, the next one answers
    assertThat(carol.user()).contains(name("carol"));
    await(carol.send(name("carol"), "note to self"));

    ChatClient nobody = ChatClients.builder().server(deadAddress).serverKey(deadKey)
        .otherNode(deadAddress, deadKey).config(QUICK).build();
    open.add(nobody);
    assertThat(ChatFixture.failureOf(nobody.login(name("carol"), PASSWORD))).as("every node tried, none answered")
        .isEqualTo(ErrorCode.TIMEOUT);
  }
}
