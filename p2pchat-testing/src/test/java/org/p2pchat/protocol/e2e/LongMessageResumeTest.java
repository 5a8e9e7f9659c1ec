package org.p2pchat.protocol.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.client.ConnectionState;
import org.p2pchat.protocol.ClientConfig;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.testing.EmbeddedServer;
import org.p2pchat.testing.InMemoryChatStore;

/**
 * Long messages across a server restart (docs/protocol.md sections 18 and 23), on the embedded
 * server and a manual clock: a long send whose answer the restart lost, one in flight and one
 * queued meanwhile are each stored once, under their keys, and shown once, whole.
 */
class LongMessageResumeTest {
  private static final String PASSWORD = "correct horse battery";
  private static final Duration KEEPALIVE = Duration.ofSeconds(20);
  private static final ServerConfig SERVER = ServerConfig.builder()
      .argon2MemoryKib(64).argon2Iterations(1).keepaliveInterval(KEEPALIVE).build();
  private static final UserName ALICE = UserName.of("alice");
  private static final UserName BOB = UserName.of("bob");

  private final ClientResumeTest.HoldingStore store = new ClientResumeTest.HoldingStore(new InMemoryChatStore());
  private final EmbeddedServer server = EmbeddedServer.builder().config(SERVER).store(store).build();

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  private <T> T complete(CompletableFuture<T> future) {
    server.runPendingTasks();
    assertThat(future).as("completed within the pending tasks").isDone();
    return future.join();
  }

  private ChatClient device(UserName user, String deviceName, ClientResumeTest.Heard heard) {
    ChatClient c = server.newClient(ClientConfig.defaults(), heard);
    complete(c.login(user, PASSWORD, deviceName));
    return c;
  }

  private void register(UserName... users) {
    ChatClient c = server.newClient();
    for (UserName u : users) {
      complete(c.register(u, PASSWORD));
    }
  }

  private void advanceUntil(BooleanSupplier condition, Duration limit) {
    for (long s = 0; s < limit.toSeconds() && !condition.getAsBoolean(); s++) {
      server.advanceTimeBy(Duration.ofSeconds(1));
    }
    assertThat(condition.getAsBoolean()).as("within %s", limit).isTrue();
  }

  private List<ChatMessage> receivedBy(UserName user) {
    return store.history(user, HistoryQuery.builder().direction(HistoryQuery.Direction.AFTER)
        .limit(HistoryQuery.MAX_LIMIT).build()).join().messages().stream()
        .filter(m -> m.recipient().equals(user)).toList();
  }

  @Test
  void aLongSendWhoseAnswerTheRestartLostIsStoredOnceThanksToItsKey() {
    register(ALICE, BOB);
    ClientResumeTest.Heard bobs = new ClientResumeTest.Heard();
    ChatClient alice = device(ALICE, "phone", new ClientResumeTest.Heard());
    device(BOB, "laptop", bobs);
    String body = "exactly once, at length. ".repeat(400); // 10,000 bytes: 10 parts

    store.holdNextKeyedAppend = true; // stored durably, but the server never hears back
    CompletableFuture<ChatMessage> sent = alice.send(BOB, body);
    server.advanceTimeBy(Duration.ofSeconds(2));
    assertThat(receivedBy(BOB)).extracting(ChatMessage::body).containsExactly(body);
    assertThat(sent).isNotDone();
    server.crash(); // and with it the answer cache and the parts in assembly
    server.restart();

    advanceUntil(sent::isDone, Duration.ofMinutes(2));
    assertThat(sent.join().body()).isEqualTo(body);
    assertThat(sent.join().id()).isEqualTo(receivedBy(BOB).get(0).id());
    advanceUntil(() -> !bobs.messages.isEmpty(), Duration.ofMinutes(2));
    server.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(receivedBy(BOB)).hasSize(1);
    assertThat(bobs.bodies()).containsExactly(body);
  }

  @Test
  void longSendsInFlightAndQueuedDuringARestartAreStoredAndShownOnceWhole() {
    register(ALICE, BOB);
    ClientResumeTest.Heard bobs = new ClientResumeTest.Heard();
    ChatClient alice = device(ALICE, "phone", new ClientResumeTest.Heard());
    ChatClient bob = device(BOB, "laptop", bobs);
    String before = "b".repeat(3_000);
    String inFlightBody = "€".repeat(21_845); // 65,535 bytes
    String queuedBody = "q".repeat(65_536);
    complete(alice.send(BOB, before));
    advanceUntil(() -> bobs.messages.size() == 1, Duration.ofSeconds(10));

    server.crash();
    CompletableFuture<ChatMessage> inFlight = alice.send(BOB, inFlightBody);
    advanceUntil(() -> alice.connectionState() == ConnectionState.RECONNECTING
        && bob.connectionState() == ConnectionState.RECONNECTING, KEEPALIVE.multipliedBy(2).plusSeconds(5));
    CompletableFuture<ChatMessage> queued = alice.send(BOB, queuedBody);
    server.advanceTimeBy(Duration.ofSeconds(3));
    assertThat(inFlight).isNotDone();
    assertThat(queued).isNotDone();

    server.restart();
    advanceUntil(() -> queued.isDone() && inFlight.isDone() && bobs.messages.size() == 3, Duration.ofMinutes(2));
    server.advanceTimeBy(Duration.ofSeconds(5));

    List<String> expected = new ArrayList<>(List.of(before, inFlightBody, queuedBody));
    assertThat(receivedBy(BOB)).extracting(ChatMessage::body).containsExactlyElementsOf(expected);
    assertThat(bobs.bodies()).containsExactlyElementsOf(expected);
    assertThat(inFlight.join().id()).isLessThan(queued.join().id());
  }
}
