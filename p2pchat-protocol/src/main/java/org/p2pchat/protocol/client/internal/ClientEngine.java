package org.p2pchat.protocol.client.internal;

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
import org.p2pchat.protocol.ClientConfig;
import org.p2pchat.protocol.codec.internal.CredentialsFlyweight;
import org.p2pchat.protocol.codec.internal.EmptyOkFlyweight;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.HeaderFlyweight;
import org.p2pchat.protocol.codec.internal.HistoryFlyweight;
import org.p2pchat.protocol.codec.internal.HistoryOkFlyweight;
import org.p2pchat.protocol.codec.internal.LoginOkFlyweight;
import org.p2pchat.protocol.codec.internal.MarkReadFlyweight;
import org.p2pchat.protocol.codec.internal.SendFlyweight;
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
  private final RoomInbox roomInbox;
  private final RoomCalls rooms;

  // The loop's flyweights, one per layout.
  private final CredentialsFlyweight register = new CredentialsFlyweight(FrameType.REGISTER);
  private final CredentialsFlyweight login = new CredentialsFlyweight(FrameType.LOGIN);
  private final TokenFlyweight logout = new TokenFlyweight(FrameType.LOGOUT);
  private final TokenFlyweight ping = new TokenFlyweight(FrameType.PING);
  private final SendFlyweight send = new SendFlyweight();
  private final HistoryFlyweight history = new HistoryFlyweight();
  private final MarkReadFlyweight markRead = new MarkReadFlyweight();
  private final EmptyOkFlyweight emptyOk = new EmptyOkFlyweight();
  private final LoginOkFlyweight loginOk = new LoginOkFlyweight();
  private final SendOkFlyweight sendOk = new SendOkFlyweight();
  private final HistoryOkFlyweight historyOk = new HistoryOkFlyweight();
  private final Requests.AnswerReader<Void> emptyAnswer = frame -> {
    emptyOk.wrap(frame);
    return null;
  };

  private ClientEngine(Transport transport, InetSocketAddress server, ClientConfig config,
      ChatListener listener, Clock clock, Events events) {
    this.server = server;
    this.events = events;
    this.listener = listener != null ? listener : message -> { };
    this.loop = new EventLoop(transport, clock, this, MAX_POLL_MILLIS, 0);
    this.session = new ClientSession(config.keepaliveInterval().toMillis());
    this.requests = new Requests(loop, server, config, events);
    this.inbox = new PushInbox(loop, server, session, this.listener, events);
    this.roomInbox = new RoomInbox(loop, server, session, this.listener, events);
    this.rooms = new RoomCalls(new RoomCalls.Sender() {
      @Override
      public <T> CompletableFuture<T> request(FrameType type, Requests.FrameWriter w, Requests.AnswerReader<T> r) {
        return ClientEngine.this.request(type, true, w, r);
      }
    }, session);
  }

  /** Starts a client on {@code transport}, which it owns and closes. */
  public static ClientEngine start(Transport transport, InetSocketAddress server, ClientConfig config,
      ChatListener listener, Clock clock) {
    ClientEngine engine = new ClientEngine(transport, server, config, listener, clock, new Events());
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
    return new ClientEngine(transport, server, config, listener, clock, new Events(events));
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
          inbox.reset();
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
    return request(FrameType.SEND, true,
        (out, id) -> send.encode(out, id).token(session.tokenHi(), session.tokenLo())
            .recipient(recipient.value()).body(body).finish(),
        frame -> {
          sendOk.wrap(frame);
          return ChatMessage.builder()
              .id(sendOk.messageId())
              .sender(session.user())
              .recipient(recipient)
              .body(body)
              .sentAt(Instant.ofEpochMilli(sendOk.sentAtMillis()))
              .build();
        });
  }

  @Override
  public CompletableFuture<HistoryPage> history(HistoryQuery query) {
    return guarded(() -> historyChecked(Objects.requireNonNull(query, "query")));
  }

  private CompletableFuture<HistoryPage> historyChecked(HistoryQuery query) {
    return request(FrameType.HISTORY, true,
        (out, id) -> history.encode(out, id).token(session.tokenHi(), session.tokenLo())
            .peer(query.peer().map(UserName::value).orElse(null))
            .query(query.unreadOnly(), query.direction() == HistoryQuery.Direction.AFTER,
                query.cursor(), query.limit())
            .finish(),
        frame -> {
          historyOk.wrap(frame);
          List<ChatMessage> messages = new ArrayList<>(historyOk.count());
          for (int i = 0; i < historyOk.count(); i++) {
            messages.add(historyOk.message(i));
          }
          long next = historyOk.nextCursor();
          return HistoryPage.of(messages, next == 0 ? OptionalLong.empty() : OptionalLong.of(next));
        });
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
    CompletableFuture<Void> result = new CompletableFuture<>();
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
  public Optional<UserName> user() {
    return Optional.ofNullable(session.user());
  }

  @Override
  public void close() {
    if (loop.isClosing()) {
      return;
    }
    if (session.user() != null) {
      try {
        logout().get(CLOSE_LOGOUT_WAIT_MILLIS, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        log.debug("logout at close failed: {}", e.toString());
      }
    }
    loop.close();
    events.shutdown();
  }

  // ---------------------------------------------------------------- requests

  @SuppressWarnings("unchecked") // the reader makes the future's value
  private <T> CompletableFuture<T> request(FrameType type, boolean needsSession,
      Requests.FrameWriter writer, Requests.AnswerReader<T> reader) {
    CompletableFuture<Object> future = new CompletableFuture<>();
    if (loop.isClosing()) {
      return CompletableFuture.failedFuture(new ChatException(ErrorCode.CLOSED));
    }
    loop.execute(() -> {
      if (loop.isClosing()) {
        events.fail(future, new ChatException(ErrorCode.CLOSED));
      } else if (needsSession && !session.isOpen()) {
        events.fail(future, new ChatException(ErrorCode.NOT_LOGGED_IN));
      } else {
        requests.send(type, writer, reader, future);
      }
    });
    return (CompletableFuture<T>) (CompletableFuture<?>) future;
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
    try {
      switch (FrameType.ofCode(HeaderFlyweight.readType(frame))) {
        case OK -> requests.onOk(frame);
        case ERROR -> onError(frame);
        case PUSH_MESSAGE -> inbox.onPushMessage(frame);
        case PUSH_STATE -> inbox.onPushState(frame);
        case PUSH_ROOM_MESSAGE -> roomInbox.onPushRoomMessage(frame);
        case PUSH_ROOM_READ -> roomInbox.onPushRoomRead(frame);
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
      session.end();
      events.run(() -> listener.onSessionLost(failed.failure()));
    }
  }

  @Override
  public void onDuty(long nowMillis) {
    if (session.pingDue(nowMillis)) {
      request(FrameType.PING, true,
          (out, id) -> ping.encode(out, id).token(session.tokenHi(), session.tokenLo()).finish(),
          emptyAnswer)
          .exceptionally(failure -> null); // a lost session is reported through the listener
    }
  }

  @Override
  public void onClose() {
    requests.failAll(new ChatException(ErrorCode.CLOSED));
  }

  /**
   * The sizes of what a server can make the client grow: requests in flight and what the inbox
   * remembers. On the loop only (for a driven client, between passes).
   */
  record Footprint(int inFlight, PushInbox.Footprint inbox) {}

  Footprint footprint() {
    return new Footprint(requests.inFlight(), inbox.footprint());
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
