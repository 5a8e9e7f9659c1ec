package org.p2pchat.protocol.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.p2pchat.protocol.e2e.ChatFixture.FAST_HASHING;
import static org.p2pchat.protocol.e2e.ChatFixture.PASSWORD;
import static org.p2pchat.protocol.e2e.ChatFixture.await;
import static org.p2pchat.protocol.e2e.ChatFixture.name;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.HistoryPage;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.server.ChatServer;
import org.p2pchat.api.transport.Transport;
import org.p2pchat.protocol.ChatClients;
import org.p2pchat.protocol.ChatServers;
import org.p2pchat.protocol.ClientConfig;
import org.p2pchat.testing.InMemoryChatStore;
import org.p2pchat.testing.FaultInjectingTransport;
import org.p2pchat.testing.InMemoryNetwork;

/**
 * 10,000 sends through a network that loses 20% of datagrams each way, duplicates and
 * reorders: nothing acknowledged is lost or stored twice, and no listener sees a duplicate.
 */
class LossyNetworkChatTest {
  private static final int USERS = 4;
  private static final int SENDS_PER_USER = 2_500;
  private static final int WINDOW = 64;
  private static final ClientConfig PATIENT = ClientConfig.builder()
      .initialRetransmitTimeout(Duration.ofMillis(50))
      .minRetransmitTimeout(Duration.ofMillis(20))
      .maxRetransmitTimeout(Duration.ofMillis(400))
      .maxAttempts(30)
      .requestDeadline(Duration.ofSeconds(30))
      .build();

  private final InMemoryNetwork network = new InMemoryNetwork();
  private long seed = 20261125;

  private Transport lossy() throws Exception {
    Transport t = network.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    return new FaultInjectingTransport(t, seed++, 0.20, 0.05, 0.10, 30);
  }

  @Test
  void tenThousandSendsUnderLossDuplicationAndReorderingLoseAndDuplicateNothing() throws Exception {
    InMemoryChatStore store = new InMemoryChatStore();
    List<ChatClient> clients = new ArrayList<>();
    List<ChatFixture.Inbox> inboxes = new ArrayList<>();
    try (ChatServer server = ChatServers.builder().store(store).transport(lossy()).config(FAST_HASHING).build()) {
      for (int u = 0; u < USERS; u++) {
        ChatFixture.Inbox inbox = new ChatFixture.Inbox();
        ChatClient c = ChatClients.builder().server(server.localAddress()).serverKey(ChatFixture.keyOf(server)).transport(lossy())
            .config(PATIENT).listener(inbox).build();
        await(c.register(user(u), PASSWORD));
        await(c.login(user(u), PASSWORD));
        clients.add(c);
        inboxes.add(inbox);
      }

      Map<Long, String> acknowledged = new ConcurrentHashMap<>();
      List<CompletableFuture<Void>> senders = new ArrayList<>();
      for (int u = 0; u < USERS; u++) {
        int from = u;
        senders.add(CompletableFuture.runAsync(() -> sendAll(clients.get(from), from, acknowledged)));
      }
      CompletableFuture.allOf(senders.toArray(new CompletableFuture<?>[0])).get();

      assertThat(acknowledged).hasSizeGreaterThan(USERS * SENDS_PER_USER * 99 / 100);
      for (int u = 0; u < USERS; u++) {
        List<ChatMessage> received = receivedHistory(clients.get(u), user(u));
        Set<String> bodies = new HashSet<>();
        for (ChatMessage m : received) {
          assertThat(bodies.add(m.body())).as("stored once: %s", m.body()).isTrue();
        }
        for (Map.Entry<Long, String> a : acknowledged.entrySet()) {
          if (a.getValue().startsWith("to " + user(u) + " ")) {
            assertThat(bodies).contains(a.getValue());
          }
        }
        assertListenerSawEachOnceAndNearlyAllLive(inboxes.get(u), received);
      }
    } finally {
      for (ChatClient c : clients) {
        c.close();
      }
      store.close();
    }
  }

  private static UserName user(int u) {
    return name("user" + u);
  }

  private static void sendAll(ChatClient client, int from, Map<Long, String> acknowledged) {
    Semaphore window = new Semaphore(WINDOW);
    List<CompletableFuture<?>> all = new ArrayList<>();
    UserName to = user((from + 1) % USERS);
    for (int i = 0; i < SENDS_PER_USER; i++) {
      window.acquireUninterruptibly();
      String body = "to " + to + " from " + user(from) + " #" + i;
      all.add(client.send(to, body).whenComplete((m, failure) -> {
        window.release();
        if (failure == null) {
          acknowledged.put(m.id(), body);
        }
      }));
    }
    CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).exceptionally(f -> null).join();
  }

  /** Pages forward through the whole history and returns what {@code me} received, checking order. */
  private static List<ChatMessage> receivedHistory(ChatClient client, UserName me) {
    List<ChatMessage> received = new ArrayList<>();
    long cursor = 0;
    long lastId = 0;
    while (true) {
      HistoryPage page = await(client.history(HistoryQuery.builder()
          .direction(HistoryQuery.Direction.AFTER).cursor(cursor).limit(100).build()));
      for (ChatMessage m : page.messages()) {
        assertThat(m.id()).isGreaterThan(lastId);
        lastId = m.id();
        if (m.recipient().equals(me)) {
          received.add(m);
        }
      }
      OptionalLong next = page.nextCursor();
      if (next.isEmpty()) {
        return received;
      }
      cursor = next.getAsLong();
    }
  }

  /**
   * Each message reached the listener at most once; a message stored as delivered was shown;
   * and a late push (sent again after a newer one of the same sender got through) is shown
   * rather than left for history, so all but the rare message whose six pushes were all lost
   * arrive live (at 20% loss, 0.2^6 per message).
   */
  private static void assertListenerSawEachOnceAndNearlyAllLive(ChatFixture.Inbox inbox,
      List<ChatMessage> received) {
    Set<Long> shown = new HashSet<>();
    for (ChatMessage m : inbox.all) {
      assertThat(shown.add(m.id())).as("delivered once: %s", m.id()).isTrue();
    }
    long live = 0;
    for (ChatMessage m : received) {
      if (shown.contains(m.id())) {
        live++;
      } else {
        assertThat(m.state()).as("not shown, so not delivered: %s", m.id()).isEqualTo(DeliveryState.STORED);
      }
    }
    assertThat(live).as("shown live, of %d received", received.size())
        .isGreaterThanOrEqualTo(received.size() * 995L / 1000);
  }
}
