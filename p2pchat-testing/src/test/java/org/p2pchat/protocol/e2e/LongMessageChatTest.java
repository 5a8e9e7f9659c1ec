package org.p2pchat.protocol.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.p2pchat.protocol.e2e.ChatFixture.FAST_HASHING;
import static org.p2pchat.protocol.e2e.ChatFixture.PASSWORD;
import static org.p2pchat.protocol.e2e.ChatFixture.await;
import static org.p2pchat.protocol.e2e.ChatFixture.failureOf;
import static org.p2pchat.protocol.e2e.ChatFixture.keyOf;
import static org.p2pchat.protocol.e2e.ChatFixture.name;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.ProtocolLimits;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.server.ChatServer;
import org.p2pchat.api.transport.Transport;
import org.p2pchat.protocol.ChatClients;
import org.p2pchat.protocol.ChatServers;
import org.p2pchat.protocol.ClientConfig;
import org.p2pchat.testing.FaultInjectingTransport;
import org.p2pchat.testing.InMemoryChatStore;
import org.p2pchat.testing.InMemoryNetwork;

/**
 * Long messages (docs/protocol.md section 23) through the SDK: bodies around the part
 * boundaries and up to 64 KiB, characters cut by a boundary, sent over real UDP with the secure
 * channel and through a lossy network; each arrives whole, once, pushed or from history.
 */
class LongMessageChatTest {
  private static final ClientConfig PATIENT = ClientConfig.builder()
      .initialRetransmitTimeout(Duration.ofMillis(50))
      .minRetransmitTimeout(Duration.ofMillis(20))
      .maxRetransmitTimeout(Duration.ofMillis(400))
      .maxAttempts(30)
      .requestDeadline(Duration.ofSeconds(30))
      .build();

  /** Bodies at and around the part boundaries, and characters that straddle one. */
  static List<String> bodies() {
    return List.of(
        "x".repeat(1000),
        "x".repeat(1001),
        "y".repeat(2000),
        "a".repeat(999) + "é" + "b".repeat(500), // é is bytes 999 and 1000: parts 0 and 1
        "a".repeat(1998) + "😀" + "c".repeat(100), // the emoji is bytes 1998 to 2001
        "€".repeat(21_845), // 65535 bytes, three-byte characters cut at every boundary
        "z".repeat(ProtocolLimits.MAX_LONG_BODY_BYTES));
  }

  @Test
  void longMessagesOverRealUdpArriveWholeOnceToAnOnlineRecipientAndFromHistoryToAnOfflineOne() throws Exception {
    InMemoryChatStore store = new InMemoryChatStore();
    ChatFixture.Inbox bobInbox = new ChatFixture.Inbox();
    ChatFixture.Inbox carolInbox = new ChatFixture.Inbox();
    try (ChatServer server = ChatServers.builder().store(store)
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).config(FAST_HASHING).build();
         ChatClient alice = udpClient(server, new ChatFixture.Inbox());
         ChatClient bob = udpClient(server, bobInbox);
         ChatClient carol = udpClient(server, carolInbox)) {
      for (var c : Map.of(alice, "alice", bob, "bob", carol, "carol").entrySet()) {
        await(c.getKey().register(name(c.getValue()), PASSWORD));
      }
      await(alice.login(name("alice"), PASSWORD, "laptop"));
      await(bob.login(name("bob"), PASSWORD, "phone"));

      List<ChatMessage> sent = new ArrayList<>();
      for (String body : bodies()) {
        ChatMessage m = await(alice.send(name("bob"), body));
        assertThat(m.body()).isEqualTo(body);
        sent.add(m);
        ChatMessage got = bobInbox.next();
        assertThat(got.id()).isEqualTo(m.id());
        assertThat(got.body()).isEqualTo(body);
      }
      ChatMessage end = await(alice.send(name("bob"), "end"));
      assertThat(bobInbox.next().id()).isEqualTo(end.id());
      assertThat(bobInbox.all).hasSize(bodies().size() + 1); // once each

      // History returns them whole, once, to the sender and the recipient.
      assertThat(wholeHistory(bob).stream().map(ChatMessage::body).toList())
          .containsExactlyElementsOf(concat(bodies(), "end"));
      assertThat(wholeHistory(alice).stream().map(ChatMessage::id).toList())
          .containsExactlyElementsOf(concat(sent.stream().map(ChatMessage::id).toList(), end.id()));

      // Carol is offline: she finds them in history (and is pushed them when she logs in).
      for (String body : bodies()) {
        await(alice.send(name("carol"), body));
      }
      await(carol.login(name("carol"), PASSWORD));
      assertThat(wholeHistory(carol).stream().map(ChatMessage::body).toList()).containsExactlyElementsOf(bodies());
      Map<Long, String> pushed = new HashMap<>();
      while (pushed.size() < bodies().size()) {
        ChatMessage m = carolInbox.next();
        assertThat(pushed.put(m.id(), m.body())).as("pushed once").isNull();
      }
      assertThat(pushed.values()).containsExactlyInAnyOrderElementsOf(bodies());
    } finally {
      store.close();
    }
  }

  @Test
  void aBodyOverTheLimitFailsThroughItsFutureWithBodyTooLong() throws Exception {
    InMemoryChatStore store = new InMemoryChatStore();
    InMemoryNetwork network = new InMemoryNetwork();
    try (ChatServer server = ChatServers.builder().store(store).transport(network.bindLoopback()).config(FAST_HASHING)
            .build();
         ChatClient alice = ChatClients.builder().server(server.localAddress()).serverKey(keyOf(server))
             .transport(network.bindLoopback()).build()) {
      await(alice.register(name("alice"), PASSWORD));
      await(alice.login(name("alice"), PASSWORD));
      assertThat(failureOf(alice.send(name("alice"), "x".repeat(ProtocolLimits.MAX_LONG_BODY_BYTES + 1))))
          .isEqualTo(ErrorCode.BODY_TOO_LONG);
      assertThat(failureOf(alice.send(name("alice"), "é".repeat(ProtocolLimits.MAX_LONG_BODY_BYTES / 2 + 1))))
          .isEqualTo(ErrorCode.BODY_TOO_LONG);
      assertThat(wholeHistory(alice)).isEmpty();
    } finally {
      store.close();
    }
  }

  @Test
  void underLossDuplicationAndReorderingLongMessagesArriveWholeAndAreStoredOnce() throws Exception {
    InMemoryChatStore store = new InMemoryChatStore();
    InMemoryNetwork network = new InMemoryNetwork();
    long[] seed = {20261203};
    java.util.function.Supplier<Transport> lossy = () -> {
      try {
        Transport t = network.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return new FaultInjectingTransport(t, seed[0]++, 0.20, 0.05, 0.10, 30);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    };
    ChatFixture.Inbox bobInbox = new ChatFixture.Inbox();
    try (ChatServer server = ChatServers.builder().store(store).transport(lossy.get()).config(FAST_HASHING).build();
         ChatClient alice = ChatClients.builder().server(server.localAddress()).serverKey(keyOf(server))
             .transport(lossy.get()).config(PATIENT).build();
         ChatClient bob = ChatClients.builder().server(server.localAddress()).serverKey(keyOf(server))
             .transport(lossy.get()).config(PATIENT).listener(bobInbox).build()) {
      await(alice.register(name("alice"), PASSWORD));
      await(bob.register(name("bob"), PASSWORD));
      await(alice.login(name("alice"), PASSWORD, "laptop"));
      await(bob.login(name("bob"), PASSWORD, "phone"));

      // One at a time: each is pushed, fetched part by part and shown whole.
      List<String> bodies = new ArrayList<>(bodies());
      List<ChatMessage> stored = new ArrayList<>();
      for (String body : bodies) {
        ChatMessage m = await(alice.send(name("bob"), body));
        stored.add(m);
        ChatMessage got = bobInbox.next();
        assertThat(got.id()).isEqualTo(m.id());
        assertThat(got.body()).isEqualTo(body);
      }
      // Several at once, the answers of parts lost and retransmitted: each stored once, whole.
      List<java.util.concurrent.CompletableFuture<ChatMessage>> sends = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        String body = ("#" + i + " ").repeat(20_000);
        bodies.add(body);
        sends.add(alice.send(name("bob"), body));
      }
      sends.forEach(f -> stored.add(await(f)));

      List<ChatMessage> inStore = await(store.history(name("bob"), HistoryQuery.builder().limit(100).build())).messages();
      assertThat(inStore.stream().map(ChatMessage::body).toList()).containsExactlyInAnyOrderElementsOf(bodies);
      assertThat(inStore.stream().map(ChatMessage::id).toList())
          .containsExactlyInAnyOrderElementsOf(stored.stream().map(ChatMessage::id).toList());
      assertThat(wholeHistory(bob).stream().map(ChatMessage::body).toList()).containsExactlyInAnyOrderElementsOf(bodies);
      // The listener never showed one twice. A late one may come after a newer one of the same
      // sender: it is shown then, not left for history (docs/protocol.md section 9).
      List<Long> shown = bobInbox.all.stream().map(ChatMessage::id).toList();
      assertThat(shown).doesNotHaveDuplicates();
      assertThat(stored.stream().map(ChatMessage::id).toList()).containsAll(shown);
    } finally {
      store.close();
    }
  }

  private static ChatClient udpClient(ChatServer server, ChatFixture.Inbox inbox) throws Exception {
    return ChatClients.builder().server(server.localAddress()).serverKey(keyOf(server)).config(PATIENT)
        .listener(inbox).build();
  }

  /** Every message of the user's history, oldest first, read page by page through the SDK. */
  static List<ChatMessage> wholeHistory(ChatClient c) {
    List<ChatMessage> all = new ArrayList<>();
    long cursor = 0;
    while (true) {
      var page = await(c.history(HistoryQuery.builder().direction(HistoryQuery.Direction.AFTER).cursor(cursor)
          .limit(100).build()));
      all.addAll(page.messages());
      if (page.nextCursor().isEmpty()) {
        return all;
      }
      cursor = page.nextCursor().getAsLong();
    }
  }

  private static <T> List<T> concat(List<T> list, T last) {
    List<T> all = new ArrayList<>(list);
    all.add(last);
    return all;
  }

  static UserName user(String s) {
    return name(s);
  }
}
