package org.p2pchat.cli.ref;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.HistoryPage;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.ProtocolLimits;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.client.ChatListener;
import org.p2pchat.api.client.ConnectionState;
import org.p2pchat.api.store.NewMessage;
import org.p2pchat.api.store.StoredUser;
import org.p2pchat.testing.InMemoryChatStore;

/**
 * A stand-in for the server engine and its clients, in one process: accounts, messages and
 * history in an {@link InMemoryChatStore}, pushes delivered on one "client thread" as the real
 * client does. Lets the CLI be tested before, and apart from, the protocol engine.
 */
final class FakeChatServer implements ClientFactory, AutoCloseable {
  static final Instant NOW = Instant.parse("2026-11-25T10:15:30Z");

  private final InMemoryChatStore store = new InMemoryChatStore();
  private final List<FakeClient> clients = new CopyOnWriteArrayList<>();
  private final ExecutorService pushThread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "fake-client-push");
    t.setDaemon(true);
    return t;
  });
  /** When set, every request fails with this code. */
  volatile ErrorCode failEverythingWith;
  final List<HistoryQuery> queries = new CopyOnWriteArrayList<>();
  final List<Long> markedRead = new CopyOnWriteArrayList<>();
  /** The server address of every client opened. */
  final List<InetSocketAddress> addresses = new CopyOnWriteArrayList<>();

  @Override
  public ChatClient open(InetSocketAddress server, ChatListener listener) {
    addresses.add(server);
    FakeClient c = new FakeClient(listener);
    clients.add(c);
    return c;
  }

  /** Creates an account directly. */
  void addUser(String name, String password) {
    store.createUser(StoredUser.of(UserName.of(name), password, NOW)).join();
  }

  /** Stores a message as if {@code from} sent it, and pushes it to {@code to}'s online clients. */
  ChatMessage deliver(String from, String to, String body) {
    ChatMessage m = store.append(List.of(NewMessage.of(UserName.of(from), UserName.of(to), body, NOW))).join().get(0);
    push(m);
    return m;
  }

  /** Every message, in id order. */
  List<ChatMessage> messages(String reader) {
    return store.history(UserName.of(reader), HistoryQuery.builder().limit(HistoryQuery.MAX_LIMIT).build()).join().messages();
  }

  /** Waits until every push so far has been handed to the listeners. */
  void awaitPushes() throws Exception {
    pushThread.submit(() -> { }).get(10, TimeUnit.SECONDS);
  }

  private void push(ChatMessage m) {
    for (FakeClient c : clients) {
      if (m.recipient().equals(c.user)) {
        pushThread.execute(() -> c.listener.onMessage(m));
      }
    }
  }

  private void pushState(ChatMessage m) {
    for (FakeClient c : clients) {
      if (m.sender().equals(c.user)) {
        pushThread.execute(() -> c.listener.onStateChanged(m.id(), m.recipient(), m.state()));
      }
    }
  }

  /** Tells every client's listener that the connection changed, as the real client does. */
  void connection(ConnectionState state, Optional<Instant> nextAttempt) throws Exception {
    for (FakeClient c : clients) {
      pushThread.execute(() -> c.listener.onConnectionStateChanged(state, nextAttempt));
    }
    awaitPushes();
  }

  @Override
  public void close() {
    pushThread.shutdownNow();
  }

  private final class FakeClient implements ChatClient {
    final ChatListener listener;
    volatile UserName user;
    volatile boolean closed;

    FakeClient(ChatListener listener) {
      this.listener = listener;
    }

    private <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> op) {
      if (closed) {
        return CompletableFuture.failedFuture(new ChatException(ErrorCode.CLOSED));
      }
      if (failEverythingWith != null) {
        return CompletableFuture.failedFuture(new ChatException(failEverythingWith));
      }
      try {
        return op.get();
      } catch (ChatException e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    private UserName me() {
      UserName u = user;
      if (u == null) {
        throw new ChatException(ErrorCode.NOT_LOGGED_IN);
      }
      return u;
    }

    @Override
    public CompletableFuture<Void> register(UserName name, String password) {
      return call(() -> {
        int bytes = password.getBytes(StandardCharsets.UTF_8).length;
        if (bytes < ProtocolLimits.MIN_PASSWORD_BYTES || bytes > ProtocolLimits.MAX_PASSWORD_BYTES) {
          throw new ChatException(ErrorCode.INVALID_PASSWORD);
        }
        return store.createUser(StoredUser.of(name, password, NOW));
      });
    }

    @Override
    public CompletableFuture<Void> login(UserName name, String password) {
      return call(() -> store.findUser(name).thenApply(found -> {
        if (found.isEmpty() || !found.get().passwordHash().equals(password)) {
          throw new ChatException(ErrorCode.INVALID_CREDENTIALS);
        }
        user = name;
        return null;
      }));
    }

    @Override
    public CompletableFuture<Void> login(UserName name, String password, String deviceName) {
      return login(name, password);
    }

    @Override
    public CompletableFuture<Void> resume() {
      return CompletableFuture.failedFuture(new ChatException(ErrorCode.NOT_LOGGED_IN));
    }

    @Override
    public CompletableFuture<ChatMessage> send(UserName recipient, String body) {
      return call(() -> store.append(List.of(NewMessage.of(me(), recipient, body, NOW))).thenApply(stored -> {
        push(stored.get(0));
        return stored.get(0);
      }));
    }

    @Override
    public CompletableFuture<HistoryPage> history(HistoryQuery query) {
      return call(() -> {
        queries.add(query);
        return store.history(me(), query);
      });
    }

    @Override
    public CompletableFuture<Void> markRead(Collection<Long> messageIds) {
      return call(() -> store.markRead(me(), messageIds).thenApply(changed -> {
        changed.forEach(m -> {
          markedRead.add(m.id());
          if (m.state() == DeliveryState.READ) {
            pushState(m);
          }
        });
        return null;
      }));
    }

    @Override
    public CompletableFuture<Void> logout() {
      return call(() -> {
        me();
        user = null;
        return CompletableFuture.completedFuture(null);
      });
    }

    @Override
    public Optional<UserName> user() {
      return Optional.ofNullable(user);
    }

    @Override
    public void close() {
      user = null;
      closed = true;
    }
  }
}
