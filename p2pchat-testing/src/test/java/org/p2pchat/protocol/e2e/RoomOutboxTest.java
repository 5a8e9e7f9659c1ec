package org.p2pchat.protocol.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.RoomMessage;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.client.ConnectionState;
import org.p2pchat.protocol.ClientConfig;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.testing.EmbeddedServer;
import org.p2pchat.testing.InMemoryChatStore;

/**
 * Room sends made while the client is reconnecting wait in the outbox and go out once the
 * session is back, each once (docs/protocol.md 18.4), on the embedded server and a manual clock.
 */
class RoomOutboxTest {
  private static final String PASSWORD = "correct horse battery";
  private static final Duration KEEPALIVE = Duration.ofSeconds(20);
  private static final ServerConfig SERVER = ServerConfig.builder()
      .argon2MemoryKib(64).argon2Iterations(1).keepaliveInterval(KEEPALIVE).build();
  private static final UserName ALICE = UserName.of("alice");
  private static final UserName BOB = UserName.of("bob");

  private final InMemoryChatStore store = new InMemoryChatStore();
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

  private void advanceUntil(BooleanSupplier condition, Duration limit) {
    for (long s = 0; s < limit.toSeconds() && !condition.getAsBoolean(); s++) {
      server.advanceTimeBy(Duration.ofSeconds(1));
    }
    assertThat(condition.getAsBoolean()).as("within %s", limit).isTrue();
  }

  private ChatClient device(UserName user, String name, ClientConfig config) {
    ChatClient c = server.newClient(config, message -> { });
    complete(c.login(user, PASSWORD, name));
    return c;
  }

  private static ErrorCode failure(CompletableFuture<?> f) {
    try {
      f.join();
      throw new AssertionError("not failed");
    } catch (CompletionException e) {
      return ((ChatException) e.getCause()).code();
    }
  }

  @Test
  void roomSendsMadeWhileReconnectingAreSentOnceAfterTheResumeInOrder() {
    ChatClient registrar = server.newClient();
    complete(registrar.register(ALICE, PASSWORD));
    complete(registrar.register(BOB, PASSWORD));
    ChatClient alice = device(ALICE, "phone", ClientConfig.defaults());
    ChatClient bob = device(BOB, "laptop", ClientConfig.defaults());
    long room = complete(alice.rooms().create("plans")).id();
    complete(alice.rooms().add(room, BOB));

    server.crash();
    advanceUntil(() -> alice.connectionState() == ConnectionState.RECONNECTING, KEEPALIVE.multipliedBy(2).plusSeconds(5));
    CompletableFuture<RoomMessage> first = alice.rooms().send(room, "queued while away");
    CompletableFuture<RoomMessage> second = alice.rooms().send(room, "and another");
    server.advanceTimeBy(Duration.ofSeconds(3));
    assertThat(first).isNotDone();
    assertThat(second).isNotDone();

    server.restart();
    advanceUntil(() -> first.isDone() && second.isDone() && bob.connectionState() == ConnectionState.ONLINE,
        Duration.ofMinutes(2));
    assertThat(first.join().id()).isLessThan(second.join().id());
    var history = complete(bob.rooms().history(room, HistoryQuery.builder()
        .direction(HistoryQuery.Direction.AFTER).limit(100).build()));
    assertThat(history.messages()).extracting(RoomMessage::body).containsExactly("queued while away", "and another");
  }

  @Test
  void theRoomOutboxSharesTheOutboxBoundAndALogoutFailsWhatWaits() {
    ChatClient registrar = server.newClient();
    complete(registrar.register(ALICE, PASSWORD));
    ChatClient alice = device(ALICE, "phone", ClientConfig.builder().outboxCapacity(2).build());
    long room = complete(alice.rooms().create("plans")).id();

    server.crash();
    advanceUntil(() -> alice.connectionState() == ConnectionState.RECONNECTING, KEEPALIVE.multipliedBy(2).plusSeconds(5));
    CompletableFuture<RoomMessage> one = alice.rooms().send(room, "one");
    CompletableFuture<?> two = alice.send(ALICE, "two");
    CompletableFuture<RoomMessage> three = alice.rooms().send(room, "three");
    server.runPendingTasks();
    assertThat(failure(three)).isEqualTo(ErrorCode.OUTBOX_FULL);
    assertThat(one).isNotDone();
    assertThat(two).isNotDone();
    assertThat(failure(alice.rooms().send(room, "x".repeat(1001)))).as("through its future")
        .isEqualTo(ErrorCode.BODY_TOO_LONG);
  }
}
