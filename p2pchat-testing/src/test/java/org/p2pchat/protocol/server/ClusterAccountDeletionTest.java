package org.p2pchat.protocol.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.testing.EmbeddedServer;
import org.p2pchat.testing.InMemoryChatStore;
import org.p2pchat.testing.InMemoryPushBus;
import org.p2pchat.testing.ManualClock;

/**
 * Two server nodes on one store and one push bus, on the test's thread: a user deletes the
 * account on one node, and their session on the other node ends at once too (docs/protocol.md
 * section 22).
 */
class ClusterAccountDeletionTest {
  private static final String PASSWORD = "correct horse battery";
  private static final ServerConfig CONFIG = ServerConfig.builder().argon2MemoryKib(64).argon2Iterations(1).build();
  private static final UserName ALICE = UserName.of("alice");

  private final InMemoryChatStore store = new InMemoryChatStore();
  private final InMemoryPushBus bus = new InMemoryPushBus();
  private final ManualClock clock = new ManualClock();
  private final EmbeddedServer one = node(7777);
  private final EmbeddedServer two = node(7778);

  private EmbeddedServer node(int port) {
    return EmbeddedServer.builder().store(store).pushBus(bus.node()).clock(clock)
        .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)).config(CONFIG).build();
  }

  @AfterEach
  void stop() {
    one.close();
    two.close();
    store.close();
  }

  private <T> CompletableFuture<T> settle(CompletableFuture<T> f) {
    while (one.runPendingTasks() + two.runPendingTasks() > 0) {
      // until both nodes are idle
    }
    assertThat(f).isDone();
    return f;
  }

  private <T> T complete(CompletableFuture<T> f) {
    return settle(f).join();
  }

  private ErrorCode failureOf(CompletableFuture<?> f) {
    try {
      settle(f).join();
    } catch (CompletionException e) {
      return ((ChatException) e.getCause()).code();
    }
    throw new AssertionError("did not fail");
  }

  @Test
  void aDeletionOnOneNodeEndsTheUsersSessionsOnTheOther() {
    ChatClient laptop = one.newClient();
    complete(laptop.register(ALICE, PASSWORD));
    complete(laptop.login(ALICE, PASSWORD));
    ChatClient phone = two.newClient();
    complete(phone.login(ALICE, PASSWORD));
    complete(phone.history(HistoryQuery.latest()));

    complete(laptop.deleteAccount(PASSWORD));

    assertThat(failureOf(phone.history(HistoryQuery.latest()))).isEqualTo(ErrorCode.NOT_LOGGED_IN);
    assertThat(failureOf(phone.login(ALICE, PASSWORD))).isEqualTo(ErrorCode.INVALID_CREDENTIALS);
  }
}
