package org.p2pchat.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.client.ChatListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.protocol.ClientConfig;
import org.p2pchat.protocol.ServerConfig;

/**
 * Real clients on an embedded server, everything on the test's thread and one manual clock:
 * keepalives, pushes, expiry and login limits over minutes of simulated time, with no wait.
 */
class EmbeddedClientTest {
  private static final String PASSWORD = "correct horse battery";
  private static final ServerConfig SERVER = ServerConfig.builder()
      .argon2MemoryKib(64).argon2Iterations(1)
      .keepaliveInterval(Duration.ofSeconds(20)).sessionIdleTimeout(Duration.ofMinutes(1))
      .build();

  private final EmbeddedServer server = EmbeddedServer.builder().config(SERVER).build();

  @AfterEach
  void stop() {
    server.close();
  }

  private <T> T complete(CompletableFuture<T> future) {
    server.runPendingTasks();
    assertThat(future).as("completed within the pending tasks").isDone();
    return future.join();
  }

  private ChatClient loggedIn(String name, List<ChatMessage> inbox) {
    ChatClient c = server.newClient(ClientConfig.defaults(), inbox::add);
    complete(c.register(UserName.of(name), PASSWORD));
    complete(c.login(UserName.of(name), PASSWORD));
    return c;
  }

  @Test
  void readHistoryReadsManyPagesAtOnceOnTheTestsThread() {
    ChatClient alice = loggedIn("alice", new ArrayList<>());
    loggedIn("bob", new ArrayList<>());
    List<org.p2pchat.api.store.NewMessage> batch = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      batch.add(org.p2pchat.api.store.NewMessage.of(UserName.of(i % 2 == 0 ? "alice" : "bob"),
          UserName.of(i % 2 == 0 ? "bob" : "alice"), "message " + "x".repeat(90) + i, java.time.Instant.EPOCH));
    }
    List<ChatMessage> stored = complete(server.store().append(batch));
    List<ChatMessage> newest = complete(alice.readHistory(org.p2pchat.api.HistoryQuery.latest(), 400));
    assertThat(newest).extracting(ChatMessage::id)
        .isEqualTo(stored.subList(100, 500).stream().map(ChatMessage::id).toList());
  }

  @Test
  void keepalivesHoldAnIdleClientsSessionOpenForTenMinutesOfAOneMinuteTimeout() {
    ChatClient alice = loggedIn("alice", new ArrayList<>());
    loggedIn("bob", new ArrayList<>());
    for (int second = 0; second < 600; second += 5) {
      server.advanceTimeBy(Duration.ofSeconds(5));
    }
    assertThat(complete(alice.send(UserName.of("bob"), "still here")).id()).isPositive();
  }

  @Test
  void aPushedMessageReachesTheListenerOnceAndIsMarkedDelivered() {
    List<ChatMessage> bobs = new ArrayList<>();
    ChatClient alice = loggedIn("alice", new ArrayList<>());
    loggedIn("bob", bobs);
    ChatMessage sent = complete(alice.send(UserName.of("bob"), "hello bob"));
    server.advanceTimeBy(Duration.ofSeconds(5));
    assertThat(bobs).singleElement().satisfies(m -> {
      assertThat(m.id()).isEqualTo(sent.id());
      assertThat(m.body()).isEqualTo("hello bob");
    });
  }

  @Test
  void anExpiredSessionFailsWithNotLoggedInAndTheListenerHearsItWasLost() {
    List<ChatException> lost = new ArrayList<>();
    loggedIn("bob", new ArrayList<>());
    ChatClient alice = server.newClient(ClientConfig.defaults(), new ChatListener() {
      @Override
      public void onMessage(ChatMessage message) {}

      @Override
      public void onSessionLost(ChatException cause) {
        lost.add(cause);
      }
    });
    complete(alice.register(UserName.of("alice"), PASSWORD));
    complete(alice.login(UserName.of("alice"), PASSWORD));
    // The server forgets the session while the client hears nothing: as after a long sleep.
    server.clock().advance(Duration.ofMinutes(2));
    CompletableFuture<ChatMessage> send = alice.send(UserName.of("bob"), "still there?");
    server.runPendingTasks();
    assertThat(send).isCompletedExceptionally();
    assertThatThrownBy(send::join).cause().isInstanceOfSatisfying(ChatException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_LOGGED_IN));
    assertThat(lost).singleElement().satisfies(e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_LOGGED_IN));
    assertThat(alice.user()).isEmpty();
  }

  @Test
  void aRateLimitedLoginFailsWithTheServersRetryAdvice() {
    EmbeddedServer strict = EmbeddedServer.builder()
        .config(ServerConfig.builder().from(SERVER).loginAttemptsPerAccount(2).build()).build();
    try {
      ChatClient c = strict.newClient();
      CompletableFuture<Void> registered = c.register(UserName.of("alice"), PASSWORD);
      strict.runPendingTasks();
      registered.join();
      for (int i = 0; i < 2; i++) {
        CompletableFuture<Void> wrong = c.login(UserName.of("alice"), "wrong password " + i);
        strict.runPendingTasks();
        assertThatThrownBy(wrong::join).cause().isInstanceOfSatisfying(ChatException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CREDENTIALS));
      }
      CompletableFuture<Void> limited = c.login(UserName.of("alice"), PASSWORD);
      strict.runPendingTasks();
      assertThatThrownBy(limited::join).cause().isInstanceOfSatisfying(ChatException.class, e -> {
        assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(60));
      });
    } finally {
      strict.close();
    }
  }
}
