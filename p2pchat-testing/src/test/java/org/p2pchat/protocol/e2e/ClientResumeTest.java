package org.p2pchat.protocol.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.HistoryPage;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.client.ChatListener;
import org.p2pchat.api.client.ConnectionState;
import org.p2pchat.api.client.CredentialStore;
import org.p2pchat.api.client.DeviceInfo;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.api.store.DeviceStore;
import org.p2pchat.api.store.NewMessage;
import org.p2pchat.api.store.StoredDevice;
import org.p2pchat.api.store.StoredUser;
import org.p2pchat.protocol.ClientConfig;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.testing.EmbeddedServer;
import org.p2pchat.testing.InMemoryChatStore;

/**
 * A client that never gives up (issue 14), on the embedded server and a manual clock: it notices
 * a dead server, resumes with its device credential after a restart, catches up from history,
 * and sends what it queued meanwhile exactly once.
 */
class ClientResumeTest {
  private static final String PASSWORD = "correct horse battery";
  private static final Duration KEEPALIVE = Duration.ofSeconds(20);
  private static final ServerConfig SERVER = ServerConfig.builder()
      .argon2MemoryKib(64).argon2Iterations(1).keepaliveInterval(KEEPALIVE).build();
  private static final UserName ALICE = UserName.of("alice");
  private static final UserName BOB = UserName.of("bob");

  private final HoldingStore store = new HoldingStore(new InMemoryChatStore());
  private final EmbeddedServer server = EmbeddedServer.builder().config(SERVER).store(store).build();

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  /** What a client's listener heard. */
  static final class Heard implements ChatListener {
    final List<ChatMessage> messages = new ArrayList<>();
    final List<ConnectionState> states = new ArrayList<>();
    final List<ChatException> lost = new ArrayList<>();

    @Override
    public void onMessage(ChatMessage message) {
      messages.add(message);
    }

    @Override
    public void onConnectionStateChanged(ConnectionState state, Optional<Instant> nextAttempt) {
      if (state == ConnectionState.RECONNECTING) {
        assertThat(nextAttempt).as("a reconnecting state says when it tries next").isPresent();
      }
      if (states.isEmpty() || states.get(states.size() - 1) != state) {
        states.add(state);
      }
    }

    @Override
    public void onSessionLost(ChatException cause) {
      lost.add(cause);
    }

    List<String> bodies() {
      return messages.stream().map(ChatMessage::body).toList();
    }
  }

  private <T> T complete(CompletableFuture<T> future) {
    server.runPendingTasks();
    assertThat(future).as("completed within the pending tasks").isDone();
    return future.join();
  }

  private ChatClient device(UserName user, String deviceName, Heard heard, ClientConfig config) {
    ChatClient c = server.newClient(config, heard);
    complete(c.login(user, PASSWORD, deviceName));
    return c;
  }

  private void register(UserName... users) {
    ChatClient c = server.newClient();
    for (UserName u : users) {
      complete(c.register(u, PASSWORD));
    }
  }

  /** Advances the clock a second at a time until {@code condition} holds, at most {@code limit}. */
  private void advanceUntil(BooleanSupplier condition, Duration limit) {
    for (long s = 0; s < limit.toSeconds() && !condition.getAsBoolean(); s++) {
      server.advanceTimeBy(Duration.ofSeconds(1));
    }
    assertThat(condition.getAsBoolean()).as("within %s", limit).isTrue();
  }

  private ErrorCode failure(CompletableFuture<?> f) {
    server.runPendingTasks();
    assertThat(f).isCompletedExceptionally();
    try {
      f.join();
      throw new AssertionError("not failed");
    } catch (CompletionException e) {
      return ((ChatException) e.getCause()).code();
    }
  }

  private List<ChatMessage> receivedBy(UserName user) {
    HistoryPage page = store.history(user, HistoryQuery.builder().direction(HistoryQuery.Direction.AFTER)
        .limit(HistoryQuery.MAX_LIMIT).build()).join();
    return page.messages().stream().filter(m -> m.recipient().equals(user)).toList();
  }

  @Test
  void bothClientsResumeByThemselvesAfterARestartAndEverySendIsStoredAndShownOnce() {
    register(ALICE, BOB);
    Heard alices = new Heard();
    Heard bobs = new Heard();
    ChatClient alice = device(ALICE, "phone", alices, ClientConfig.defaults());
    ChatClient bob = device(BOB, "laptop", bobs, ClientConfig.defaults());
    complete(alice.send(BOB, "before"));

    server.crash();
    CompletableFuture<ChatMessage> inFlight = alice.send(BOB, "in flight");
    // Two keepalive intervals without an answer at most (and a request's deadline): both notice.
    advanceUntil(() -> alice.connectionState() == ConnectionState.RECONNECTING
        && bob.connectionState() == ConnectionState.RECONNECTING, KEEPALIVE.multipliedBy(2).plusSeconds(5));
    CompletableFuture<ChatMessage> queued = alice.send(BOB, "queued");
    server.advanceTimeBy(Duration.ofSeconds(3));
    assertThat(inFlight).isNotDone();
    assertThat(queued).isNotDone();
    assertThat(alice.user()).contains(ALICE);

    server.restart();
    advanceUntil(() -> alice.connectionState() == ConnectionState.ONLINE
        && bob.connectionState() == ConnectionState.ONLINE && queued.isDone(), Duration.ofMinutes(2));
    server.advanceTimeBy(Duration.ofSeconds(5));

    assertThat(inFlight.join().id()).isLessThan(queued.join().id());
    assertThat(receivedBy(BOB)).extracting(ChatMessage::body).containsExactly("before", "in flight", "queued");
    assertThat(bobs.bodies()).containsExactly("before", "in flight", "queued");
    assertThat(alices.states).containsSubsequence(ConnectionState.ONLINE, ConnectionState.RECONNECTING,
        ConnectionState.ONLINE);
    assertThat(bobs.states).containsSubsequence(ConnectionState.ONLINE, ConnectionState.RECONNECTING,
        ConnectionState.ONLINE);
    assertThat(alices.lost).isEmpty();
  }

  @Test
  void aSendWhoseAnswerTheRestartLostIsStoredOnceThanksToItsKey() {
    register(ALICE, BOB);
    Heard bobs = new Heard();
    ChatClient alice = device(ALICE, "phone", new Heard(), ClientConfig.defaults());
    device(BOB, "laptop", bobs, ClientConfig.defaults());

    store.holdNextKeyedAppend = true; // stored durably, but the server never hears back
    CompletableFuture<ChatMessage> sent = alice.send(BOB, "exactly once");
    server.advanceTimeBy(Duration.ofSeconds(2)); // retransmissions: dropped as in progress
    assertThat(receivedBy(BOB)).extracting(ChatMessage::body).containsExactly("exactly once");
    server.crash(); // and with it the answer cache
    server.restart();

    advanceUntil(sent::isDone, Duration.ofMinutes(2));
    assertThat(sent.join().body()).isEqualTo("exactly once");
    assertThat(sent.join().id()).isEqualTo(receivedBy(BOB).get(0).id());
    advanceUntil(() -> !bobs.messages.isEmpty(), Duration.ofMinutes(2)); // bob resumes at his next keepalive
    server.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(receivedBy(BOB)).hasSize(1);
    assertThat(bobs.states).as("bob's states").containsSubsequence(ConnectionState.ONLINE, ConnectionState.RECONNECTING,
        ConnectionState.ONLINE);
    assertThat(bobs.bodies()).containsExactly("exactly once");
  }

  @Test
  void aRevokedDeviceCannotResumeWhileTheOtherDevicesCan() {
    register(ALICE, BOB);
    Heard phones = new Heard();
    Heard laptops = new Heard();
    ChatClient phone = device(ALICE, "phone", phones, ClientConfig.defaults());
    ChatClient laptop = device(ALICE, "laptop", laptops, ClientConfig.defaults());

    List<DeviceInfo> devices = complete(phone.devices());
    assertThat(devices).extracting(DeviceInfo::name).containsExactly("phone", "laptop");
    assertThat(devices).extracting(DeviceInfo::current).containsExactly(true, false);
    complete(phone.revokeDevice(devices.get(1).id()));

    server.crash();
    server.restart();
    advanceUntil(() -> laptop.connectionState() == ConnectionState.CREDENTIAL_REVOKED
        && phone.connectionState() == ConnectionState.ONLINE && phones.states.size() >= 3, Duration.ofMinutes(2));
    assertThat(laptops.lost).extracting(ChatException::code).containsExactly(ErrorCode.CREDENTIAL_REVOKED);
    assertThat(laptop.user()).isEmpty();
    assertThat(failure(laptop.send(BOB, "from a revoked device"))).isEqualTo(ErrorCode.NOT_LOGGED_IN);
    assertThat(complete(phone.send(BOB, "from the phone")).id()).isPositive();
    assertThat(failure(phone.revokeDevice(devices.get(1).id()))).isEqualTo(ErrorCode.UNKNOWN_DEVICE);
  }

  @Test
  void aClientWhoseAddressChangesKeepsItsSession() {
    register(ALICE, BOB);
    Heard alices = new Heard();
    Heard bobs = new Heard();
    ChatClient alice = device(ALICE, "phone", alices, ClientConfig.defaults());
    ChatClient bob = device(BOB, "laptop", bobs, ClientConfig.defaults());

    server.moveClient(bob);
    complete(bob.send(ALICE, "from my new address"));
    complete(alice.send(BOB, "to your new address"));
    server.advanceTimeBy(Duration.ofSeconds(2));

    assertThat(bobs.bodies()).containsExactly("to your new address");
    assertThat(alices.bodies()).containsExactly("from my new address");
    assertThat(bobs.states).containsExactly(ConnectionState.ONLINE);
    assertThat(server.stats().sessions()).isEqualTo(2);
  }

  @Test
  void aStoredCredentialResumesANewClientWithoutThePasswordUntilLogout() throws Exception {
    register(ALICE, BOB);
    CredentialStore kept = CredentialStore.inMemory();
    ChatClient first = server.newClient(ClientConfig.defaults(), new Heard(), kept);
    complete(first.login(ALICE, PASSWORD, "phone"));
    first.close();

    ChatClient again = server.newClient(ClientConfig.defaults(), new Heard(), kept);
    complete(again.resume());
    assertThat(again.user()).contains(ALICE);
    assertThat(complete(again.send(BOB, "no password needed")).sender()).isEqualTo(ALICE);
    complete(again.logout());
    assertThat(kept.load()).isEmpty();

    ChatClient third = server.newClient(ClientConfig.defaults(), new Heard(), kept);
    assertThat(failure(third.resume())).isEqualTo(ErrorCode.NOT_LOGGED_IN);
  }

  @Test
  void logoutEverywhereEndsEveryDevice() {
    register(ALICE);
    Heard phones = new Heard();
    ChatClient phone = device(ALICE, "phone", phones, ClientConfig.defaults());
    ChatClient laptop = device(ALICE, "laptop", new Heard(), ClientConfig.defaults());
    complete(laptop.logoutEverywhere());
    assertThat(laptop.connectionState()).isEqualTo(ConnectionState.OFFLINE);
    advanceUntil(() -> phone.connectionState() == ConnectionState.CREDENTIAL_REVOKED, Duration.ofMinutes(1));
  }

  @Test
  void theOutboxIsBoundedAndCallsMadeWhileOfflineFailOnlyWithoutACredential() {
    register(ALICE, BOB);
    ChatClient alice = device(ALICE, "phone", new Heard(),
        ClientConfig.builder().outboxCapacity(2).build());
    server.crash();
    advanceUntil(() -> alice.connectionState() == ConnectionState.RECONNECTING, Duration.ofMinutes(1));
    CompletableFuture<ChatMessage> one = alice.send(BOB, "one");
    CompletableFuture<ChatMessage> two = alice.send(BOB, "two");
    CompletableFuture<ChatMessage> three = alice.send(BOB, "three");
    server.runPendingTasks();
    assertThat(failure(three)).isEqualTo(ErrorCode.OUTBOX_FULL);
    server.restart();
    advanceUntil(() -> one.isDone() && two.isDone(), Duration.ofMinutes(2));
    assertThat(receivedBy(BOB)).extracting(ChatMessage::body).containsExactly("one", "two");
  }

  /** A store whose next keyed append is stored but never answered: a crash between commit and answer. */
  static final class HoldingStore implements ChatStore {
    private final InMemoryChatStore delegate;
    volatile boolean holdNextKeyedAppend;

    HoldingStore(InMemoryChatStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public CompletableFuture<Void> createUser(StoredUser user) {
      return delegate.createUser(user);
    }

    @Override
    public CompletableFuture<Optional<StoredUser>> findUser(UserName name) {
      return delegate.findUser(name);
    }

    @Override
    public CompletableFuture<Boolean> updatePasswordHash(UserName name, String passwordHash) {
      return delegate.updatePasswordHash(name, passwordHash);
    }

    @Override
    public CompletableFuture<List<ChatMessage>> append(List<NewMessage> messages) {
      return delegate.append(messages);
    }

    @Override
    public CompletableFuture<HistoryPage> history(UserName reader, HistoryQuery query) {
      return delegate.history(reader, query);
    }

    @Override
    public CompletableFuture<List<ChatMessage>> markDelivered(UserName recipient, Collection<Long> ids) {
      return delegate.markDelivered(recipient, ids);
    }

    @Override
    public CompletableFuture<List<ChatMessage>> markRead(UserName recipient, Collection<Long> ids) {
      return delegate.markRead(recipient, ids);
    }

    @Override
    public DeviceStore devices() {
      DeviceStore d = delegate.devices();
      return new DeviceStore() {
        @Override
        public CompletableFuture<StoredDevice> addDevice(UserName user, String name, String hash, Instant at) {
          return d.addDevice(user, name, hash, at);
        }

        @Override
        public CompletableFuture<Optional<StoredDevice>> findDevice(long id) {
          return d.findDevice(id);
        }

        @Override
        public CompletableFuture<List<StoredDevice>> devices(UserName user) {
          return d.devices(user);
        }

        @Override
        public CompletableFuture<Boolean> touchDevice(long id, Instant at) {
          return d.touchDevice(id, at);
        }

        @Override
        public CompletableFuture<List<Long>> revokeDevices(UserName user, long id) {
          return d.revokeDevices(user, id);
        }

        @Override
        public CompletableFuture<ChatMessage> appendOnce(NewMessage message, long key) {
          CompletableFuture<ChatMessage> stored = d.appendOnce(message, key);
          if (holdNextKeyedAppend) {
            holdNextKeyedAppend = false;
            return new CompletableFuture<>(); // never completes: the server dies first
          }
          return stored;
        }
      };
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
