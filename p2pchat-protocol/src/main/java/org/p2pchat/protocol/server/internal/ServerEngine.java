package org.p2pchat.protocol.server.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.HistoryPage;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.ProtocolLimits;
import org.p2pchat.api.UserName;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.server.ChatServer;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.api.store.NewMessage;
import org.p2pchat.api.store.StoredUser;
import org.p2pchat.api.transport.Transport;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.codec.ErrorEncoder;
import org.p2pchat.protocol.codec.FrameHeader;
import org.p2pchat.protocol.codec.FrameType;
import org.p2pchat.protocol.codec.HistoryDecoder;
import org.p2pchat.protocol.codec.HistoryOkEncoder;
import org.p2pchat.protocol.codec.LoginDecoder;
import org.p2pchat.protocol.codec.LogoutDecoder;
import org.p2pchat.protocol.codec.MarkReadDecoder;
import org.p2pchat.protocol.codec.OkEncoder;
import org.p2pchat.protocol.codec.PingDecoder;
import org.p2pchat.protocol.codec.PushAckDecoder;
import org.p2pchat.protocol.codec.PushMessageEncoder;
import org.p2pchat.protocol.codec.PushStateEncoder;
import org.p2pchat.protocol.codec.RegisterDecoder;
import org.p2pchat.protocol.codec.SendDecoder;
import org.p2pchat.protocol.internal.Utf8;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's dispatch core: one event-loop thread owns the socket and all protocol state
 * (sessions, cached answers, pending pushes, rate limits). Store calls and password hashes run
 * on other threads and hand their results back through {@link #execute}, so the loop never
 * blocks on disk or on a hash.
 */
public final class ServerEngine implements ChatServer {
  private static final Logger log = LoggerFactory.getLogger(ServerEngine.class);

  /** The smallest ERROR frame: a datagram shorter than this is never answered (no amplification). */
  private static final int MIN_ANSWERED_BYTES = 20;
  private static final long HOUSEKEEPING_INTERVAL_MILLIS = 1000;
  private static final long MAX_POLL_MILLIS = 250;
  private static final long BUSY_RETRY_MILLIS = 100;
  private static final long DRAIN_TIMEOUT_MILLIS = 10_000;
  /** Header, in-reply-to, next cursor and count of a history answer (docs/protocol.md). */
  private static final int HISTORY_OK_EMPTY_BYTES = FrameHeader.LENGTH + 1 + 8 + 1;
  /** An entry's id, time, state, two name lengths and the body length. */
  private static final int HISTORY_ENTRY_FIXED_BYTES = 8 + 8 + 1 + 1 + 1 + 2;

  private final Transport transport;
  private final ChatStore store;
  private final ServerConfig config;
  private final Clock clock;
  private final Thread loop;

  private final SessionTable sessions;
  private final AnswerCache answers;
  private final PushTracker pushes;
  private final LoginRateLimiter loginLimiter;
  private final PasswordHasher hasher;

  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean wakeupPending = new AtomicBoolean();
  private volatile boolean closing;

  // Loop-confined state below.
  private final ByteBuffer out = ByteBuffer.allocate(ProtocolLimits.MAX_DATAGRAM_BYTES);
  private final RegisterDecoder register = new RegisterDecoder();
  private final LoginDecoder login = new LoginDecoder();
  private final LogoutDecoder logout = new LogoutDecoder();
  private final SendDecoder send = new SendDecoder();
  private final HistoryDecoder history = new HistoryDecoder();
  private final PingDecoder ping = new PingDecoder();
  private final MarkReadDecoder markRead = new MarkReadDecoder();
  private final PushAckDecoder pushAck = new PushAckDecoder();
  private final HistoryOkEncoder historyOk = new HistoryOkEncoder();
  private long now;
  private long nextPushId = 1;
  private int pendingOperations;
  /** Registrations and logins in flight, a part of {@link #pendingOperations}. */
  private int pendingBeforeSession;

  private ServerEngine(Transport transport, ChatStore store, ServerConfig config, Clock clock) {
    this.transport = transport;
    this.store = store;
    this.config = config;
    this.clock = clock;
    this.sessions = new SessionTable(config.maxSessions(), config.maxSessionsPerUser(),
        config.sessionIdleTimeout().toMillis());
    this.answers = new AnswerCache(config.answerCacheEntries(), config.answerCacheBytes(),
        config.answerCacheTtl().toMillis());
    this.pushes = new PushTracker(config.maxPendingPushes(), config.pushInitialTimeout().toMillis(),
        config.pushAttempts());
    this.loginLimiter = new LoginRateLimiter(config.loginAttemptsPerAccount(),
        config.loginAttemptsPerAddress(), config.loginWindow().toMillis(), config.maxRateLimitEntries());
    this.hasher = new PasswordHasher(config.argon2MemoryKib(), config.argon2Iterations(),
        config.hashThreads(), config.maxQueuedHashes());
    this.loop = new Thread(this::run, "p2pchat-loop-" + transport.localAddress().getPort());
  }

  /** Starts a server on {@code transport}, which it owns and closes; the store stays the caller's. */
  public static ServerEngine start(Transport transport, ChatStore store, ServerConfig config, Clock clock) {
    ServerEngine engine = new ServerEngine(transport, store, config, clock);
    engine.loop.start();
    return engine;
  }

  /**
   * For benchmarks only: an engine whose loop thread is never started, driven by the caller
   * through {@link #dispatchForBenchmark} and {@link #runTasksForBenchmark}, which must then all
   * come from one thread. {@link #close} does not close the transport or the hash threads of
   * such an engine: call {@link #closeForBenchmark}.
   */
  public static ServerEngine createForBenchmark(Transport transport, ChatStore store, ServerConfig config,
      Clock clock) {
    return new ServerEngine(transport, store, config, clock);
  }

  /**
   * For benchmarks only: handles one datagram as the loop thread would (decode, session check,
   * dedup, handler, answer), on the calling thread. Not thread-safe.
   */
  public void dispatchForBenchmark(ByteBuffer frame, InetSocketAddress from) {
    onDatagram(frame, from);
  }

  /**
   * For benchmarks only: runs the completions (store and hash results) queued so far on the
   * calling thread, as the loop does after each poll. Not thread-safe.
   *
   * @return whether any task ran
   */
  public boolean runTasksForBenchmark() {
    boolean any = !tasks.isEmpty();
    wakeupPending.set(false);
    runTasks();
    return any;
  }

  /** For benchmarks only: stops the hash threads of an engine made by {@link #createForBenchmark}. */
  public void closeForBenchmark() {
    hasher.close();
  }

  @Override
  public InetSocketAddress localAddress() {
    return transport.localAddress();
  }

  @Override
  public void close() {
    closing = true;
    transport.wakeup();
    if (Thread.currentThread() != loop) {
      try {
        loop.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A snapshot of the sizes of everything a peer can grow, for tests and monitoring. */
  public record Stats(int sessions, int cachedAnswers, long cachedAnswerBytes, int pendingPushes,
      int rateLimitEntries, int pendingOperations) {}

  /** Takes a {@link Stats} snapshot on the event loop. Thread-safe. */
  public CompletableFuture<Stats> stats() {
    CompletableFuture<Stats> result = new CompletableFuture<>();
    execute(() -> result.complete(new Stats(sessions.size(), answers.size(), answers.bytes(),
        pushes.size(), loginLimiter.size(), pendingOperations)));
    return result;
  }

  /** Runs {@code task} on the event loop. Thread-safe. */
  void execute(Runnable task) {
    tasks.add(task);
    if (wakeupPending.compareAndSet(false, true)) {
      transport.wakeup();
    }
  }

  // ---------------------------------------------------------------- the loop

  private void run() {
    long lastHousekeeping = clock.millis();
    long drainDeadline = Long.MAX_VALUE;
    try {
      while (true) {
        now = clock.millis();
        if (closing) {
          if (drainDeadline == Long.MAX_VALUE) {
            drainDeadline = now + DRAIN_TIMEOUT_MILLIS;
          }
          if (pendingOperations == 0 || now >= drainDeadline) {
            break;
          }
        }
        long wait = tasks.isEmpty() ? pushes.millisUntilNext(now, MAX_POLL_MILLIS) : 0;
        transport.poll(this::onDatagram, wait);
        wakeupPending.set(false);
        runTasks();
        now = clock.millis();
        pushes.retransmitDue(now, this::resend);
        if (now - lastHousekeeping >= HOUSEKEEPING_INTERVAL_MILLIS) {
          sessions.expire(now);
          answers.evict(now);
          lastHousekeeping = now;
        }
      }
    } catch (IOException e) {
      if (!closing) {
        log.error("server socket failed; the server stops: {}", e.toString());
      }
    } catch (RuntimeException | Error e) {
      log.error("server event loop failed; the server stops", e);
    } finally {
      hasher.close();
      try {
        transport.close();
      } catch (IOException e) {
        log.debug("closing the transport failed: {}", e.toString());
      }
    }
  }

  private void runTasks() {
    Runnable task;
    while ((task = tasks.poll()) != null) {
      now = clock.millis();
      try {
        task.run();
      } catch (RuntimeException e) {
        log.error("a completion task failed", e);
      }
    }
  }

  // ---------------------------------------------------------------- dispatch

  private void onDatagram(ByteBuffer frame, InetSocketAddress from) {
    now = clock.millis(); // poll may have waited: session expiry must see the current time
    int type;
    try {
      type = FrameHeader.readType(frame);
    } catch (DecodeException e) {
      answerMalformed(frame, from, e);
      return;
    }
    try {
      switch (type) {
        case FrameType.REGISTER: onRegister(frame, from); break;
        case FrameType.LOGIN: onLogin(frame, from); break;
        case FrameType.LOGOUT: onLogout(frame, from); break;
        case FrameType.SEND: onSend(frame, from); break;
        case FrameType.HISTORY: onHistory(frame, from); break;
        case FrameType.PING: onPing(frame, from); break;
        case FrameType.MARK_READ: onMarkRead(frame, from); break;
        case FrameType.PUSH_ACK: onPushAck(frame, from); break;
        default: break; // server-to-client types from a client: silence
      }
    } catch (DecodeException e) {
      answerMalformed(frame, from, e);
    } catch (RuntimeException e) {
      log.warn("failed to handle a {} frame from {}: {}", FrameType.name(type), from, e.toString());
      answerError(frame.remaining(), from, FrameHeader.requestId(frame), ErrorCode.INTERNAL, 0);
    }
  }

  private void answerMalformed(ByteBuffer frame, InetSocketAddress from, DecodeException e) {
    int length = frame.remaining();
    if (length < MIN_ANSWERED_BYTES || !FrameHeader.hasHeader(frame)
        || e.reason() == DecodeException.Reason.BAD_MAGIC
        || e.reason() == DecodeException.Reason.OVERSIZED
        || (frame.get(frame.position() + 3) & 0x80) != 0) {
      return; // not our protocol, or an answer to an answer: silence helps no attacker
    }
    long requestId = FrameHeader.requestId(frame);
    out.clear();
    if (e.reason() == DecodeException.Reason.UNSUPPORTED_VERSION) {
      ErrorEncoder.encodeUnsupportedVersion(out, requestId);
    } else {
      ErrorEncoder.encode(out, requestId, e.code().code(), 0);
    }
    out.flip();
    sendBounded(out, from, length);
  }

  // ---------------------------------------------------------------- before a session

  private void onRegister(ByteBuffer frame, InetSocketAddress from) {
    register.wrap(frame);
    long requestId = register.requestId();
    AnswerCache.Key key = new AnswerCache.Key(from, requestId);
    int length = frame.remaining();
    if (replay(key, from, length)) {
      return;
    }
    UserName name = UserName.of(register.name());
    String password = register.password();
    if (Utf8.length(password) < ProtocolLimits.MIN_PASSWORD_BYTES) {
      answerError(length, from, requestId, ErrorCode.INVALID_PASSWORD, 0);
      return;
    }
    long wait = loginLimiter.tryAcquireRegistration(from.getAddress(), now);
    if (wait > 0) {
      answerError(length, from, requestId, ErrorCode.RATE_LIMITED, wait);
      return;
    }
    if (isOverloadedBeforeSession(length, from, requestId)) {
      return;
    }
    Instant createdAt = Instant.ofEpochMilli(now);
    beginBeforeSession(key);
    CompletableFuture<Void> created = hasher.hash(password)
        .thenCompose(hash -> store.createUser(StoredUser.of(name, hash, createdAt)));
    created.whenComplete((ok, failure) -> execute(() -> {
      endBeforeSession();
      out.clear();
      if (failure == null) {
        OkEncoder.encodeEmpty(out, requestId, FrameType.REGISTER);
      } else if (!encodeFailure(failure, requestId, key)) {
        sendBounded(out, from, length);
        return;
      }
      finish(key, from, length);
    }));
  }

  private void onLogin(ByteBuffer frame, InetSocketAddress from) {
    login.wrap(frame);
    long requestId = login.requestId();
    AnswerCache.Key key = new AnswerCache.Key(from, requestId);
    int length = frame.remaining();
    if (replay(key, from, length)) {
      return;
    }
    UserName name = UserName.of(login.name());
    String password = login.password();
    long wait = loginLimiter.checkLogin(from.getAddress(), name, now);
    if (wait > 0) {
      answerError(length, from, requestId, ErrorCode.RATE_LIMITED, wait);
      return;
    }
    if (sessions.isFull()) {
      sessions.expire(now);
      if (sessions.isFull()) {
        answerError(length, from, requestId, ErrorCode.SERVER_BUSY, BUSY_RETRY_MILLIS);
        return;
      }
    }
    if (isOverloadedBeforeSession(length, from, requestId)) {
      return;
    }
    beginBeforeSession(key);
    store.findUser(name)
        .thenCompose(user -> hasher.verify(password, user.map(StoredUser::passwordHash).orElse(null)))
        .whenComplete((verdict, failure) -> execute(() -> {
          endBeforeSession();
          out.clear();
          if (failure != null) {
            if (!encodeFailure(failure, requestId, key)) {
              sendBounded(out, from, length);
              return;
            }
          } else if (verdict.matches()) {
            Session session = sessions.open(name, from, now);
            OkEncoder.encodeLogin(out, requestId, session.token.hi(), session.token.lo(),
                config.keepaliveInterval().toMillis());
            if (verdict.needsRehash()) {
              rehash(name, password);
            }
          } else {
            loginLimiter.recordFailure(from.getAddress(), name, now);
            ErrorEncoder.encode(out, requestId, ErrorCode.INVALID_CREDENTIALS.code(), 0);
          }
          finish(key, from, length);
        }));
  }

  private void rehash(UserName name, String password) {
    hasher.hash(password)
        .thenCompose(hash -> store.updatePasswordHash(name, hash))
        .whenComplete((updated, failure) -> {
          if (failure != null) {
            log.warn("re-hashing the password of {} failed: {}", name, rootCause(failure).toString());
          }
        });
  }

  // ---------------------------------------------------------------- with a session

  private void onLogout(ByteBuffer frame, InetSocketAddress from) {
    logout.wrap(frame);
    AnswerCache.Key key = tokenKey(logout.tokenHi(), logout.tokenLo(), logout.requestId());
    int length = frame.remaining();
    if (replay(key, from, length)) {
      return;
    }
    Session session = session(logout.tokenHi(), logout.tokenLo(), logout.requestId(), from, length);
    if (session == null) {
      return;
    }
    sessions.close(session);
    out.clear();
    OkEncoder.encodeEmpty(out, logout.requestId(), FrameType.LOGOUT);
    finish(key, from, length);
  }

  private void onPing(ByteBuffer frame, InetSocketAddress from) {
    ping.wrap(frame);
    Session session = session(ping.tokenHi(), ping.tokenLo(), ping.requestId(), from, frame.remaining());
    if (session == null) {
      return;
    }
    out.clear();
    OkEncoder.encodeEmpty(out, ping.requestId(), FrameType.PING);
    out.flip();
    sendTo(out, from);
  }

  private void onSend(ByteBuffer frame, InetSocketAddress from) {
    send.wrap(frame);
    long requestId = send.requestId();
    AnswerCache.Key key = tokenKey(send.tokenHi(), send.tokenLo(), requestId);
    int length = frame.remaining();
    if (replay(key, from, length)) {
      return;
    }
    Session session = session(send.tokenHi(), send.tokenLo(), requestId, from, length);
    if (session == null || isOverloaded(length, from, requestId)) {
      return;
    }
    NewMessage message = NewMessage.of(session.user, UserName.of(send.recipient()), send.body(),
        Instant.ofEpochMilli(now));
    begin(key);
    store.append(List.of(message)).whenComplete((stored, failure) -> execute(() -> {
      end();
      out.clear();
      if (failure == null) {
        ChatMessage m = stored.get(0);
        OkEncoder.encodeSend(out, requestId, m.id(), m.sentAt().toEpochMilli());
        finish(key, from, length);
        pushMessage(m);
      } else {
        if (encodeFailure(failure, requestId, key)) {
          finish(key, from, length);
        } else {
          sendBounded(out, from, length);
        }
      }
    }));
  }

  private void onHistory(ByteBuffer frame, InetSocketAddress from) {
    history.wrap(frame);
    long requestId = history.requestId();
    AnswerCache.Key key = tokenKey(history.tokenHi(), history.tokenLo(), requestId);
    int length = frame.remaining();
    if (replay(key, from, length)) {
      return;
    }
    Session session = session(history.tokenHi(), history.tokenLo(), requestId, from, length);
    if (session == null || isOverloaded(length, from, requestId)) {
      return;
    }
    String peer = history.peer();
    HistoryQuery query = HistoryQuery.builder()
        .peer(Optional.ofNullable(peer).map(UserName::of))
        .unreadOnly(history.unreadOnly())
        .direction(history.after() ? HistoryQuery.Direction.AFTER : HistoryQuery.Direction.BEFORE)
        .cursor(history.cursor())
        .limit(history.limit())
        .build();
    begin(key);
    store.history(session.user, query).whenComplete((page, failure) -> execute(() -> {
      end();
      out.clear();
      if (failure == null) {
        encodeHistory(requestId, page, query.direction() == HistoryQuery.Direction.BEFORE);
      } else if (!encodeFailure(failure, requestId, key)) {
        sendBounded(out, from, length);
        return;
      }
      finish(key, from, length);
    }));
  }

  /**
   * Encodes as much of the page as fits one datagram: when paging backwards the newest
   * messages (nearest the cursor), else the oldest; the next cursor continues after them.
   */
  private void encodeHistory(long requestId, HistoryPage page, boolean before) {
    List<ChatMessage> messages = page.messages();
    int budget = ProtocolLimits.MAX_DATAGRAM_BYTES - HISTORY_OK_EMPTY_BYTES;
    int from = 0;
    int to = messages.size();
    if (before) {
      while (from < to && pageBytes(messages, from, to) > budget) {
        from++;
      }
    } else {
      while (to > from && pageBytes(messages, from, to) > budget) {
        to--;
      }
    }
    boolean trimmed = to - from < messages.size();
    long next = 0;
    if ((trimmed || page.nextCursor().isPresent()) && to > from) {
      next = before ? messages.get(from).id() : messages.get(to - 1).id();
    }
    historyOk.wrap(out, requestId);
    for (int i = from; i < to; i++) {
      historyOk.tryAdd(messages.get(i));
    }
    historyOk.nextCursor(next);
    historyOk.finish();
  }

  /** The encoded size of history entries {@code from} (inclusive) to {@code to} (exclusive). */
  private static int pageBytes(List<ChatMessage> messages, int from, int to) {
    int bytes = 0;
    for (int i = from; i < to; i++) {
      ChatMessage m = messages.get(i);
      bytes += HISTORY_ENTRY_FIXED_BYTES + m.sender().value().length() + m.recipient().value().length()
          + Utf8.length(m.body());
    }
    return bytes;
  }

  private void onMarkRead(ByteBuffer frame, InetSocketAddress from) {
    markRead.wrap(frame);
    long requestId = markRead.requestId();
    AnswerCache.Key key = tokenKey(markRead.tokenHi(), markRead.tokenLo(), requestId);
    int length = frame.remaining();
    if (replay(key, from, length)) {
      return;
    }
    Session session = session(markRead.tokenHi(), markRead.tokenLo(), requestId, from, length);
    if (session == null || isOverloaded(length, from, requestId)) {
      return;
    }
    List<Long> ids = new ArrayList<>(markRead.count());
    for (int i = 0; i < markRead.count(); i++) {
      ids.add(markRead.messageId(i));
    }
    begin(key);
    store.markRead(session.user, ids).whenComplete((changed, failure) -> execute(() -> {
      end();
      out.clear();
      if (failure == null) {
        OkEncoder.encodeEmpty(out, requestId, FrameType.MARK_READ);
        finish(key, from, length);
        for (ChatMessage m : changed) {
          pushState(m, DeliveryState.READ);
        }
      } else if (encodeFailure(failure, requestId, key)) {
        finish(key, from, length);
      } else {
        sendBounded(out, from, length);
      }
    }));
  }

  private void onPushAck(ByteBuffer frame, InetSocketAddress from) {
    pushAck.wrap(frame);
    Session session = sessions.find(pushAck.tokenHi(), pushAck.tokenLo(), now);
    if (session == null) {
      return; // never answered: a stranger learns nothing
    }
    session.heardFrom(from, now);
    PendingPush push = pushes.acknowledged(pushAck.requestId(), session);
    if (push == null || !push.isMessage) {
      return;
    }
    UserName recipient = session.user;
    store.markDelivered(recipient, List.of(push.message.id())).whenComplete((changed, failure) -> {
      if (failure != null) {
        log.warn("marking message {} delivered failed: {}", push.message.id(), rootCause(failure).toString());
        return;
      }
      execute(() -> {
        for (ChatMessage m : changed) {
          pushState(m, DeliveryState.DELIVERED);
        }
      });
    });
  }

  // ---------------------------------------------------------------- pushes

  private void pushMessage(ChatMessage m) {
    for (Session target : sessions.online(m.recipient(), now, config.onlineWindow().toMillis())) {
      if (pushes.isFull()) {
        return;
      }
      long pushId = nextPushId++;
      out.clear();
      PushMessageEncoder.encode(out, pushId, m.id(), m.sentAt().toEpochMilli(), m.sender().value(), m.body());
      startPush(new PendingPush(pushId, target, m, true, copyOut()));
    }
  }

  private void pushState(ChatMessage m, DeliveryState state) {
    for (Session target : sessions.online(m.sender(), now, config.onlineWindow().toMillis())) {
      if (pushes.isFull()) {
        return;
      }
      long pushId = nextPushId++;
      out.clear();
      PushStateEncoder.encode(out, pushId, m.id(), state.code(), m.recipient().value());
      startPush(new PendingPush(pushId, target, m, false, copyOut()));
    }
  }

  private void startPush(PendingPush push) {
    pushes.sent(push, now);
    sendTo(ByteBuffer.wrap(push.frame), push.session.address);
  }

  private void resend(PendingPush push) {
    sendTo(ByteBuffer.wrap(push.frame), push.session.address);
  }

  private byte[] copyOut() {
    out.flip();
    byte[] copy = new byte[out.remaining()];
    out.get(copy);
    return copy;
  }

  // ---------------------------------------------------------------- helpers

  private static AnswerCache.Key tokenKey(long hi, long lo, long requestId) {
    return new AnswerCache.Key(new TokenKey(hi, lo), requestId);
  }

  /** Resends a cached answer, or drops a retransmission of a request still in progress. */
  private boolean replay(AnswerCache.Key key, InetSocketAddress from, int requestLength) {
    byte[] cached = answers.get(key, now);
    if (cached == null) {
      return false;
    }
    if (cached != AnswerCache.PENDING) {
      sendBounded(ByteBuffer.wrap(cached), from, requestLength);
    }
    return true;
  }

  /** The live session of a token, touched; or null after answering NOT_LOGGED_IN. */
  private Session session(long hi, long lo, long requestId, InetSocketAddress from, int length) {
    Session session = sessions.find(hi, lo, now);
    if (session == null) {
      answerError(length, from, requestId, ErrorCode.NOT_LOGGED_IN, 0);
      return null;
    }
    session.heardFrom(from, now);
    return session;
  }

  /** Answers SERVER_BUSY when too much work is in flight, or when shutting down. */
  private boolean isOverloaded(int length, InetSocketAddress from, long requestId) {
    if (closing || pendingOperations - pendingBeforeSession >= config.maxPendingOperations()) {
      answerError(length, from, requestId, ErrorCode.SERVER_BUSY, BUSY_RETRY_MILLIS);
      return true;
    }
    return false;
  }

  /**
   * Answers SERVER_BUSY to a registration or login when the hasher is saturated. Work before a
   * session has its own budget (what the hasher can hold), so a flood of logins from spoofed
   * addresses never takes the slots of users who are already logged in.
   */
  private boolean isOverloadedBeforeSession(int length, InetSocketAddress from, long requestId) {
    if (closing || pendingBeforeSession >= config.hashThreads() + config.maxQueuedHashes()) {
      answerError(length, from, requestId, ErrorCode.SERVER_BUSY, BUSY_RETRY_MILLIS);
      return true;
    }
    return false;
  }

  private void beginBeforeSession(AnswerCache.Key key) {
    begin(key);
    pendingBeforeSession++;
  }

  private void endBeforeSession() {
    end();
    pendingBeforeSession--;
  }

  private void begin(AnswerCache.Key key) {
    answers.putPending(key, now);
    pendingOperations++;
  }

  private void end() {
    pendingOperations--;
  }

  /** Caches the answer in {@link #out} under {@code key} and sends it. */
  private void finish(AnswerCache.Key key, InetSocketAddress to, int requestLength) {
    out.flip();
    answers.putAnswer(key, out, now);
    sendBounded(out, to, requestLength);
  }

  /**
   * Encodes an operation's failure into {@link #out}.
   *
   * @return whether the answer may be cached; transient failures (busy) are not, and their
   *     key is forgotten so that a retransmission is tried afresh
   */
  private boolean encodeFailure(Throwable failure, long requestId, AnswerCache.Key key) {
    Throwable cause = rootCause(failure);
    ErrorCode code = ErrorCode.INTERNAL;
    long retryAfter = 0;
    if (cause instanceof ChatException) {
      ChatException e = (ChatException) cause;
      code = e.code().isWireCode() ? e.code() : ErrorCode.SERVER_BUSY;
      retryAfter = e.retryAfter().map(d -> d.toMillis()).orElse(0L);
    } else {
      log.error("a store or hash operation failed", cause);
    }
    boolean transientFailure = code == ErrorCode.SERVER_BUSY || code == ErrorCode.INTERNAL;
    if (transientFailure) {
      answers.remove(key);
      retryAfter = Math.max(retryAfter, BUSY_RETRY_MILLIS);
    }
    ErrorEncoder.encode(out, requestId, code.code(), retryAfter);
    if (!transientFailure) {
      return true;
    }
    out.flip();
    return false;
  }

  private void answerError(int requestLength, InetSocketAddress to, long requestId, ErrorCode code, long retryAfter) {
    out.clear();
    ErrorEncoder.encode(out, requestId, code.code(), retryAfter);
    out.flip();
    sendBounded(out, to, requestLength);
  }

  /**
   * Sends an answer unless it is larger than the request that caused it: a spoofed request
   * must not make the server an amplifier. Answers that legitimately exceed their request
   * (history pages) go only to sessions, whose address was proven by a login.
   */
  private void sendBounded(ByteBuffer answer, InetSocketAddress to, int requestLength) {
    if (answer.remaining() > requestLength && !isHistoryPage(answer)) {
      return;
    }
    sendTo(answer, to);
  }

  /** History pages go only to a session's token holder, whose address a login proved. */
  private static boolean isHistoryPage(ByteBuffer answer) {
    int p = answer.position();
    return answer.remaining() > FrameHeader.LENGTH
        && (answer.get(p + 3) & 0xff) == FrameType.OK
        && (answer.get(p + FrameHeader.LENGTH) & 0xff) == FrameType.HISTORY;
  }

  private void sendTo(ByteBuffer datagram, InetSocketAddress to) {
    try {
      transport.send(datagram, to);
    } catch (IOException e) {
      log.debug("sending to {} failed: {}", to, e.toString());
    }
  }

  private static Throwable rootCause(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

}
