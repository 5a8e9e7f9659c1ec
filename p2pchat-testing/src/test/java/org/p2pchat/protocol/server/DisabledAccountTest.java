package org.p2pchat.protocol.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.codec.Frame;
import org.p2pchat.testing.EmbeddedServer;

/**
 * An account an operator disabled cannot log in (ACCOUNT_DISABLED, only once the password
 * matched: a wrong guess still gets INVALID_CREDENTIALS), logs in again once re-enabled, and
 * each successful login is recorded as the account's last login.
 */
class DisabledAccountTest {
  private static final String PASSWORD = "correct horse battery";
  private static final UserName ALICE = UserName.of("alice");

  private final EmbeddedServer server = EmbeddedServer.builder()
      .config(ServerConfig.builder().argon2MemoryKib(64).argon2Iterations(1).build()).build();

  @AfterEach
  void stop() {
    server.close();
  }

  private <T> CompletableFuture<T> run(CompletableFuture<T> future) {
    server.runPendingTasks();
    assertThat(future).isDone();
    return future;
  }

  private ErrorCode failure(CompletableFuture<?> future) {
    run(future);
    try {
      future.join();
    } catch (CompletionException e) {
      return ((ChatException) e.getCause()).code();
    }
    throw new AssertionError("succeeded");
  }

  @Test
  void aDisabledAccountCannotLogInUntilEnabledAgain() {
    ChatClient alice = server.newClient();
    run(alice.register(ALICE, PASSWORD)).join();
    run(server.store().admin().setDisabled(ALICE, true)).join();

    assertThat(failure(server.newClient().login(ALICE, PASSWORD))).isEqualTo(ErrorCode.ACCOUNT_DISABLED);
    assertThat(failure(server.newClient().login(ALICE, "a wrong guess!"))).isEqualTo(ErrorCode.INVALID_CREDENTIALS);
    assertThat(run(server.store().admin().findAccount(ALICE)).join().orElseThrow().lastLoginAt()).isEmpty();

    run(server.store().admin().setDisabled(ALICE, false)).join();
    run(alice.login(ALICE, PASSWORD)).join();
    assertThat(run(server.store().admin().findAccount(ALICE)).join().orElseThrow().lastLoginAt())
        .contains(server.clock().instant());
  }

  @Test
  void aDisabledAccountsDeviceCannotResumeNorLogInWithANewDevice() {
    try (EmbeddedHarness harness = new EmbeddedHarness(
        ServerConfig.builder().argon2MemoryKib(64).argon2Iterations(1).build(), "alice")) {
      EmbeddedHarness.Peer phone = harness.peer(7);
      long id = phone.nextId();
      Frame.OkDeviceLogin device = (Frame.OkDeviceLogin) phone.exchangeLast(
          new Frame.LoginDevice(id, "alice", EmbeddedHarness.PASSWORD, "phone"), id).frame();
      run(harness.server.store().admin().setDisabled(ALICE, true)).join();

      long resume = phone.nextId();
      assertThat(phone.exchangeLast(new Frame.Resume(resume, device.deviceId(), device.secret()), resume).errorCode())
          .isEqualTo(ErrorCode.ACCOUNT_DISABLED.code());
      long again = phone.nextId();
      assertThat(phone.exchangeLast(new Frame.LoginDevice(again, "alice", EmbeddedHarness.PASSWORD, "tablet"), again)
          .errorCode()).isEqualTo(ErrorCode.ACCOUNT_DISABLED.code());

      run(harness.server.store().admin().setDisabled(ALICE, false)).join();
      long back = phone.nextId();
      assertThat(phone.exchangeLast(new Frame.Resume(back, device.deviceId(), device.secret()), back).frame())
          .isInstanceOf(Frame.OkResume.class);
    }
  }

  @Test
  void aDeviceLoginAndAResumeAreTheAccountsLastLoginToo() {
    try (EmbeddedHarness harness = new EmbeddedHarness(
        ServerConfig.builder().argon2MemoryKib(64).argon2Iterations(1).build(), "alice")) {
      EmbeddedHarness.Peer phone = harness.peer(7);
      long id = phone.nextId();
      Frame.OkDeviceLogin device = (Frame.OkDeviceLogin) phone.exchangeLast(
          new Frame.LoginDevice(id, "alice", EmbeddedHarness.PASSWORD, "phone"), id).frame();
      java.time.Instant first = harness.server.clock().instant();
      assertThat(run(harness.server.store().admin().findAccount(ALICE)).join().orElseThrow().lastLoginAt())
          .contains(first);

      harness.server.advanceTimeBy(java.time.Duration.ofMinutes(5));
      long resume = phone.nextId();
      assertThat(phone.exchangeLast(new Frame.Resume(resume, device.deviceId(), device.secret()), resume).frame())
          .isInstanceOf(Frame.OkResume.class);
      assertThat(run(harness.server.store().admin().findAccount(ALICE)).join().orElseThrow().lastLoginAt())
          .contains(first.plus(java.time.Duration.ofMinutes(5)));
    }
  }
}
