package org.p2pchat.protocol.client.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
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
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.transport.Transport;
import org.p2pchat.protocol.ClientConfig;
import org.p2pchat.protocol.codec.ErrorDecoder;
import org.p2pchat.protocol.codec.FrameHeader;
import org.p2pchat.protocol.codec.FrameType;
import org.p2pchat.protocol.codec.HistoryEncoder;
import org.p2pchat.protocol.codec.LoginEncoder;
import org.p2pchat.protocol.codec.LogoutEncoder;
import org.p2pchat.protocol.codec.MarkReadEncoder;
import org.p2pchat.protocol.codec.OkDecoder;
import org.p2pchat.protocol.codec.PingEncoder;
import org.p2pchat.protocol.codec.PushAckEncoder;
import org.p2pchat.protocol.codec.PushMessageDecoder;
import org.p2pchat.protocol.codec.PushStateDecoder;
import org.p2pchat.protocol.codec.RegisterEncoder;
import org.p2pchat.protocol.codec.SendEncoder;
import org.p2pchat.protocol.internal.Utf8;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client engine: one loop thread owns the socket, the requests in flight and the session;
 * futures complete and the listener runs on a second thread, so user code never stalls the
 * network. Requests are retransmitted with an RTT-based, exponentially backed-off, jittered
 * timeout until answered or given up.
 */
public final class ClientEngine implements ChatClient {
  private static final Logger log = LoggerFactory.getLogger(ClientEngine.class);
  private static final long MAX_POLL_MILLIS = 100;
  private static final int MAX_MARK_READ_IDS = 64;
  private static final int REMEMBERED_PUSHES = 4096;
  private static final long CLOSE_LOGOUT_WAIT_MILLIS = 1000;

  private final Transport transport;
  private final InetSocketAddress server;
  private final ClientConfig config;
  private final ChatListener listener;
  private final Clock clock;
  private final Thread loop;
  private final ExecutorService events;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean wakeupPending = new AtomicBoolean();
  private volatile boolean closed;
  private volatile UserName user;

  // Loop-confined state below.
  private final Map<Long, PendingRequest> inFlight = new HashMap<>();
  private final PriorityQueue<PendingRequest> byDeadline =
      new PriorityQueue<>((a, b) -> Long.compare(a.deadlineMillis, b.deadlineMillis));
  private final RttEstimator rtt;
  private final Random jitter = new Random();
  private final ByteBuffer out = ByteBuffer.allocate(ProtocolLimits.MAX_DATAGRAM_BYTES);
  private final OkDecoder ok = new OkDecoder();
  private final ErrorDecoder error = new ErrorDecoder();
  private final PushMessageDecoder pushMessage = new PushMessageDecoder();
  private final PushStateDecoder pushState = new PushStateDecoder();
  /** Push ids and message ids already handed to the listener, to drop duplicates. */
  private final Map<Long, Boolean> seenMessages = boundedMap();
  private final Map<String, Boolean> seenStates = boundedMap();
  /** The newest message id handed to the listener per sender, to keep each sender's order. */
  private final Map<UserName, Long> newestDelivered = new HashMap<>();
  private long nextRequestId;
  private boolean loggedIn;
  private long tokenHi;
  private long tokenLo;
  private long keepaliveMillis;
  private long nextPingMillis;
  private long now;

  private ClientEngine(Transport transport, InetSocketAddress server, ClientConfig config,
      ChatListener listener, Clock clock) {
    this.transport = transport;
    this.server = server;
    this.config = config;
    this.listener = listener != null ? listener : message -> { };
    this.clock = clock;
    this.rtt = new RttEstimator(config.initialRetransmitTimeout().toMillis(),
        config.minRetransmitTimeout().toMillis(), config.maxRetransmitTimeout().toMillis());
    this.nextRequestId = new SecureRandom().nextLong() & 0x3fff_ffff_ffff_ffffL;
    this.keepaliveMillis = config.keepaliveInterval().toMillis();
    this.events = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "p2pchat-client-events");
      t.setDaemon(true);
      return t;
    });
    this.loop = new Thread(this::run, "p2pchat-client-" + transport.localAddress().getPort());
    this.loop.setDaemon(true);
  }

  /** Starts a client on {@code transport}, which it owns and closes. */
  public static ClientEngine start(Transport transport, InetSocketAddress server, ClientConfig config,
      ChatListener listener, Clock clock) {
    ClientEngine engine = new ClientEngine(transport, server, config, listener, clock);
    engine.loop.start();
    return engine;
  }

  // ---------------------------------------------------------------- the API

  @Override
  public CompletableFuture<Void> register(UserName name, String password) {
    checkPassword(password);
    return request(FrameType.REGISTER, id -> RegisterEncoder.encode(out, id, name.value(), password),
        answer -> null);
  }

  @Override
  public CompletableFuture<Void> login(UserName name, String password) {
    if (password.isEmpty() || Utf8.length(password) > ProtocolLimits.MAX_PASSWORD_BYTES) {
      return CompletableFuture.failedFuture(new ChatException(ErrorCode.INVALID_CREDENTIALS));
    }
    return request(FrameType.LOGIN, id -> LoginEncoder.encode(out, id, name.value(), password),
        answer -> {
          loggedIn = true;
          tokenHi = answer.tokenHi();
          tokenLo = answer.tokenLo();
          keepaliveMillis = Math.max(1000, answer.keepaliveMillis());
          nextPingMillis = now + keepaliveMillis;
          newestDelivered.clear();
          user = name;
          return null;
        });
  }

  @Override
  public CompletableFuture<ChatMessage> send(UserName recipient, String body) {
    ChatMessage.checkBody(body);
    return sessionRequest(FrameType.SEND,
        id -> SendEncoder.encode(out, id, tokenHi, tokenLo, recipient.value(), body),
        answer -> ChatMessage.builder()
            .id(answer.messageId())
            .sender(user)
            .recipient(recipient)
            .body(body)
            .sentAt(Instant.ofEpochMilli(answer.sentAtMillis()))
            .build());
  }

  @Override
  public CompletableFuture<HistoryPage> history(HistoryQuery query) {
    return sessionRequest(FrameType.HISTORY,
        id -> HistoryEncoder.encode(out, id, tokenHi, tokenLo, query.peer().map(UserName::value).orElse(null),
            query.unreadOnly(), query.direction() == HistoryQuery.Direction.AFTER, query.cursor(), query.limit()),
        answer -> {
          List<ChatMessage> messages = new ArrayList<>(answer.count());
          for (int i = 0; i < answer.count(); i++) {
            messages.add(answer.message(i));
          }
          long next = answer.nextCursor();
          return HistoryPage.of(messages, next == 0 ? OptionalLong.empty() : OptionalLong.of(next));
        });
  }

  @Override
  public CompletableFuture<Void> markRead(Collection<Long> messageIds) {
    long[] ids = messageIds.stream().mapToLong(Long::longValue).toArray();
    for (long id : ids) {
      if (id <= 0) {
        throw new IllegalArgumentException("message ids are > 0: " + id);
      }
    }
    List<CompletableFuture<Void>> parts = new ArrayList<>();
    for (int from = 0; from < ids.length; from += MAX_MARK_READ_IDS) {
      long[] chunk = java.util.Arrays.copyOfRange(ids, from, Math.min(ids.length, from + MAX_MARK_READ_IDS));
      parts.add(sessionRequest(FrameType.MARK_READ,
          id -> MarkReadEncoder.encode(out, id, tokenHi, tokenLo, chunk, chunk.length), answer -> null));
    }
    return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0]));
  }

  @Override
  public CompletableFuture<Void> logout() {
    CompletableFuture<Void> result = new CompletableFuture<>();
    CompletableFuture<Void> sent = sessionRequest(FrameType.LOGOUT,
        id -> LogoutEncoder.encode(out, id, tokenHi, tokenLo), answer -> {
          endSession();
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
  public Optional<UserName> user() {
    return Optional.ofNullable(user);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    if (user != null) {
      try {
        logout().get(CLOSE_LOGOUT_WAIT_MILLIS, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        log.debug("logout at close failed: {}", e.toString());
      }
    }
    closed = true;
    transport.wakeup();
    if (Thread.currentThread() != loop) {
      try {
        loop.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    events.shutdown();
  }

  // ---------------------------------------------------------------- requests

  /** Encodes a frame into {@code out} given its request id. */
  private interface FrameWriter {
    void write(long requestId);
  }

  private <T> CompletableFuture<T> sessionRequest(int type, FrameWriter writer, Function<OkDecoder, T> onOk) {
    return submit(type, writer, onOk, true);
  }

  private <T> CompletableFuture<T> request(int type, FrameWriter writer, Function<OkDecoder, T> onOk) {
    return submit(type, writer, onOk, false);
  }

  @SuppressWarnings("unchecked")
  private <T> CompletableFuture<T> submit(int type, FrameWriter writer, Function<OkDecoder, T> onOk,
      boolean needsSession) {
    CompletableFuture<Object> future = new CompletableFuture<>();
    if (closed) {
      return CompletableFuture.failedFuture(new ChatException(ErrorCode.CLOSED));
    }
    execute(() -> {
      if (closed) {
        fail(future, new ChatException(ErrorCode.CLOSED));
        return;
      }
      if (needsSession && !loggedIn) {
        fail(future, new ChatException(ErrorCode.NOT_LOGGED_IN));
        return;
      }
      if (inFlight.size() >= config.maxInFlight()) {
        fail(future, new ChatException(ErrorCode.SERVER_BUSY, "too many requests in flight"));
        return;
      }
      long id = nextRequestId++;
      out.clear();
      writer.write(id);
      out.flip();
      byte[] frame = new byte[out.remaining()];
      out.get(frame);
      PendingRequest r = new PendingRequest(id, type, frame, future, (Function<OkDecoder, Object>) onOk,
          now, now + config.requestDeadline().toMillis());
      inFlight.put(id, r);
      transmit(r);
    });
    return (CompletableFuture<T>) future;
  }

  private void transmit(PendingRequest r) {
    r.attempts++;
    long timeout = rtt.backoffMillis(r.attempts);
    timeout += (long) (timeout * 0.25 * jitter.nextDouble());
    r.deadlineMillis = Math.min(now + timeout, r.giveUpAtMillis);
    byDeadline.add(r);
    sendToServer(ByteBuffer.wrap(r.frame));
  }

  private void retransmitDue() {
    while (!byDeadline.isEmpty() && byDeadline.peek().deadlineMillis <= now) {
      PendingRequest r = byDeadline.poll();
      if (inFlight.get(r.requestId) != r) {
        continue;
      }
      if (r.attempts >= config.maxAttempts() || now >= r.giveUpAtMillis) {
        inFlight.remove(r.requestId);
        fail(r.future, new ChatException(ErrorCode.TIMEOUT));
        continue;
      }
      transmit(r);
    }
  }

  private void keepAlive() {
    if (loggedIn && now >= nextPingMillis) {
      nextPingMillis = now + keepaliveMillis;
      submit(FrameType.PING, id -> PingEncoder.encode(out, id, tokenHi, tokenLo), answer -> null, true)
          .exceptionally(failure -> null); // a lost session is reported through the listener
    }
  }

  // ---------------------------------------------------------------- the loop

  private void execute(Runnable task) {
    tasks.add(task);
    if (wakeupPending.compareAndSet(false, true)) {
      transport.wakeup();
    }
  }

  private void run() {
    try {
      while (!closed) {
        now = clock.millis();
        long wait = MAX_POLL_MILLIS;
        if (!tasks.isEmpty()) {
          wait = 0;
        } else if (!byDeadline.isEmpty()) {
          wait = Math.max(0, Math.min(wait, byDeadline.peek().deadlineMillis - now));
        }
        transport.poll(this::onDatagram, wait);
        wakeupPending.set(false);
        Runnable task;
        while ((task = tasks.poll()) != null) {
          now = clock.millis();
          task.run();
        }
        now = clock.millis();
        retransmitDue();
        keepAlive();
      }
    } catch (IOException e) {
      if (!closed) {
        log.error("client socket failed: {}", e.toString());
      }
    } catch (RuntimeException | Error e) {
      log.error("client event loop failed", e);
    } finally {
      closed = true;
      ChatException closedError = new ChatException(ErrorCode.CLOSED);
      for (PendingRequest r : inFlight.values()) {
        fail(r.future, closedError);
      }
      inFlight.clear();
      Runnable task;
      while ((task = tasks.poll()) != null) {
        task.run(); // each fails its future: closed is set
      }
      try {
        transport.close();
      } catch (IOException e) {
        log.debug("closing the transport failed: {}", e.toString());
      }
    }
  }

  private void onDatagram(ByteBuffer frame, InetSocketAddress from) {
    now = clock.millis();
    if (!from.equals(server)) {
      return; // only the server speaks to us
    }
    try {
      switch (FrameHeader.readType(frame)) {
        case FrameType.OK: onOk(frame); break;
        case FrameType.ERROR: onError(frame); break;
        case FrameType.PUSH_MESSAGE: onPushMessage(frame); break;
        case FrameType.PUSH_STATE: onPushState(frame); break;
        default: break;
      }
    } catch (DecodeException e) {
      log.debug("dropped a malformed datagram from the server: {}", e.getMessage());
    }
  }

  private void onOk(ByteBuffer frame) {
    ok.wrap(frame);
    PendingRequest r = inFlight.get(ok.requestId());
    if (r == null || ok.inReplyTo() != r.type) {
      return;
    }
    inFlight.remove(r.requestId);
    if (r.attempts == 1) {
      rtt.sample(now - r.firstSentMillis);
    }
    Object value;
    try {
      value = r.onOk.apply(ok);
    } catch (RuntimeException e) {
      fail(r.future, new ChatException(ErrorCode.INTERNAL, "the server's answer was not understood", e));
      return;
    }
    events.execute(() -> r.future.complete(value));
  }

  private void onError(ByteBuffer frame) {
    error.wrap(frame);
    PendingRequest r = inFlight.remove(error.requestId());
    if (r == null) {
      return;
    }
    ErrorCode code = ErrorCode.of(error.errorCode()).filter(ErrorCode::isWireCode).orElse(ErrorCode.INTERNAL);
    ChatException failure = error.retryAfterMillis() > 0
        ? ChatException.retryLater(code, error.retryAfterMillis())
        : new ChatException(code);
    if (code == ErrorCode.NOT_LOGGED_IN && loggedIn && r.type != FrameType.LOGOUT) {
      endSession();
      events.execute(() -> listener.onSessionLost(failure));
    }
    fail(r.future, failure);
  }

  private void onPushMessage(ByteBuffer frame) {
    pushMessage.wrap(frame);
    if (!loggedIn) {
      return; // not ours to acknowledge: the server retries, then history has it
    }
    long messageId = pushMessage.messageId();
    if (seenMessages.containsKey(messageId)) {
      acknowledge(pushMessage.requestId()); // our earlier ack was lost
      return;
    }
    UserName sender = UserName.of(pushMessage.sender());
    Long newest = newestDelivered.get(sender);
    if (newest != null && messageId < newest) {
      // Older than one already shown: showing it now would break the sender's order. Leave it
      // unacknowledged, so it stays undelivered and shows up in history instead.
      return;
    }
    ChatMessage message = ChatMessage.builder()
        .id(messageId)
        .sender(sender)
        .recipient(user)
        .body(pushMessage.body())
        .sentAt(Instant.ofEpochMilli(pushMessage.sentAtMillis()))
        .state(DeliveryState.DELIVERED)
        .build();
    seenMessages.put(messageId, Boolean.TRUE);
    newestDelivered.put(sender, messageId);
    acknowledge(pushMessage.requestId());
    events.execute(() -> listener.onMessage(message));
  }

  private void onPushState(ByteBuffer frame) {
    pushState.wrap(frame);
    if (!loggedIn) {
      return;
    }
    acknowledge(pushState.requestId());
    long messageId = pushState.messageId();
    DeliveryState state = DeliveryState.of(pushState.state());
    if (seenStates.put(messageId + ":" + state, Boolean.TRUE) != null) {
      return;
    }
    UserName recipient = UserName.of(pushState.recipient());
    events.execute(() -> listener.onStateChanged(messageId, recipient, state));
  }

  private void acknowledge(long pushId) {
    out.clear();
    PushAckEncoder.encode(out, pushId, tokenHi, tokenLo);
    out.flip();
    sendToServer(out);
  }

  private void endSession() {
    loggedIn = false;
    user = null;
  }

  private void sendToServer(ByteBuffer datagram) {
    try {
      transport.send(datagram, server);
    } catch (IOException e) {
      log.debug("sending to the server failed: {}", e.toString());
    }
  }

  private void fail(CompletableFuture<Object> future, ChatException failure) {
    events.execute(() -> future.completeExceptionally(failure));
  }

  // ---------------------------------------------------------------- small helpers

  private static void checkPassword(String password) {
    int bytes = Utf8.length(password);
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

  private static <K> Map<K, Boolean> boundedMap() {
    return new LinkedHashMap<>() {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<K, Boolean> eldest) {
        return size() > REMEMBERED_PUSHES;
      }
    };
  }
}
