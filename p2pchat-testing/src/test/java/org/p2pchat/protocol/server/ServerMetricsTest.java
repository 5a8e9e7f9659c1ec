package org.p2pchat.protocol.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.protocol.ClientConfig;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.ServerMetrics;
import org.p2pchat.testing.EmbeddedServer;

/** The engine tells its metrics listener what it does, in primitives, as traffic flows. */
class ServerMetricsTest {
  private static final String PASSWORD = "correct horse battery";

  /** Counts what the engine reports, by label. */
  static final class Recording implements ServerMetrics {
    final Map<String, Integer> requests = new TreeMap<>();
    final Map<String, Integer> answers = new TreeMap<>();
    int acknowledged;
    int pushes;
    int retransmissions;
    int givenUp;
    int[] lastSample;

    @Override
    public void requestReceived(int frameType) {
      requests.merge(ServerMetrics.frameTypeName(frameType), 1, Integer::sum);
    }

    @Override
    public void answered(int frameType, int errorCode) {
      String code = errorCode == 0 ? "OK" : ErrorCode.of(errorCode).orElseThrow().name();
      answers.merge(ServerMetrics.frameTypeName(frameType) + " " + code, 1, Integer::sum);
    }

    @Override
    public void sendAcknowledged() {
      acknowledged++;
    }

    @Override
    public void pushSent(boolean retransmission) {
      if (retransmission) {
        retransmissions++;
      } else {
        pushes++;
      }
    }

    @Override
    public void pushGivenUp() {
      givenUp++;
    }

    @Override
    public void sample(int sessions, int onlineUsers, int pendingOperations, int pendingPushes, int cachedAnswers) {
      lastSample = new int[] {sessions, onlineUsers, pendingOperations, pendingPushes, cachedAnswers};
    }
  }

  private final Recording metrics = new Recording();
  private final EmbeddedServer server = EmbeddedServer.builder()
      .config(ServerConfig.builder().argon2MemoryKib(64).argon2Iterations(1).build())
      .metrics(metrics).build();

  @AfterEach
  void stop() {
    server.close();
  }

  private <T> T complete(CompletableFuture<T> future) {
    server.runPendingTasks();
    assertThat(future).isDone();
    return future.join();
  }

  @Test
  void requestsAnswersByCodeAcknowledgedSendsPushesAndASampleAreCounted() {
    ChatClient alice = server.newClient();
    ChatClient bob = server.newClient(ClientConfig.defaults(), new ArrayList<ChatMessage>()::add);
    complete(alice.register(UserName.of("alice"), PASSWORD));
    complete(bob.register(UserName.of("bob"), PASSWORD));
    complete(alice.login(UserName.of("alice"), PASSWORD));
    complete(bob.login(UserName.of("bob"), PASSWORD));
    ChatClient mallory = server.newClient();
    assertThat(mallory.login(UserName.of("alice"), "not the password")).satisfies(f -> {
      server.runPendingTasks();
      assertThat(f).isCompletedExceptionally();
    });
    complete(alice.send(UserName.of("bob"), "one"));
    complete(alice.send(UserName.of("bob"), "two"));
    server.advanceTimeBy(Duration.ofSeconds(2));

    assertThat(metrics.requests).containsEntry("REGISTER", 2).containsEntry("SEND", 2);
    assertThat(metrics.answers)
        .containsEntry("REGISTER OK", 2)
        .containsEntry("LOGIN OK", 2)
        .containsEntry("LOGIN INVALID_CREDENTIALS", 1)
        .containsEntry("SEND OK", 2);
    assertThat(metrics.acknowledged).isEqualTo(2);
    assertThat(metrics.pushes).isGreaterThanOrEqualTo(2);
    assertThat(metrics.lastSample).as("sessions, online users").startsWith(2, 2);
  }

  @Test
  void anUnacknowledgedPushIsRetransmittedThenGivenUp() {
    Recording recorded = new Recording();
    ServerConfig config = ServerConfig.builder().argon2MemoryKib(64).argon2Iterations(1)
        .pushInitialTimeout(Duration.ofMillis(250)).pushAttempts(3).build();
    try (EmbeddedHarness harness = new EmbeddedHarness(config, recorded, "alice", "bob")) {
      EmbeddedHarness.Peer alice = harness.peer(2);
      EmbeddedHarness.Peer bob = harness.peer(3);
      alice.logIn("alice");
      bob.logIn("bob");
      assertThat(alice.sendMessage("bob", "hello bob").isOk()).isTrue();
      for (int i = 0; i < 40; i++) { // bob never acknowledges
        harness.server.advanceTimeBy(Duration.ofMillis(250));
      }
      assertThat(recorded.pushes).isEqualTo(1);
      assertThat(recorded.retransmissions).isEqualTo(2);
      assertThat(recorded.givenUp).isEqualTo(1);
    }
  }
}
