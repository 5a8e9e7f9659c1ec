package org.p2pchat.protocol.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.AdminStore;
import org.p2pchat.api.store.StoredUser;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.codec.Frame;
import org.p2pchat.testing.EmbeddedServer;
import org.p2pchat.testing.InMemoryChatStore;

/**
 * What an operator does to an account beside the running server (an {@code admin} command in
 * another process, recorded as an admin operation in the store) reaches the sessions already
 * open within one poll interval: disabling or deleting ends all of the account's sessions,
 * revoking its devices ends the device sessions, a password reset ends the password sessions;
 * and the RESUME that follows is refused.
 */
class AdminOperationsTest {
  private static final UserName ALICE = UserName.of("alice");
  private static final Duration POLL = Duration.ofSeconds(3);
  private static final ServerConfig CONFIG = ServerConfig.builder().argon2MemoryKib(64).argon2Iterations(1)
      .adminPollInterval(POLL).build();

  private final EmbeddedHarness harness = new EmbeddedHarness(CONFIG, "alice", "bob");
  private final AdminStore admin = harness.server.store().admin();

  @AfterEach
  void close() {
    harness.close();
  }

  /** A peer logged in as alice with a device credential. */
  private Frame.OkDeviceLogin deviceLogin(EmbeddedHarness.Peer peer) {
    long id = peer.nextId();
    Frame.OkDeviceLogin ok = (Frame.OkDeviceLogin) peer.exchangeLast(
        new Frame.LoginDevice(id, "alice", EmbeddedHarness.PASSWORD, "phone"), id).frame();
    peer.tokenHi = ok.tokenHi();
    peer.tokenLo = ok.tokenLo();
    return ok;
  }

  private static int pingCode(EmbeddedHarness.Peer peer) {
    var got = peer.ping();
    EmbeddedHarness.Answer last = got.get(got.size() - 1);
    return EmbeddedHarness.Peer.pingedOk(got) ? 0 : last.errorCode();
  }

  private static int resume(EmbeddedHarness.Peer peer, Frame.OkDeviceLogin device) {
    long id = peer.nextId();
    EmbeddedHarness.Answer a = peer.exchangeLast(new Frame.Resume(id, device.deviceId(), device.secret()), id);
    return a.frame() instanceof Frame.OkResume ? 0 : a.errorCode();
  }

  /** Lets one poll interval pass, as the loop's clock sees it, and runs what became due. */
  private void onePollLater() {
    harness.server.advanceTimeBy(POLL);
    harness.run();
    harness.run();
  }

  @Test
  void disablingEndsEveryOpenSessionOfTheAccountWithinOnePollAndItsDeviceCannotResume() {
    EmbeddedHarness.Peer laptop = harness.peer(1);
    laptop.logIn("alice");
    EmbeddedHarness.Peer phone = harness.peer(2);
    Frame.OkDeviceLogin device = deviceLogin(phone);
    EmbeddedHarness.Peer bob = harness.peer(3);
    bob.logIn("bob");

    assertThat(admin.setDisabled(ALICE, true).join()).isTrue();
    assertThat(pingCode(laptop)).as("until the next poll").isZero();

    onePollLater();
    assertThat(pingCode(laptop)).isEqualTo(ErrorCode.NOT_LOGGED_IN.code());
    assertThat(pingCode(phone)).isEqualTo(ErrorCode.NOT_LOGGED_IN.code());
    assertThat(pingCode(bob)).as("other accounts keep theirs").isZero();
    assertThat(resume(phone, device)).isEqualTo(ErrorCode.ACCOUNT_DISABLED.code());
    assertThat(laptop.tryLogIn("alice")).isEqualTo(ErrorCode.ACCOUNT_DISABLED.code());
  }

  @Test
  void deletingEndsEveryOpenSessionAndTheDeviceCredentialIsGone() {
    EmbeddedHarness.Peer laptop = harness.peer(1);
    laptop.logIn("alice");
    EmbeddedHarness.Peer phone = harness.peer(2);
    Frame.OkDeviceLogin device = deviceLogin(phone);

    admin.deleteUser(ALICE).join();
    onePollLater();

    assertThat(pingCode(laptop)).isEqualTo(ErrorCode.NOT_LOGGED_IN.code());
    assertThat(pingCode(phone)).isEqualTo(ErrorCode.NOT_LOGGED_IN.code());
    assertThat(resume(phone, device)).isEqualTo(ErrorCode.CREDENTIAL_REVOKED.code());
    assertThat(laptop.tryLogIn("alice")).isEqualTo(ErrorCode.INVALID_CREDENTIALS.code());
  }

  @Test
  void revokingTheDevicesEndsTheDeviceSessionsButNotThePasswordOnes() {
    EmbeddedHarness.Peer laptop = harness.peer(1);
    laptop.logIn("alice");
    EmbeddedHarness.Peer phone = harness.peer(2);
    Frame.OkDeviceLogin device = deviceLogin(phone);

    assertThat(admin.revokeAllDevices(ALICE).join()).containsExactly(device.deviceId());
    onePollLater();

    assertThat(pingCode(phone)).isEqualTo(ErrorCode.NOT_LOGGED_IN.code());
    assertThat(resume(phone, device)).isEqualTo(ErrorCode.CREDENTIAL_REVOKED.code());
    assertThat(pingCode(laptop)).isZero();
    EmbeddedHarness.Peer tablet = harness.peer(4);
    deviceLogin(tablet);
    onePollLater();
    assertThat(pingCode(tablet)).as("a device added after the revocation keeps its session").isZero();
  }

  @Test
  void aPasswordResetEndsThePasswordSessionsAndLeavesTheDevicesSignedIn() {
    EmbeddedHarness.Peer laptop = harness.peer(1);
    laptop.logIn("alice");
    EmbeddedHarness.Peer phone = harness.peer(2);
    deviceLogin(phone);
    String hash = harness.server.store().findUser(UserName.of("bob")).join().orElseThrow().passwordHash();

    assertThat(admin.resetPassword(ALICE, hash).join()).isTrue();
    onePollLater();

    assertThat(pingCode(laptop)).isEqualTo(ErrorCode.NOT_LOGGED_IN.code());
    assertThat(pingCode(phone)).isZero();
    assertThat(laptop.tryLogIn("alice")).as("bob's hash is of the same password").isZero();
  }

  @Test
  void aResumingClientOfADisabledAccountStopsTryingSaysWhyAndResumesOnceEnabled() throws Exception {
    java.util.List<org.p2pchat.api.client.ConnectionState> states = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.List<ErrorCode> lost = new java.util.concurrent.CopyOnWriteArrayList<>();
    org.p2pchat.api.client.ChatListener listener = new org.p2pchat.api.client.ChatListener() {
      @Override
      public void onMessage(org.p2pchat.api.ChatMessage message) {}

      @Override
      public void onSessionLost(org.p2pchat.api.ChatException cause) {
        lost.add(cause.code());
      }

      @Override
      public void onConnectionStateChanged(org.p2pchat.api.client.ConnectionState state,
          java.util.Optional<Instant> nextAttempt) {
        states.add(state);
      }
    };
    org.p2pchat.api.client.CredentialStore kept = org.p2pchat.api.client.CredentialStore.inMemory();
    EmbeddedServer server = harness.server;
    var phone = server.newClient(org.p2pchat.protocol.ClientConfig.defaults(), listener, kept);
    var login = phone.login(ALICE, EmbeddedHarness.PASSWORD, "phone");
    server.runPendingTasks();
    login.join();

    admin.setDisabled(ALICE, true).join();
    for (int s = 0; s < 120 && phone.connectionState() != org.p2pchat.api.client.ConnectionState.OFFLINE; s++) {
      server.advanceTimeBy(Duration.ofSeconds(1));
    }
    assertThat(phone.connectionState()).as("ended at its next keepalive, then refused").isEqualTo(
        org.p2pchat.api.client.ConnectionState.OFFLINE);
    assertThat(lost).containsExactly(ErrorCode.ACCOUNT_DISABLED);
    int seen = states.size();
    server.advanceTimeBy(Duration.ofMinutes(10));
    assertThat(states).as("no more resumes").hasSize(seen);
    assertThat(phone.user()).isEmpty();
    var send = phone.send(UserName.of("bob"), "while disabled");
    server.runPendingTasks();
    assertThat(send).isCompletedExceptionally();
    assertThat(kept.load()).as("the credential is kept").isPresent();

    admin.setDisabled(ALICE, false).join();
    var resumed = phone.resume();
    server.runPendingTasks();
    resumed.join();
    assertThat(phone.connectionState()).isEqualTo(org.p2pchat.api.client.ConnectionState.ONLINE);
  }

  @Test
  void operationsRecordedBeforeTheServerStartedEndNoSessionOfIt() {
    InMemoryChatStore store = new InMemoryChatStore();
    store.createUser(StoredUser.of(ALICE, harness.server.store().findUser(ALICE).join().orElseThrow().passwordHash(),
        Instant.parse("2026-01-01T00:00:00Z"))).join();
    store.admin().setDisabled(ALICE, true).join();
    store.admin().setDisabled(ALICE, false).join();
    try (EmbeddedServer server = EmbeddedServer.builder().config(CONFIG).store(store).build()) {
      server.runPendingTasks();
      var client = server.newClient();
      var login = client.login(ALICE, EmbeddedHarness.PASSWORD);
      server.runPendingTasks();
      login.join();
      server.advanceTimeBy(POLL.multipliedBy(2));
      server.runPendingTasks();
      var history = client.history(org.p2pchat.api.HistoryQuery.builder().limit(1).build());
      server.runPendingTasks();
      assertThat(history).isCompleted();
      history.join();
    }
  }
}
