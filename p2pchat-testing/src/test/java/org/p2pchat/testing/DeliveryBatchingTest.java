package org.p2pchat.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.client.ChatListener;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.protocol.ClientConfig;
import org.p2pchat.protocol.ServerConfig;

/**
 * Delivery acknowledgements reach the store in bursts: the PUSH_ACKs of one loop pass are one
 * {@code markDelivered} per recipient, not one store write each, and still every message is
 * marked delivered once and its sender told once.
 */
class DeliveryBatchingTest {
  private static final String PASSWORD = "correct horse battery";
  private static final ServerConfig SERVER = ServerConfig.builder()
      .argon2MemoryKib(64).argon2Iterations(1).build();
  private static final int MESSAGES = 40;

  private final InMemoryChatStore memory = new InMemoryChatStore();
  private final AtomicInteger markDeliveredCalls = new AtomicInteger();
  private final List<Integer> idsPerCall = new ArrayList<>();
  /** The in-memory store, counting markDelivered calls (a proxy: new store facets pass through). */
  private final ChatStore counting = (ChatStore) Proxy.newProxyInstance(
      ChatStore.class.getClassLoader(), new Class<?>[] {ChatStore.class}, (proxy, method, args) -> {
        if (method.getName().equals("markDelivered")) {
          markDeliveredCalls.incrementAndGet();
          idsPerCall.add(((Collection<?>) args[1]).size());
        }
        try {
          return method.invoke(memory, args);
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
      });
  private final EmbeddedServer server = EmbeddedServer.builder().store(counting).config(SERVER).build();

  @AfterEach
  void stop() {
    server.close();
  }

  private <T> T complete(CompletableFuture<T> future) {
    server.runPendingTasks();
    assertThat(future).as("completed within the pending tasks").isDone();
    return future.join();
  }

  private ChatClient loggedIn(String name, ChatListener listener) {
    ChatClient c = server.newClient(ClientConfig.defaults(), listener);
    complete(c.register(UserName.of(name), PASSWORD));
    complete(c.login(UserName.of(name), PASSWORD));
    return c;
  }

  @Test
  void aPassOfPushesIsAcknowledgedInOneDatagramAndItsStatesComeBackInOne() {
    Map<String, Integer> datagrams = new TreeMap<>();
    Map<Integer, String> names = Map.of(0x08, "PUSH_ACK", 0x25, "FEATURES", 0x26, "PUSH_ACKS",
        0x82, "PUSH_MESSAGE", 0x83, "PUSH_STATE", 0x8a, "PUSH_STATES");
    server.tap = (bytes, toServer) -> datagrams.merge(names.getOrDefault(bytes[3] & 0xff, "other"), 1, Integer::sum);
    List<Long> delivered = new ArrayList<>();
    ChatClient alice = loggedIn("alice", new ChatListener() {
      @Override
      public void onMessage(ChatMessage message) {}

      @Override
      public void onStateChanged(long messageId, UserName recipient, DeliveryState state) {
        delivered.add(messageId);
      }
    });
    List<ChatMessage> bobs = new ArrayList<>();
    loggedIn("bob", bobs::add);
    assertThat(datagrams).as("each session agreed on batching").containsEntry("FEATURES", 2);
    datagrams.clear();

    List<CompletableFuture<ChatMessage>> sends = new ArrayList<>();
    for (int i = 0; i < MESSAGES; i++) {
      sends.add(alice.send(UserName.of("bob"), "message " + i));
    }
    server.runPendingTasks();
    server.advanceTimeBy(Duration.ofSeconds(1));
    List<Long> sent = sends.stream().map(CompletableFuture::join).map(ChatMessage::id).toList();

    assertThat(bobs).extracting(ChatMessage::id).containsExactlyElementsOf(sent);
    assertThat(delivered).as("each delivery told once").containsExactlyInAnyOrderElementsOf(sent);
    assertThat(datagrams).as("one PUSH_MESSAGE a message, but acks and states many to a datagram")
        .containsEntry("PUSH_MESSAGE", MESSAGES).doesNotContainKey("PUSH_STATE");
    int acks = datagrams.getOrDefault("PUSH_ACKS", 0) + datagrams.getOrDefault("PUSH_ACK", 0);
    assertThat(acks).as("bob's acks of %s messages, and alice's of their states", MESSAGES).isBetween(2, 4);
    assertThat(datagrams.getOrDefault("PUSH_STATES", 0)).isBetween(1, 2);
  }

  @Test
  void aBurstOfPushAcksIsFewStoreWritesAndEveryMessageIsDeliveredAndReportedOnce() {
    List<Long> delivered = new ArrayList<>();
    ChatClient alice = loggedIn("alice", new ChatListener() {
      @Override
      public void onMessage(ChatMessage message) {}

      @Override
      public void onStateChanged(long messageId, UserName recipient, DeliveryState state) {
        if (state == DeliveryState.DELIVERED) {
          delivered.add(messageId);
        }
      }
    });
    List<ChatMessage> bobs = new ArrayList<>();
    loggedIn("bob", bobs::add);
    List<CompletableFuture<ChatMessage>> sends = new ArrayList<>();
    for (int i = 0; i < MESSAGES; i++) {
      sends.add(alice.send(UserName.of("bob"), "message " + i));
    }
    server.runPendingTasks();
    server.advanceTimeBy(Duration.ofSeconds(1));
    List<Long> sent = sends.stream().map(CompletableFuture::join).map(ChatMessage::id).toList();

    assertThat(bobs).extracting(ChatMessage::id).containsExactlyElementsOf(sent);
    assertThat(delivered).as("each sender hears of each delivery once").containsExactlyInAnyOrderElementsOf(sent);
    assertThat(idsPerCall.stream().mapToInt(Integer::intValue).sum()).isEqualTo(MESSAGES);
    assertThat(markDeliveredCalls.get()).as("acks of one pass share one store write")
        .isLessThanOrEqualTo(MESSAGES / 4);
    List<ChatMessage> stored = memory.history(UserName.of("bob"),
        org.p2pchat.api.HistoryQuery.builder().limit(100).build()).join().messages();
    assertThat(stored).extracting(ChatMessage::state).containsOnly(DeliveryState.DELIVERED);
  }
}
