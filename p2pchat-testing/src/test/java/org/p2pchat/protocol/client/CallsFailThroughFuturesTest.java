package org.p2pchat.protocol.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.protocol.ClientConfig;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.testing.EmbeddedServer;

/**
 * The README's promise: every call of the client fails through its future, never by throwing,
 * the checks of its arguments included.
 */
class CallsFailThroughFuturesTest {
  private static final ServerConfig SERVER = ServerConfig.builder()
      .argon2MemoryKib(64).argon2Iterations(1).keepaliveInterval(Duration.ofSeconds(20)).build();

  private final EmbeddedServer server = EmbeddedServer.builder().config(SERVER).build();
  private final ChatClient client = server.newClient(ClientConfig.defaults(), m -> { });

  @AfterEach
  void stop() {
    server.close();
  }

  private ErrorCode failure(Supplier<CompletableFuture<?>> call) {
    CompletableFuture<?> future = call.get(); // must not throw
    server.runPendingTasks();
    assertThat(future).isCompletedExceptionally();
    try {
      future.join();
      throw new AssertionError("not failed");
    } catch (CompletionException e) {
      assertThat(e.getCause()).isInstanceOf(ChatException.class);
      return ((ChatException) e.getCause()).code();
    }
  }

  @Test
  void aShortRegistrationPasswordFailsTheFutureWithInvalidPassword() {
    assertThat(failure(() -> client.register(UserName.of("carol"), "short"))).isEqualTo(ErrorCode.INVALID_PASSWORD);
    assertThat(failure(() -> client.register(UserName.of("carol"), "x".repeat(129))))
        .isEqualTo(ErrorCode.INVALID_PASSWORD);
  }

  @Test
  void nullArgumentsFailTheFutureWithInvalidRequest() {
    assertThat(failure(() -> client.register(null, "long enough password"))).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(failure(() -> client.register(UserName.of("carol"), null))).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(failure(() -> client.login(null, "pw"))).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(failure(() -> client.send(null, "hi"))).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(failure(() -> client.send(UserName.of("bob"), null))).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(failure(() -> client.history(null))).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(failure(() -> client.readHistory(null, 10))).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(failure(() -> client.readHistory(HistoryQuery.latest(), 0))).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(failure(() -> client.markRead(null))).isEqualTo(ErrorCode.INVALID_REQUEST);
  }

  @Test
  void badBodiesAndIdsFailTheFuture() {
    assertThat(failure(() -> client.send(UserName.of("bob"), ""))).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(failure(() -> client.send(UserName.of("bob"), "x".repeat(65_537)))).isEqualTo(ErrorCode.BODY_TOO_LONG);
    assertThat(failure(() -> client.markRead(List.of(0L)))).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(failure(() -> client.markRead(Arrays.asList(1L, null)))).isEqualTo(ErrorCode.INVALID_REQUEST);
  }

  @Test
  void callsWithoutASessionFailWithNotLoggedIn() {
    assertThat(failure(() -> client.send(UserName.of("bob"), "hi"))).isEqualTo(ErrorCode.NOT_LOGGED_IN);
  }
}
