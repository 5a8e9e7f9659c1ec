package org.p2pchat.protocol.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.HistoryPage;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.client.ChatListener;
import org.p2pchat.protocol.ClientConfig;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.testing.EmbeddedServer;
import org.p2pchat.testing.InMemoryChatStore;
import org.p2pchat.testing.InMemoryPushBus;
import org.p2pchat.testing.ManualClock;

/**
 * Two server nodes on one store and one push bus, on the test's thread: a message stored on one
 * node is pushed to the recipient's session on the other, read from the store, once; its
 * delivery and reading travel back to the sender's node the same way.
 */
class ClusterPushTest {
  private static final String PASSWORD = "correct horse battery";
  private static final ServerConfig CONFIG = ServerConfig.builder().argon2MemoryKib(64).argon2Iterations(1).build();

  private final InMemoryChatStore memory = new InMemoryChatStore();
  /** History reads held back while {@link #holdReads} is set, for the test to complete in any order. */
  private final List<CompletableFuture<HistoryPage>> heldReads = new ArrayList<>();
  private boolean holdReads;
  private final ChatStore store = (ChatStore) Proxy.newProxyInstance(ChatStore.class.getClassLoader(),
      new Class<?>[] {ChatStore.class}, (proxy, method, args) -> {
        Object result;
        try {
          result = method.invoke(memory, args);
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
        if (holdReads && method.getName().equals("history")) {
          CompletableFuture<HistoryPage> held = new CompletableFuture<>();
          @SuppressWarnings("unchecked")
          CompletableFuture<HistoryPage> page = (CompletableFuture<HistoryPage>) result;
          heldReads.add(held);
          return page.thenCompose(p -> held.thenApply(x -> p));
        }
        return result;
      });
  private final InMemoryPushBus bus = new InMemoryPushBus();
  private final ManualClock clock = new ManualClock();
  private final EmbeddedServer one = node(7777);
  private final EmbeddedServer two = node(7778);

  private EmbeddedServer node(int port) {
    return EmbeddedServer.builder().store(store).pushBus(bus.node()).clock(clock)
        .address(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port)).config(CONFIG).build();
  }

  @AfterEach
  void stop() {
    one.close();
    two.close();
    memory.close();
  }

  /** Runs both nodes until neither has anything left to do. */
  private void run() {
    while (one.runPendingTasks() + two.runPendingTasks() > 0) {
      // a push crosses to the other node and its ack comes back: go round until both are idle
    }
  }

  private <T> T complete(CompletableFuture<T> f) {
    run();
    assertThat(f).isDone();
    return f.join();
  }

  /** A client's view: messages pushed to it, and state changes of what it sent. */
  private static final class Inbox implements ChatListener {
    final List<ChatMessage> messages = new ArrayList<>();
    final List<String> states = new ArrayList<>();

    @Override
    public void onMessage(ChatMessage message) {
      messages.add(message);
    }

    @Override
    public void onStateChanged(long messageId, UserName recipient, DeliveryState state) {
      states.add(messageId + " " + state);
    }
  }

  private ChatClient loggedIn(EmbeddedServer node, String name, Inbox inbox) {
    ChatClient c = node.newClient(ClientConfig.defaults(), inbox);
    complete(c.register(UserName.of(name), PASSWORD));
    complete(c.login(UserName.of(name), PASSWORD));
    return c;
  }

  @Test
  void aMessageStoredOnOneNodeIsPushedOnceToTheRecipientOnTheOtherAndItsStatesComeBack() {
    Inbox alices = new Inbox();
    Inbox bobs = new Inbox();
    ChatClient alice = loggedIn(one, "alice", alices);
    ChatClient bob = loggedIn(two, "bob", bobs);

    ChatMessage sent = complete(alice.send(UserName.of("bob"), "across nodes"));
    run();

    assertThat(bobs.messages).singleElement().satisfies(m -> {
      assertThat(m.id()).isEqualTo(sent.id());
      assertThat(m.body()).isEqualTo("across nodes");
      assertThat(m.sender()).isEqualTo(UserName.of("alice"));
    });
    assertThat(alices.states).containsExactly(sent.id() + " DELIVERED");

    complete(bob.markRead(List.of(sent.id())));
    run();
    assertThat(alices.states).containsExactly(sent.id() + " DELIVERED", sent.id() + " READ");
    assertThat(bobs.messages).hasSize(1);
  }

  @Test
  void readsThatFinishOutOfOrderArePushedInTheOrderTheMessagesWereStored() {
    Inbox bobs = new Inbox();
    ChatClient alice = loggedIn(one, "alice", new Inbox());
    loggedIn(two, "bob", bobs);
    holdReads = true;

    ChatMessage first = complete(alice.send(UserName.of("bob"), "first"));
    ChatMessage second = complete(alice.send(UserName.of("bob"), "second"));
    assertThat(heldReads).hasSize(2);
    heldReads.get(1).complete(null);
    run();
    assertThat(bobs.messages).as("the second waits for the first").isEmpty();
    heldReads.get(0).complete(null);
    run();

    // Pushed in event order, so the client shows them in the order they were sent.
    assertThat(bobs.messages).extracting(ChatMessage::id).containsExactly(first.id(), second.id());
  }

  @Test
  void aRecipientWithSessionsOnBothNodesGetsTheMessageOnEach() {
    Inbox alices = new Inbox();
    Inbox bobOnOne = new Inbox();
    Inbox bobOnTwo = new Inbox();
    ChatClient alice = loggedIn(one, "alice", alices);
    loggedIn(one, "bob", bobOnOne);
    ChatClient second = two.newClient(ClientConfig.defaults(), bobOnTwo);
    complete(second.login(UserName.of("bob"), PASSWORD));

    ChatMessage sent = complete(alice.send(UserName.of("bob"), "to every device"));
    run();

    assertThat(bobOnOne.messages).extracting(ChatMessage::id).containsExactly(sent.id());
    assertThat(bobOnTwo.messages).extracting(ChatMessage::id).containsExactly(sent.id());
    assertThat(alices.states).containsExactly(sent.id() + " DELIVERED");
  }
}
