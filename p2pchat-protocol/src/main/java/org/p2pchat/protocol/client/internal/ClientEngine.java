package org.p2pchat.protocol.client.internal;

import java.io.IOException;
import java.security.SecureRandom;
import org.p2pchat.api.client.ConnectionState;
import org.p2pchat.api.client.CredentialStore;
import org.p2pchat.api.client.DeviceCredential;
import org.p2pchat.api.client.DeviceInfo;
import org.p2pchat.protocol.codec.internal.DeviceLoginFlyweight;
import org.p2pchat.protocol.codec.internal.DeviceLoginOkFlyweight;
import org.p2pchat.protocol.codec.internal.DevicesOkFlyweight;
import org.p2pchat.protocol.codec.internal.FeaturesFlyweight;
import org.p2pchat.protocol.codec.internal.ResumeFlyweight;
import org.p2pchat.protocol.codec.internal.RevokeDeviceFlyweight;
import org.p2pchat.protocol.codec.internal.SendFlyweight;
import org.p2pchat.protocol.codec.internal.SendKeyedFlyweight;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.HistoryPage;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.ProtocolLimits;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.client.ChatListener;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.transport.Transport;
import org.p2pchat.api.client.PeerClient;
import org.p2pchat.protocol.peer.internal.SharedSocket;
import org.p2pchat.protocol.ClientConfig;
import org.p2pchat.protocol.codec.internal.CredentialsFlyweight;
import org.p2pchat.protocol.codec.internal.EmptyOkFlyweight;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.HeaderFlyweight;
import org.p2pchat.protocol.codec.internal.HistoryFlyweight;
import org.p2pchat.protocol.codec.internal.HistoryOkFlyweight;
import org.p2pchat.protocol.codec.internal.LongHistoryOkFlyweight;
import org.p2pchat.protocol.codec.Frame;
import org.p2pchat.protocol.codec.internal.LoginOkFlyweight;
import org.p2pchat.protocol.codec.internal.MarkReadFlyweight;
import org.p2pchat.protocol.codec.internal.SendOkFlyweight;
import org.p2pchat.protocol.codec.internal.TokenFlyweight;
import org.p2pchat.protocol.internal.EventLoop;
import org.p2pchat.protocol.internal.LoopAgent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client: an {@link EventLoop} that owns the socket, the {@link Requests} in flight, the
 * {@link ClientSession} and the {@link PushInbox}; futures complete and the listener runs on the
 * {@link Events} thread, so user code never stalls the network. This class is the API and the
 * wiring: each call encodes its request with the flyweight of its type, and reads its answer
 * with the flyweight of the answer's layout.
 */
public final class ClientEngine implements ChatClient, LoopAgent {
  private static final Logger log = LoggerFactory.getLogger(ClientEngine.class);
  private static final long MAX_POLL_MILLIS = 100;
  private static final long CLOSE_LOGOUT_WAIT_MILLIS = 1000;

  private final InetSocketAddress server;
  private final ChatListener listener;
  private final EventLoop loop;
  private final Events events;
  private final ClientSession session;
  private final Requests requests;
  private final PushInbox inbox;
  /** What to do about the way to the server when it goes quiet (a new handshake, the next node). */
  private final ServerPath path;
  private final CredentialStore credentials;
  private final Outbox outbox;
  private final int outboxCapacity;
  /** A room send made while reconnecting: never sent yet, so sent once the session is back. */
  private record ParkedRoomSend(Requests.FrameWriter writer, Requests.AnswerReader<?> reader,
      CompletableFuture<Object> future) {}
  /** Room sends waiting for the session (docs/protocol.md 18.4); loop-confined, bounded with the outbox. */
  private final java.util.ArrayDeque<ParkedRoomSend> roomOutbox = new java.util.ArrayDeque<>();
  private final long reconnectMinMillis;
  private final long reconnectMaxMillis;
  private final SecureRandom random = new SecureRandom();
  /** The device credential this client resumes with; null after a plain login. Written on the loop. */
  private volatile DeviceCredential credential;
  private volatile ConnectionState state = ConnectionState.OFFLINE;
  /** The user while logged in or reconnecting, for {@link #user()}. */
  private volatile UserName identity;
  // Loop-confined: the connection's upkeep.
  private long lastHeardMillis;
  private long reconnectAtMillis;
  private int reconnectAttempts;
  private boolean resumeInFlight;
  /** The future of an application's {@link #resume()} call waiting for the first try's outcome. */
  private CompletableFuture<Void> resumeWaiter;
  /** Whether {@link #lastSeenId} is known, so that a catch-up reads only what is new. */
  private boolean floorKnown;
  /** The greatest message id this client saw (sent, pushed or caught up). */
  private long lastSeenId;
  private final RoomInbox roomInbox;
  private final LongMessages longMessages;
  private final RoomCalls rooms;
  private final ContactCalls contacts;
  private final PeerSide peerSide;

  // The loop's flyweights, one per layout.
  private final CredentialsFlyweight register = new CredentialsFlyweight(FrameType.REGISTER);
  private final CredentialsFlyweight login = new CredentialsFlyweight(FrameType.LOGIN);
  private final TokenFlyweight logout = new TokenFlyweight(FrameType.LOGOUT);
  private final TokenFlyweight ping = new TokenFlyweight(FrameType.PING);
  private final FeaturesFlyweight features = new FeaturesFlyweight();
  private final HistoryFlyweight history = new HistoryFlyweight();
  private final MarkReadFlyweight markRead = new MarkReadFlyweight();
  private final EmptyOkFlyweight emptyOk = new EmptyOkFlyweight();
  private final LoginOkFlyweight loginOk = new LoginOkFlyweight();
  private final HistoryOkFlyweight historyOk = new HistoryOkFlyweight();
  private final HistoryFlyweight longHistory = new HistoryFlyweight(FrameType.HISTORY_LONG);
  private final LongHistoryOkFlyweight longHistoryOk = new LongHistoryOkFlyweight();
  private final SendFlyweight send = new SendFlyweight();
  private final SendOkFlyweight sendOk = new SendOkFlyweight();
  private final DeviceLoginFlyweight loginDevice = new DeviceLoginFlyweight();
  private final ResumeFlyweight resumeRequest = new ResumeFlyweight();
  private final TokenFlyweight devicesRequest = new TokenFlyweight(FrameType.DEVICES);
  private final RevokeDeviceFlyweight revokeRequest = new RevokeDeviceFlyweight();
  private final SendKeyedFlyweight sendKeyed = new SendKeyedFlyweight();
  private final DeviceLoginOkFlyweight deviceLoginOk = new DeviceLoginOkFlyweight();
  private final LoginOkFlyweight resumeOk = new LoginOkFlyweight(FrameType.Answer.RESUME);
  private final SendOkFlyweight sendKeyedOk = new SendOkFlyweight(FrameType.Answer.SEND_KEYED);
  private final DevicesOkFlyweight devicesOk = new DevicesOkFlyweight();
  private final org.p2pchat.protocol.codec.internal.AccountDeleteFlyweight accountDelete =
      new org.p2pchat.protocol.codec.internal.AccountDeleteFlyweight();
  private final TokenFlyweight accountInfo = new TokenFlyweight(FrameType.ACCOUNT_INFO);
  private final org.p2pchat.protocol.codec.internal.AccountOkFlyweight accountOk =
      new org.p2pchat.protocol.codec.internal.AccountOkFlyweight();
  private final Requests.AnswerReader<Void> emptyAnswer = frame -> {
    emptyOk.wrap(frame);
    return null;
  };

  private ClientEngine(Transport transport, InetSocketAddress server, ClientConfig config,
      ChatListener listener, Clock clock, Events events, CredentialStore credentials, SharedSocket peerSocket) {
    this.server = server;
    this.path = ServerPath.of(transport);
    this.credentials = credentials != null ? credentials : CredentialStore.inMemory();
    this.outbox = new Outbox(config.outboxCapacity());
    this.outboxCapacity = config.outboxCapacity();
    this.reconnectMinMillis = config.reconnectMinDelay().toMillis();
    this.reconnectMaxMillis = Math.max(reconnectMinMillis, config.reconnectMaxDelay().toMillis());
    this.events = events;
    this.listener = listener != null ? listener : message -> { };
    this.loop = new EventLoop(transport, clock, this, MAX_POLL_MILLIS, 0);
    this.session = new ClientSession(config.keepaliveInterval().toMillis());
    this.requests = new Requests(loop, server, config, events);
    this.inbox = new PushInbox(loop, server, session, this.listener, events);
    this.longMessages = new LongMessages(requests, session);
    inbox.fetchWith(longMessages);
    this.roomInbox = new RoomInbox(loop, server, session, this.listener, events);
    RoomCalls.Sender inSession = new RoomCalls.Sender() {
      @Override
      public <T> CompletableFuture<T> request(FrameType type, Requests.FrameWriter w, Requests.AnswerReader<T> r) {
        return ClientEngine.this.request(type, true, w, r);
      }
    };
    this.rooms = new RoomCalls(inSession, session);
    this.peerSide = new PeerSide(loop, events, session, inbox, this.listener, server, inSession, config,
        this.credentials, peerSocket);
    this.contacts = new ContactCalls(inSession, session, peerSide::forget);
  }

  /** Starts a client on {@code transport}, which it owns and closes. */
  public static ClientEngine start(Transport transport, InetSocketAddress server, ClientConfig config,
      ChatListener listener, Clock clock) {
    return start(transport, server, config, listener, clock, null);
  }

  /** Starts a client that keeps its device credential in {@code credentials} (null: in memory). */
  public static ClientEngine start(Transport transport, InetSocketAddress server, ClientConfig config,
      ChatListener listener, Clock clock, CredentialStore credentials) {
    return start(transport, server, config, listener, clock, credentials, null);
  }

  /**
   * Starts a client whose raw socket {@code peerSocket} (under {@code transport}) it shares with
   * peers (docs/protocol.md section 25); null: peers only through the relay.
   */
  public static ClientEngine start(Transport transport, InetSocketAddress server, ClientConfig config,
      ChatListener listener, Clock clock, CredentialStore credentials, SharedSocket peerSocket) {
    ClientEngine engine = new ClientEngine(transport, server, config, listener, clock, new Events(), credentials,
        peerSocket);
    engine.loop.start(true);
    return engine;
  }

  /**
   * A client whose loop does not run by itself: its caller drives {@link #loop()} with
   * {@link EventLoop#runOnce} from one thread. Futures complete and the listener runs on
   * {@code events}, which must run tasks one at a time, in order (one that runs them at once
   * makes the whole client run on the driving thread).
   */
  public static ClientEngine driven(Transport transport, InetSocketAddress server, ClientConfig config,
      ChatListener listener, Clock clock, Executor events) {
    return driven(transport, server, config, listener, clock, events, null);
  }

  /** {@link #driven} with a credential store (null: in memory). */
  public static ClientEngine driven(Transport transport, InetSocketAddress server, ClientConfig config,
      ChatListener listener, Clock clock, Executor events, CredentialStore credentials) {
    return driven(transport, server, config, listener, clock, events, credentials, null);
  }

  /** {@link #driven} sharing {@code peerSocket} with peers (null: peers only through the relay). */
  public static ClientEngine driven(Transport transport, InetSocketAddress server, ClientConfig config,
      ChatListener listener, Clock clock, Executor events, CredentialStore credentials, SharedSocket peerSocket) {
    return new ClientEngine(transport, server, config, listener, clock, new Events(events), credentials, peerSocket);
  }

  /** The loop, for a caller of {@link #driven} to run. */
  public EventLoop loop() {
    return loop;
  }

  // ---------------------------------------------------------------- the API

  @Override
  public CompletableFuture<Void> register(UserName name, String password) {
    return guarded(() -> {
      Objects.requireNonNull(name, "name");
      checkPassword(password);
      return request(FrameType.REGISTER, false,
          (out, id) -> register.encode(out, id).name(name.value()).password(password).finish(),
          emptyAnswer);
    });
  }

  @Override
  public CompletableFuture<Void> login(UserName name, String password) {
    return guarded(() -> loginChecked(Objects.requireNonNull(name, "name"),
        Objects.requireNonNull(password, "password")));
  }

  private CompletableFuture<Void> loginChecked(UserName name, String password) {
    if (password.isEmpty() || ProtocolLimits.utf8Length(password) > ProtocolLimits.MAX_PASSWORD_BYTES) {
      return CompletableFuture.failedFuture(new ChatException(ErrorCode.INVALID_CREDENTIALS));
    }
    return request(FrameType.LOGIN, false,
        (out, id) -> login.encode(out, id).name(name.value()).password(password).finish(),
        frame -> {
          loginOk.wrap(frame);
          session.open(name, loginOk.tokenHi(), loginOk.tokenLo(), loginOk.keepaliveMillis(), loop.now());
          credential = null; // a plain login has nothing to resume with
          online(name, false);
          return null;
        });
  }

  @Override
  public CompletableFuture<ChatMessage> send(UserName recipient, String body) {
    return guarded(() -> sendChecked(Objects.requireNonNull(recipient, "recipient"),
        Objects.requireNonNull(body, "body")));
  }

  private CompletableFuture<ChatMessage> sendChecked(UserName recipient, String body) {
    ChatMessage.checkBody(body);
    if (loop.isClosing()) {
      return CompletableFuture.failedFuture(new ChatException(ErrorCode.CLOSED));
    }
    CompletableFuture<ChatMessage> result = new CompletableFuture<>();
    long key = random.nextLong();
    loop.execute(() -> enqueue(outbox.newEntry(recipient, body, key, result)));
    return result;
  }

  @Override
  public CompletableFuture<HistoryPage> history(HistoryQuery query) {
    return guarded(() -> historyChecked(Objects.requireNonNull(query, "query")));
  }

  /** Many pages at once: see {@link HistoryReader}. */
  @Override
  public CompletableFuture<List<ChatMessage>> readHistory(HistoryQuery from, int maxMessages) {
    return guarded(() -> new HistoryReader(this, from, maxMessages).run());
  }

  /**
   * Reads a page with HISTORY_LONG, then fetches the parts of each long message on it
   * (docs/protocol.md section 23): the page reaches the caller with every body whole.
   */
  private CompletableFuture<HistoryPage> historyChecked(HistoryQuery query) {
    CompletableFuture<Frame.OkHistoryLong> stubs = request(FrameType.HISTORY_LONG, true,
        (out, id) -> longHistory.encode(out, id).token(session.tokenHi(), session.tokenLo())
            .peer(query.peer().map(UserName::value).orElse(null))
            .query(query.unreadOnly(), query.direction() == HistoryQuery.Direction.AFTER,
                query.cursor(), query.limit())
            .finish(),
        this::readLongPage);
    return stubs.thenCompose(page -> {
      CompletableFuture<HistoryPage> whole = new CompletableFuture<>();
      loop.execute(() -> completeStubs(page.entries(), messages -> {
        long next = page.nextCursor();
        events.complete(whole, HistoryPage.of(messages, next == 0 ? OptionalLong.empty() : OptionalLong.of(next)));
      }, failure -> events.fail(whole, failure)));
      return whole;
    });
  }

  private Frame.OkHistoryLong readLongPage(ByteBuffer frame) throws DecodeException {
    longHistoryOk.wrap(frame);
    List<Frame.LongEntry> entries = new ArrayList<>(longHistoryOk.count());
    for (int i = 0; i < longHistoryOk.count(); i++) {
      entries.add(longHistoryOk.entry(i));
    }
    return new Frame.OkHistoryLong(longHistoryOk.requestId(), longHistoryOk.nextCursor(), entries);
  }

  /**
   * Turns a page's entries into whole messages, on the loop: a long message's stub is fetched
   * part by part, one message at a time, in the page's order.
   */
  private void completeStubs(List<Frame.LongEntry> entries, java.util.function.Consumer<List<ChatMessage>> then,
      java.util.function.Consumer<Throwable> failed) {
    List<ChatMessage> messages = new ArrayList<>(entries.size());
    completeFrom(entries, 0, messages, then, failed);
  }

  private void completeFrom(List<Frame.LongEntry> entries, int from, List<ChatMessage> messages,
      java.util.function.Consumer<List<ChatMessage>> then, java.util.function.Consumer<Throwable> failed) {
    for (int i = from; i < entries.size(); i++) {
      Frame.LongEntry e = entries.get(i);
      if (e.isStub()) {
        int at = i;
        longMessages.fetchNow(e.messageId(), e.totalLength()).whenComplete((body, failure) -> loop.execute(() -> {
          if (failure != null) {
            failed.accept(failure);
            return;
          }
          messages.add(message(e, body));
          completeFrom(entries, at + 1, messages, then, failed);
        }));
        return;
      }
      messages.add(message(e, e.body()));
    }
    then.accept(messages);
  }

  private static ChatMessage message(Frame.LongEntry e, String body) {
    return ChatMessage.builder().id(e.messageId()).sentAt(Instant.ofEpochMilli(e.sentAtMillis()))
        .state(org.p2pchat.api.DeliveryState.of(e.state())).sender(UserName.of(e.sender()))
        .recipient(UserName.of(e.recipient())).body(body).build();
  }

  @Override
  public CompletableFuture<Void> markRead(Collection<Long> messageIds) {
    return guarded(() -> markReadChecked(Objects.requireNonNull(messageIds, "messageIds")));
  }

  private CompletableFuture<Void> markReadChecked(Collection<Long> messageIds) {
    long[] ids = new long[messageIds.size()];
    int n = 0;
    for (Long id : messageIds) {
      if (id == null || id <= 0) {
        throw new IllegalArgumentException("message ids are > 0, not " + id);
      }
      ids[n++] = id;
    }
    List<CompletableFuture<Void>> parts = new ArrayList<>();
    for (int from = 0; from < ids.length; from += MarkReadFlyweight.MAX_IDS) {
      long[] chunk = Arrays.copyOfRange(ids, from, Math.min(ids.length, from + MarkReadFlyweight.MAX_IDS));
      parts.add(request(FrameType.MARK_READ, true, (out, id) -> {
        markRead.encode(out, id).token(session.tokenHi(), session.tokenLo());
        for (long messageId : chunk) {
          markRead.addMessageId(messageId);
        }
        markRead.finish();
      }, emptyAnswer));
    }
    return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0]));
  }

  @Override
  public CompletableFuture<Void> logout() {
    DeviceCredential own = credential;
    CompletableFuture<Void> revoked = own == null ? CompletableFuture.completedFuture(null)
        : revokeDevice(own.deviceId()).exceptionally(failure -> null); // the session ends anyway
    return forgetting(revoked.thenCompose(v -> endSession()));
  }

  /** Ends the session on the server (LOGOUT), keeping the device credential: what {@link #close} does. */
  public CompletableFuture<Void> endSession() {
    CompletableFuture<Void> result = new CompletableFuture<>();
    loop.tryExecute(peerSide::goodbye); // before the LOGOUT, while the relay still carries it
    CompletableFuture<Void> sent = request(FrameType.LOGOUT, true,
        (out, id) -> logout.encode(out, id).token(session.tokenHi(), session.tokenLo()).finish(),
        frame -> {
          emptyOk.wrap(frame);
          session.end();
          return null;
        });
    sent.whenComplete((v, failure) -> {
      if (failure == null || codeOf(failure) == ErrorCode.NOT_LOGGED_IN) {
        result.complete(null); // the session is gone either way
      } else {
        result.completeExceptionally(failure);
      }
    });
    return result;
  }

  @Override
  public org.p2pchat.api.client.RoomClient rooms() {
    return rooms;
  }

  @Override
  public org.p2pchat.api.client.ContactClient contacts() {
    return contacts;
  }

  @Override
  public Optional<UserName> user() {
    UserName u = session.user();
    return Optional.ofNullable(u != null ? u : state == ConnectionState.RECONNECTING ? identity : null);
  }

  @Override
  public void close() {
    if (loop.isClosing()) {
      return;
    }
    if (session.user() != null) {
      try {
        endSession().get(CLOSE_LOGOUT_WAIT_MILLIS, TimeUnit.MILLISECONDS); // the credential stays, to resume
      } catch (Exception e) {
        log.debug("logout at close failed: {}", e.toString());
      }
    }
    loop.close();
    events.shutdown();
  }

  // ---------------------------------------------------------------- devices (docs/protocol.md 17)

  @Override
  public CompletableFuture<Void> login(UserName name, String password, String deviceName) {
    return guarded(() -> {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(password, "password");
      Objects.requireNonNull(deviceName, "deviceName");
      int deviceBytes = ProtocolLimits.utf8Length(deviceName);
      if (deviceBytes < 1 || deviceBytes > MAX_DEVICE_NAME_BYTES) {
        throw new IllegalArgumentException("a device name has 1 to " + MAX_DEVICE_NAME_BYTES + " bytes of UTF-8");
      }
      if (password.isEmpty() || ProtocolLimits.utf8Length(password) > ProtocolLimits.MAX_PASSWORD_BYTES) {
        return CompletableFuture.failedFuture(new ChatException(ErrorCode.INVALID_CREDENTIALS));
      }
      CompletableFuture<DeviceCredential> loggedIn = request(FrameType.LOGIN_DEVICE, false,
          (out, id) -> loginDevice.encode(out, id).name(name.value()).password(password).deviceName(deviceName)
              .finish(),
          frame -> {
            deviceLoginOk.wrap(frame);
            session.open(name, deviceLoginOk.tokenHi(), deviceLoginOk.tokenLo(), deviceLoginOk.keepaliveMillis(),
                loop.now());
            DeviceCredential c = DeviceCredential.of(name, deviceLoginOk.deviceId(), deviceLoginOk.secret());
            credential = c;
            online(name, false);
            return c;
          });
      // On the events thread: the store may write a file.
      return loggedIn.thenApply(c -> {
        try {
          credentials.save(c);
        } catch (IOException e) {
          throw new ChatException(ErrorCode.INTERNAL, "logged in, but the device credential could not be stored: "
              + e.getMessage(), e);
        }
        return null;
      });
    });
  }

  @Override
  public CompletableFuture<Void> resume() {
    return guarded(() -> {
      Optional<DeviceCredential> stored;
      try {
        stored = credentials.load();
      } catch (IOException e) {
        throw new ChatException(ErrorCode.INVALID_REQUEST, "the device credential could not be read: "
            + e.getMessage(), e);
      }
      if (stored.isEmpty()) {
        return CompletableFuture.failedFuture(new ChatException(ErrorCode.NOT_LOGGED_IN,
            "there is no device credential to resume with: log in"));
      }
      if (loop.isClosing()) {
        return CompletableFuture.failedFuture(new ChatException(ErrorCode.CLOSED));
      }
      CompletableFuture<Void> result = new CompletableFuture<>();
      DeviceCredential c = stored.get();
      loop.execute(() -> {
        if (loop.isClosing()) {
          events.fail(result, new ChatException(ErrorCode.CLOSED));
        } else if (session.isOpen() && c.equals(credential)) {
          events.complete(result, null);
        } else {
          credential = c;
          identity = c.user();
          if (resumeWaiter != null) {
            events.fail(resumeWaiter, new ChatException(ErrorCode.CLOSED, "another resume() replaced this one"));
          }
          resumeWaiter = result;
          session.end();
          reconnectAttempts = 0;
          reconnectAtMillis = loop.now();
          setState(ConnectionState.RECONNECTING, reconnectAtMillis);
          if (!resumeInFlight) {
            tryResume();
          }
        }
      });
      return result;
    });
  }

  @Override
  public CompletableFuture<List<DeviceInfo>> devices() {
    return request(FrameType.DEVICES, true,
        (out, id) -> devicesRequest.encode(out, id).token(session.tokenHi(), session.tokenLo()).finish(),
        frame -> {
          devicesOk.wrap(frame);
          List<DeviceInfo> all = new ArrayList<>(devicesOk.count());
          for (int i = 0; i < devicesOk.count(); i++) {
            all.add(new DeviceInfo(devicesOk.deviceId(i), devicesOk.deviceName(i),
                Instant.ofEpochMilli(devicesOk.createdAtMillis(i)), Instant.ofEpochMilli(devicesOk.lastUsedAtMillis(i)),
                devicesOk.current(i)));
          }
          return List.copyOf(all);
        });
  }

  @Override
  public CompletableFuture<Void> revokeDevice(long deviceId) {
    if (deviceId < 1) {
      return CompletableFuture.failedFuture(new ChatException(ErrorCode.INVALID_REQUEST,
          "a device id is at least 1, not " + deviceId));
    }
    return revoke(deviceId);
  }

  @Override
  public CompletableFuture<Void> logoutEverywhere() {
    return forgetting(revoke(0).thenCompose(v -> endSession()));
  }

  @Override
  public ConnectionState connectionState() {
    return state;
  }

  // ---------------------------------------------------------------- account deletion and export (docs/protocol.md 22)

  @Override
  public CompletableFuture<Void> deleteAccount(String password) {
    return guarded(() -> {
      Objects.requireNonNull(password, "password");
      if (password.isEmpty() || ProtocolLimits.utf8Length(password) > ProtocolLimits.MAX_PASSWORD_BYTES) {
        return CompletableFuture.failedFuture(new ChatException(ErrorCode.INVALID_CREDENTIALS));
      }
      CompletableFuture<Void> deleted = request(FrameType.ACCOUNT_DELETE, true,
          (out, id) -> accountDelete.encode(out, id).token(session.tokenHi(), session.tokenLo()).password(password)
              .finish(),
          frame -> {
            emptyOk.wrap(frame);
            session.end(); // the server ended every session of the user, this one too
            return null;
          });
      return forgetting(deleted);
    });
  }

  @Override
  public CompletableFuture<org.p2pchat.api.client.AccountInfo> account() {
    return request(FrameType.ACCOUNT_INFO, true,
        (out, id) -> accountInfo.encode(out, id).token(session.tokenHi(), session.tokenLo()).finish(),
        frame -> {
          accountOk.wrap(frame);
          return new org.p2pchat.api.client.AccountInfo(UserName.of(accountOk.name()),
              Instant.ofEpochMilli(accountOk.createdAtMillis()));
        });
  }

  @Override
  public CompletableFuture<org.p2pchat.api.client.ExportSummary> exportTo(java.io.Writer out) {
    Objects.requireNonNull(out, "out");
    return new AccountExport(this, out).run();
  }

  private CompletableFuture<Void> revoke(long deviceId) {
    return request(FrameType.REVOKE_DEVICE, true,
        (out, id) -> revokeRequest.encode(out, id).token(session.tokenHi(), session.tokenLo()).deviceId(deviceId)
            .finish(),
        emptyAnswer);
  }

  /**
   * Once {@code done} completes, forgets the device credential (here and in the store), fails
   * what waits in the outbox and goes OFFLINE: the end of a logout.
   */
  private CompletableFuture<Void> forgetting(CompletableFuture<Void> done) {
    return done.thenCompose(v -> {
      clearStoredCredential(); // on the events thread: the store may delete a file
      CompletableFuture<Void> forgotten = new CompletableFuture<>();
      if (loop.isClosing()) {
        forgotten.complete(null);
        return forgotten;
      }
      loop.execute(() -> { // runs even when the loop closes meanwhile: it runs what was handed in
        credential = null;
        identity = null;
        failOutbox(new ChatException(ErrorCode.NOT_LOGGED_IN, "logged out before the message was sent"));
        setState(ConnectionState.OFFLINE, -1);
        events.complete(forgotten, null);
      });
      return forgotten;
    });
  }

  private void clearStoredCredential() {
    try {
      credentials.clear();
    } catch (IOException e) {
      log.warn("the device credential could not be removed: {}", e.getMessage());
    }
  }

  // ---------------------------------------------------------------- the connection: lost, resumed, caught up

  /**
   * Goes online with a session just opened (on the loop): for a resumed session, reads what
   * arrived meanwhile; else learns where history stands now. Then sends what waits.
   */
  private void online(UserName user, boolean resumed) {
    identity = user;
    lastHeardMillis = loop.now();
    reconnectAttempts = 0;
    setState(ConnectionState.ONLINE, -1);
    agreeOnFeatures();
    if (resumed && floorKnown) {
      catchUp(Math.max(lastSeenId, inbox.newestId()));
    } else if (!resumed && credential != null) {
      learnFloor(); // a plain login never resumes, so never catches up
    }
    flushOutbox();
  }

  /**
   * The session is gone (on the loop): the server stopped answering or forgot it. With a
   * credential, the client resumes by itself; without, it is offline and says so.
   */
  private void sessionLost(ChatException cause, boolean serverSilent) {
    if (!session.isOpen()) {
      return;
    }
    session.end();
    // Requests of the lost session would only time out or be refused: the outbox takes its sends back.
    requests.failAll(cause);
    if (credential == null) {
      identity = null;
      setState(ConnectionState.OFFLINE, -1);
      events.run(() -> listener.onSessionLost(cause));
      return;
    }
    if (serverSilent) {
      path.serverWentSilent();
    }
    reconnectAttempts = 0;
    reconnectAtMillis = loop.now();
    setState(ConnectionState.RECONNECTING, reconnectAtMillis);
  }

  /** One try to resume with the credential (on the loop). */
  private void tryResume() {
    DeviceCredential c = credential;
    if (c == null) {
      return;
    }
    resumeInFlight = true;
    CompletableFuture<Object> answered = new CompletableFuture<>();
    requests.send(FrameType.RESUME,
        (out, id) -> resumeRequest.encode(out, id).credential(c.deviceId(), c.secret()).finish(),
        frame -> {
          resumeOk.wrap(frame);
          if (c.equals(credential)) {
            session.open(c.user(), resumeOk.tokenHi(), resumeOk.tokenLo(), resumeOk.keepaliveMillis(), loop.now());
          }
          return Boolean.TRUE;
        }, answered);
    answered.whenComplete((v, failure) -> loop.execute(() -> resumed(c, failure)));
  }

  private void resumed(DeviceCredential c, Throwable failure) {
    resumeInFlight = false;
    if (loop.isClosing() || !c.equals(credential)) {
      return;
    }
    CompletableFuture<Void> waiter = resumeWaiter;
    resumeWaiter = null;
    if (failure == null && session.isOpen()) {
      online(c.user(), true);
      if (waiter != null) {
        events.complete(waiter, null);
      }
      return;
    }
    ChatException cause = failure instanceof ChatException e ? e
        : new ChatException(ErrorCode.INTERNAL, "resuming failed", failure);
    if (cause.code() == ErrorCode.CREDENTIAL_REVOKED) {
      credential = null;
      identity = null;
      events.run(this::clearStoredCredential);
      failOutbox(cause);
      setState(ConnectionState.CREDENTIAL_REVOKED, -1);
      events.run(() -> listener.onSessionLost(cause));
    } else if (cause.code() == ErrorCode.ACCOUNT_DISABLED) {
      // An operator disabled the account: no retry helps until they enable it, so stop trying.
      // The stored credential stays (it is good again once enabled: resume() tries it when asked).
      credential = null;
      identity = null;
      failOutbox(cause);
      setState(ConnectionState.OFFLINE, -1);
      events.run(() -> listener.onSessionLost(cause));
    } else {
      reconnectAttempts++;
      int nodes = path.nodeCount();
      if (cause.code() == ErrorCode.TIMEOUT) {
        path.nodeTimedOut(); // this node did not answer: a cluster tries the next
      }
      // The backoff grows once per round of the nodes: a dead node costs one try, not a longer wait.
      int exponent = Math.min(20, (reconnectAttempts - 1) / nodes);
      long delay = Math.min(reconnectMaxMillis, reconnectMinMillis << exponent);
      delay = delay / 2 + (long) (random.nextDouble() * (delay / 2 + 1));
      reconnectAtMillis = loop.now() + delay;
      setState(ConnectionState.RECONNECTING, reconnectAtMillis);
    }
    if (waiter != null) {
      events.fail(waiter, cause);
    }
  }

  /** Learns the newest message id in history now: catch-up later reads only what is newer. */
  private void learnFloor() {
    long generation = session.generation();
    requests.send(FrameType.HISTORY,
        (out, id) -> history.encode(out, id).token(session.tokenHi(), session.tokenLo()).peer(null)
            .query(false, false, 0, 1).finish(),
        frame -> {
          historyOk.wrap(frame);
          if (session.generation() == generation) {
            for (int i = 0; i < historyOk.count(); i++) {
              lastSeenId = Math.max(lastSeenId, historyOk.message(i).id());
            }
            floorKnown = true;
          }
          return null;
        }, new CompletableFuture<>());
  }

  /**
   * Reads the history after {@code cursor}, page by page, and hands each message addressed to
   * this user that it did not show yet to the inbox: nothing stored during the gap is missed,
   * nothing is shown twice.
   */
  private void catchUp(long cursor) {
    long generation = session.generation();
    UserName me = session.user();
    CompletableFuture<Object> read = new CompletableFuture<>();
    requests.send(FrameType.HISTORY_LONG,
        (out, id) -> longHistory.encode(out, id).token(session.tokenHi(), session.tokenLo()).peer(null)
            .query(false, true, cursor, HistoryQuery.MAX_LIMIT).finish(),
        this::readLongPage, read);
    read.whenComplete((page, failure) -> loop.execute(() -> {
      if (failure != null || session.generation() != generation) {
        return;
      }
      Frame.OkHistoryLong p = (Frame.OkHistoryLong) page;
      completeStubs(p.entries(), messages -> {
        if (session.generation() != generation) {
          return;
        }
        for (ChatMessage m : messages) {
          lastSeenId = Math.max(lastSeenId, m.id());
          if (m.recipient().equals(me)) {
            inbox.offerFromHistory(m);
          }
        }
        long next = p.nextCursor();
        if (next != 0 && session.isOpen()) {
          catchUp(next);
        }
      }, fetchFailed -> log.debug("catching up a long message failed: {}", fetchFailed.toString()));
    }));
  }

  private void setState(ConnectionState next, long nextAttemptMillis) {
    if (next == state && next != ConnectionState.RECONNECTING) {
      return;
    }
    state = next;
    Optional<Instant> at = nextAttemptMillis >= 0 ? Optional.of(Instant.ofEpochMilli(nextAttemptMillis))
        : Optional.empty();
    events.run(() -> listener.onConnectionStateChanged(next, at));
  }

  // ---------------------------------------------------------------- the outbox

  /** A new send (on the loop): out now when online, queued while reconnecting, else refused. */
  private void enqueue(Outbox.Entry e) {
    if (loop.isClosing()) {
      events.fail(e.future, new ChatException(ErrorCode.CLOSED));
    } else if (!session.isOpen() && !(credential != null && state == ConnectionState.RECONNECTING)) {
      events.fail(e.future, new ChatException(ErrorCode.NOT_LOGGED_IN));
    } else if (outbox.isFull()) {
      events.fail(e.future, new ChatException(ErrorCode.OUTBOX_FULL));
    } else if (session.isOpen()) {
      transmit(e);
    } else {
      outbox.waitFor(e);
    }
  }

  private void flushOutbox() {
    for (Outbox.Entry e : outbox.takeWaiting()) {
      transmit(e);
    }
    // Room sends made while reconnecting, in the order they were made. ROOM_SEND has no
    // idempotency key, so only these, never sent before, wait: one in flight when the session
    // was lost fails with its error (a resend might store it twice).
    for (ParkedRoomSend p = roomOutbox.poll(); p != null; p = roomOutbox.poll()) {
      requests.send(FrameType.ROOM_SEND, p.writer(), p.reader(), p.future());
    }
  }

  /**
   * Sends an entry in the current session: as SEND_KEYED from a device, every copy with the
   * entry's key; as a plain SEND after a plain login, which never resends in another session.
   */
  private void transmit(Outbox.Entry e) {
    int attempt = ++e.attempt;
    outbox.sending(e);
    if (LongMessages.isLong(e.body)) {
      // Parts under the entry's key, in any session: stored once (docs/protocol.md section 23).
      longMessages.send(e.recipient, e.body, e.key, () -> !e.done && e.attempt == attempt && session.isOpen())
          .whenComplete((m, failure) -> loop.execute(() -> sent(e, attempt, m, failure)));
      return;
    }
    UserName me = session.user();
    boolean keyed = credential != null;
    SendOkFlyweight ok = keyed ? sendKeyedOk : sendOk;
    CompletableFuture<Object> answered = new CompletableFuture<>();
    requests.send(keyed ? FrameType.SEND_KEYED : FrameType.SEND,
        (out, id) -> {
          if (keyed) {
            sendKeyed.encode(out, id).token(session.tokenHi(), session.tokenLo()).key(e.key)
                .recipient(e.recipient.value()).body(e.body).finish();
          } else {
            send.encode(out, id).token(session.tokenHi(), session.tokenLo()).recipient(e.recipient.value())
                .body(e.body).finish();
          }
        },
        frame -> {
          ok.wrap(frame);
          return ChatMessage.builder()
              .id(ok.messageId())
              .sender(me)
              .recipient(e.recipient)
              .body(e.body)
              .sentAt(Instant.ofEpochMilli(ok.sentAtMillis()))
              .build();
        }, answered);
    answered.whenComplete((m, failure) -> loop.execute(() -> sent(e, attempt, (ChatMessage) m, failure)));
  }

  private void sent(Outbox.Entry e, int attempt, ChatMessage m, Throwable failure) {
    if (e.done || e.attempt != attempt) {
      return; // closed, or an abandoned copy
    }
    if (failure == null) {
      outbox.remove(e);
      lastSeenId = Math.max(lastSeenId, m.id());
      // Stored first, so history is complete; then the copy over any link up to the recipient.
      peerSide.sendChat(e.recipient, m, e.body);
      events.complete(e.future, m);
      return;
    }
    ErrorCode code = codeOf(failure);
    boolean lostSession = code == ErrorCode.TIMEOUT || code == ErrorCode.NOT_LOGGED_IN;
    if (lostSession && credential != null && !loop.isClosing()) {
      // Sent again, with its key, once the session is back: stored once whatever happened.
      outbox.waitFor(e);
      if (session.isOpen() && code == ErrorCode.TIMEOUT) {
        sessionLost(new ChatException(ErrorCode.TIMEOUT, "the server stopped answering"), true);
      } else if (session.isOpen()) {
        flushOutbox();
      }
      return;
    }
    outbox.remove(e);
    events.fail(e.future, failure);
  }

  private void failOutbox(ChatException cause) {
    for (Outbox.Entry e : outbox.takeAll()) {
      events.fail(e.future, cause);
    }
    for (ParkedRoomSend p = roomOutbox.poll(); p != null; p = roomOutbox.poll()) {
      events.fail(p.future(), cause);
    }
  }

  /** The most bytes of a device name. */
  private static final int MAX_DEVICE_NAME_BYTES = 64;

  // ---------------------------------------------------------------- requests

  private <T> CompletableFuture<T> request(FrameType type, boolean needsSession,
      Requests.FrameWriter writer, Requests.AnswerReader<T> reader) {
    if ((type == FrameType.LOGIN || type == FrameType.LOGIN_DEVICE) && path.nodeCount() > 1) {
      return onEachNode(type, writer, reader, path.nodeCount());
    }
    CompletableFuture<T> answer = sendOnce(type, needsSession, writer, reader);
    if (!needsSession && path.nodeCount() > 1) {
      // A registration is not sent again by itself (a node may have stored it and lost only
      // its answer: the resend would be told the name is taken); the caller's retry goes on.
      answer.whenComplete((v, failure) -> {
        if (failure instanceof ChatException e && e.code() == ErrorCode.TIMEOUT) {
          loop.execute(() -> {
            if (!session.isOpen()) {
              path.nodeTimedOut();
            }
          });
        }
      });
    }
    return answer;
  }

  /**
   * A login that a node never answered goes to the next node, each node tried once: the caller
   * hears the last node's answer or timeout. (A device login the first node took but whose
   * answer was lost leaves a device record never used, which DEVICES lists and REVOKE_DEVICE
   * removes.)
   */
  private <T> CompletableFuture<T> onEachNode(FrameType type, Requests.FrameWriter writer,
      Requests.AnswerReader<T> reader, int triesLeft) {
    CompletableFuture<T> answer = new CompletableFuture<>();
    sendOnce(type, false, writer, reader).whenComplete((v, failure) -> {
      if (failure instanceof ChatException e && e.code() == ErrorCode.TIMEOUT && triesLeft > 1 && !loop.isClosing()) {
        loop.execute(() -> {
          if (!session.isOpen()) {
            path.nodeTimedOut();
          }
          onEachNode(type, writer, reader, triesLeft - 1).whenComplete((again, last) -> {
            if (last != null) {
              answer.completeExceptionally(last);
            } else {
              answer.complete(again);
            }
          });
        });
      } else if (failure != null) {
        answer.completeExceptionally(failure);
      } else {
        answer.complete(v);
      }
    });
    return answer;
  }

  @SuppressWarnings("unchecked") // the reader makes the future's value
  private <T> CompletableFuture<T> sendOnce(FrameType type, boolean needsSession,
      Requests.FrameWriter writer, Requests.AnswerReader<T> reader) {
    CompletableFuture<Object> future = new CompletableFuture<>();
    if (loop.isClosing()) {
      return CompletableFuture.failedFuture(new ChatException(ErrorCode.CLOSED));
    }
    boolean accepted = loop.tryExecute(() -> {
      if (loop.isClosing()) {
        events.fail(future, new ChatException(ErrorCode.CLOSED));
      } else if (needsSession && !session.isOpen() && type == FrameType.ROOM_SEND && credential != null
          && state == ConnectionState.RECONNECTING) {
        if (outbox.size() + roomOutbox.size() >= outboxCapacity) {
          events.fail(future, new ChatException(ErrorCode.OUTBOX_FULL));
        } else {
          roomOutbox.add(new ParkedRoomSend(writer, reader, future)); // sent by flushOutbox()
        }
      } else if (needsSession && !session.isOpen()) {
        events.fail(future, new ChatException(ErrorCode.NOT_LOGGED_IN));
      } else {
        requests.send(type, writer, reader, future);
      }
    });
    if (!accepted) {
      // The client closed between the check above and now, and its events thread may be gone too.
      future.completeExceptionally(new ChatException(ErrorCode.CLOSED));
    }
    return (CompletableFuture<T>) (CompletableFuture<?>) future;
  }

  // ---------------------------------------------------------------- peer to peer

  @Override
  public PeerClient peers() {
    return peerSide;
  }

  // ---------------------------------------------------------------- the loop's agent

  @Override
  public String roleName() {
    return "p2pchat-client";
  }

  @Override
  public void onDatagram(ByteBuffer frame, InetSocketAddress from) {
    if (!from.equals(server)) {
      return; // only the server speaks to us
    }
    lastHeardMillis = loop.now();
    try {
      switch (FrameType.ofCode(HeaderFlyweight.readType(frame))) {
        case OK -> requests.onOk(frame);
        case ERROR -> onError(frame);
        case PUSH_MESSAGE -> inbox.onPushMessage(frame);
        case PUSH_STATE -> inbox.onPushState(frame);
        case PUSH_STATES -> inbox.onPushStates(frame);
        case PUSH_LONG_MESSAGE -> inbox.onPushLongMessage(frame);
        case PUSH_ROOM_MESSAGE -> roomInbox.onPushRoomMessage(frame);
        case PUSH_ROOM_READ -> roomInbox.onPushRoomRead(frame);
        case PUSH_PRESENCE -> roomInbox.onPushPresence(frame);
        case PUSH_PEER -> peerSide.onPushPeer(frame);
        case RELAYED -> peerSide.onRelayed(frame);
        default -> { } // requests are the server's to receive
      }
    } catch (DecodeException e) {
      log.debug("dropped a malformed datagram from the server: {}", e.getMessage());
    }
  }

  private void onError(ByteBuffer frame) throws DecodeException {
    Requests.Failed failed = requests.onError(frame);
    if (failed != null && failed.failure().code() == ErrorCode.NOT_LOGGED_IN && session.isOpen()
        && failed.type() != FrameType.LOGOUT) {
      sessionLost(failed.failure(), false);
    }
  }

  @Override
  public void onDuty(long nowMillis) {
    peerSide.onDuty(nowMillis);
    if (session.isOpen()) {
      if (credential != null && nowMillis - lastHeardMillis > 2 * session.keepaliveMillis()) {
        // Two keepalive intervals without a word: the server is gone (or the path to it).
        sessionLost(new ChatException(ErrorCode.TIMEOUT, "the server stopped answering"), true);
      } else if (session.pingDue(nowMillis)) {
        ping();
      }
    } else if (state == ConnectionState.RECONNECTING && !resumeInFlight && nowMillis >= reconnectAtMillis) {
      tryResume();
    }
  }

  /**
   * Tells the new session's server that this client acknowledges pushes many at once and takes
   * states many to a datagram (docs/protocol.md section 24). Until the OK, and for good should
   * the server not take it, pushes are acknowledged one by one, which every server understands.
   */
  private void agreeOnFeatures() {
    long generation = session.generation();
    CompletableFuture<Object> answered = new CompletableFuture<>();
    requests.send(FrameType.FEATURES,
        (out, id) -> features.encode(out, id).token(session.tokenHi(), session.tokenLo())
            .features(FeaturesFlyweight.BATCHED_ACKS).finish(),
        emptyAnswer, answered);
    answered.whenComplete((v, failure) -> {
      if (failure == null) {
        loop.execute(() -> {
          if (session.isOpen() && session.generation() == generation) {
            session.batchedAcksAgreed();
          }
        });
      }
    });
  }

  /** A keepalive; one that goes unanswered is a lost session, never swallowed. */
  private void ping() {
    long generation = session.generation();
    CompletableFuture<Object> answered = new CompletableFuture<>();
    requests.send(FrameType.PING,
        (out, id) -> ping.encode(out, id).token(session.tokenHi(), session.tokenLo()).finish(),
        emptyAnswer, answered);
    answered.whenComplete((v, failure) -> {
      if (failure != null && codeOf(failure) == ErrorCode.TIMEOUT) {
        loop.execute(() -> {
          if (session.isOpen() && session.generation() == generation) {
            sessionLost(failure instanceof ChatException c ? c : new ChatException(ErrorCode.TIMEOUT), true);
          }
        });
      }
    });
  }

  @Override
  public void onClose() {
    requests.failAll(new ChatException(ErrorCode.CLOSED));
    failOutbox(new ChatException(ErrorCode.CLOSED));
    peerSide.close();
  }

  /**
   * The sizes of what a server can make the client grow: requests in flight and what the inbox
   * remembers. On the loop only (for a driven client, between passes).
   */
  record Footprint(int inFlight, PushInbox.Footprint inbox, int peerLinks) {}

  Footprint footprint() {
    return new Footprint(requests.inFlight(), inbox.footprint(), peerSide.links());
  }

  // ---------------------------------------------------------------- small helpers

  /**
   * Runs an API call so that it fails through its future, never by throwing: a refused
   * argument (null, out of range) becomes {@code INVALID_REQUEST}, a ChatException stays itself.
   */
  private static <T> CompletableFuture<T> guarded(Supplier<CompletableFuture<T>> call) {
    try {
      return call.get();
    } catch (ChatException e) {
      return CompletableFuture.failedFuture(e);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(new ChatException(ErrorCode.INVALID_REQUEST, e.getMessage(), e));
    }
  }

  private static void checkPassword(String password) {
    int bytes = ProtocolLimits.utf8Length(password);
    if (bytes < ProtocolLimits.MIN_PASSWORD_BYTES || bytes > ProtocolLimits.MAX_PASSWORD_BYTES) {
      throw new ChatException(ErrorCode.INVALID_PASSWORD);
    }
  }

  private static ErrorCode codeOf(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null && !(t instanceof ChatException)) {
      t = t.getCause();
    }
    return t instanceof ChatException ? ((ChatException) t).code() : null;
  }
}
