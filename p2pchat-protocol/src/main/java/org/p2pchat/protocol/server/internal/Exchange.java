package org.p2pchat.protocol.server.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.ProtocolLimits;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.ServerMetrics;
import org.p2pchat.protocol.codec.internal.EmptyOkFlyweight;
import org.p2pchat.protocol.codec.internal.ErrorFlyweight;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.HeaderFlyweight;
import org.p2pchat.protocol.codec.internal.SessionFlyweight;
import org.p2pchat.protocol.internal.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request being handled, and what every handler does with it: replay of a cached answer,
 * session look-up, admission (busy), the OK or ERROR answer, and completion on the loop of work
 * done elsewhere (a store write, a password hash). One instance, owned and reused by the loop:
 * it points at each datagram in turn, and again at each request whose work completes.
 *
 * <p>Answers are bounded: one larger than its request is not sent (a spoofed request must not
 * make the server an amplifier), unless the handler says it goes to a session's proven
 * address ({@link #replyUnbounded}).
 */
final class Exchange {
  private static final Logger log = LoggerFactory.getLogger(Exchange.class);
  /** The retry advice of a busy answer. */
  static final long BUSY_RETRY_MILLIS = 100;

  /**
   * What a handler does on the loop once the work it started succeeded: typically encode the
   * answer and {@link #reply}. A failure is answered by the exchange.
   *
   * @param <T> the work's result
   */
  @FunctionalInterface
  interface Completion<T> {
    void complete(Exchange x, T result);
  }

  private final EventLoop loop;
  private final AnswerCache answers;
  private final SessionTable sessions;
  private final int maxPendingOperations;
  private final int maxPendingBeforeSession;
  private final long onlineWindowMillis;
  private final Consumer<Session> onComeback;
  private final ServerMetrics metrics;
  private final ByteBuffer out = ByteBuffer.allocate(ProtocolLimits.MAX_DATAGRAM_BYTES);
  private final ErrorFlyweight error = new ErrorFlyweight();
  private final EmptyOkFlyweight emptyOk = new EmptyOkFlyweight();
  private int pendingOperations;
  /** Registrations and logins in flight, a part of {@link #pendingOperations}. */
  private int pendingBeforeSession;

  // The current request.
  private InetSocketAddress from;
  /** Its frame type byte, 0 before a header was read. */
  private int requestType;
  private int requestLength;
  private long requestId;
  /** 0 while the request has no key in the answer cache. */
  private int scope;
  private long scopeHi;
  private long scopeLo;
  private boolean beforeSession;

  Exchange(EventLoop loop, AnswerCache answers, SessionTable sessions, ServerConfig config,
      Consumer<Session> onComeback, ServerMetrics metrics) {
    this.loop = loop;
    this.metrics = metrics;
    this.answers = answers;
    this.sessions = sessions;
    this.onlineWindowMillis = config.onlineWindow().toMillis();
    this.onComeback = onComeback;
    this.maxPendingOperations = config.maxPendingOperations();
    // What the hasher can hold: a login flood never takes the slots of logged-in users.
    this.maxPendingBeforeSession = config.hashThreads() + config.maxQueuedHashes();
  }

  /** Points the exchange at a datagram just received. */
  void begin(ByteBuffer frame, InetSocketAddress sender) {
    from = sender;
    requestLength = frame.remaining();
    boolean header = HeaderFlyweight.hasHeader(frame);
    requestId = header ? HeaderFlyweight.requestId(frame) : 0;
    requestType = header ? HeaderFlyweight.typeByte(frame) : 0;
    if (header) {
      metrics.requestReceived(requestType);
    }
    scope = 0;
    beforeSession = false;
  }

  /** Where the request came from. */
  InetSocketAddress from() {
    return from;
  }

  /** The request's id. */
  long requestId() {
    return requestId;
  }

  /** The loop's clock, ms. */
  long now() {
    return loop.now();
  }

  // ---------------------------------------------------------------- replay

  /**
   * Keys the request by its source address and resends its cached answer, if any: for requests
   * before a session.
   *
   * @return whether the request was a retransmission, answered (or dropped while in progress)
   */
  boolean replayedFromAddress() {
    scope = AnswerCache.ADDRESS_SCOPE;
    scopeHi = from.getAddress().hashCode();
    scopeLo = from.getPort();
    return replay();
  }

  /**
   * Keys the request by its session token and resends its cached answer, if any.
   *
   * @return whether the request was a retransmission, answered (or dropped while in progress)
   */
  boolean replayedInSession(SessionFlyweight<?> request) {
    scope = AnswerCache.TOKEN_SCOPE;
    scopeHi = request.tokenHi();
    scopeLo = request.tokenLo();
    return replay();
  }

  private boolean replay() {
    AnswerCache.Entry cached = answers.get(scope, scopeHi, scopeLo, cacheAddress(), requestId, now());
    if (cached == null) {
      return false;
    }
    if (cached.answer != AnswerCache.PENDING) {
      send(ByteBuffer.wrap(cached.answer), cached.unbounded);
    }
    metrics.answerReplayed(requestType);
    return true;
  }

  // ---------------------------------------------------------------- session and admission

  /**
   * The live session of the request's token, touched (its address follows the device); or null
   * after answering NOT_LOGGED_IN. A session that comes back after a silence longer than the
   * online window is handed to the comeback action (which pushes it what it missed).
   */
  Session session(SessionFlyweight<?> request) {
    Session s = sessions.find(request.tokenHi(), request.tokenLo(), now());
    if (s == null) {
      fail(ErrorCode.NOT_LOGGED_IN, 0);
      return null;
    }
    if (s.heardFromAfter(from, now(), onlineWindowMillis)) {
      onComeback.accept(s);
    }
    return s;
  }

  /**
   * Whether a request within a session may start work now; when too much is in flight, or the
   * server is closing, answers SERVER_BUSY and says no.
   */
  boolean admitted() {
    if (loop.isClosing() || pendingOperations - pendingBeforeSession >= maxPendingOperations) {
      fail(ErrorCode.SERVER_BUSY, BUSY_RETRY_MILLIS);
      return false;
    }
    return true;
  }

  /**
   * Whether a registration or login may start work now. Work before a session has its own
   * budget, what the hasher can hold, so a flood of logins from spoofed addresses never takes
   * the slots of users already logged in.
   */
  boolean admittedBeforeSession() {
    if (loop.isClosing() || pendingBeforeSession >= maxPendingBeforeSession) {
      fail(ErrorCode.SERVER_BUSY, BUSY_RETRY_MILLIS);
      return false;
    }
    beforeSession = true;
    return true;
  }

  /** Work in flight (store and hasher), for the loop's drain and for stats. */
  int pendingOperations() {
    return pendingOperations;
  }

  // ---------------------------------------------------------------- answers

  /** The reused buffer to encode the answer into, cleared. */
  ByteBuffer answer() {
    out.clear();
    return out;
  }

  /** Caches and sends the answer encoded into {@link #answer()}. */
  void reply() {
    finish(false, 0);
  }

  /**
   * Caches and sends an answer that may be larger than its request: only for requests whose
   * session proved the address (a history page).
   */
  void replyUnbounded() {
    finish(true, 0);
  }

  /** Encodes an OK without payload to the request, then {@link #reply}. */
  void replyEmptyOk(FrameType request) {
    emptyOk.encode(answer(), requestId).inReplyTo(request).finish();
    reply();
  }

  /** Encodes an ERROR that is the request's final answer, then {@link #reply}. */
  void replyError(ErrorCode code) {
    error.encode(answer(), requestId).error(code, 0).finish();
    finish(false, code.code());
  }

  /**
   * Answers ERROR now, without caching it: the answer of a request that was not worked on
   * (malformed, not logged in, busy, limited), which a retransmission may get differently.
   */
  void fail(ErrorCode code, long retryAfterMillis) {
    error.encode(answer(), requestId).error(code, retryAfterMillis).finish();
    out.flip();
    metrics.answered(requestType, code.code());
    send(out, false);
  }

  /** Answers ERROR UNSUPPORTED_VERSION, listing the versions the server speaks. */
  void failUnsupportedVersion() {
    error.encode(answer(), requestId).error(ErrorCode.UNSUPPORTED_VERSION, 0)
        .addVersion(HeaderFlyweight.VERSION).finish();
    out.flip();
    metrics.answered(requestType, ErrorCode.UNSUPPORTED_VERSION.code());
    send(out, false);
  }

  private void finish(boolean unbounded, int errorCode) {
    metrics.answered(requestType, errorCode);
    out.flip();
    if (scope != 0) {
      answers.putAnswer(scope, scopeHi, scopeLo, cacheAddress(), requestId, out, unbounded, now());
    }
    send(out, unbounded);
  }

  private void send(ByteBuffer answer, boolean unbounded) {
    if (unbounded || answer.remaining() <= requestLength) {
      loop.send(answer, from);
    }
  }

  private InetSocketAddress cacheAddress() {
    return scope == AnswerCache.ADDRESS_SCOPE ? from : null;
  }

  // ---------------------------------------------------------------- work done elsewhere

  /**
   * Marks the request in progress (its retransmissions are dropped) and runs {@code then} on the
   * loop once {@code work} succeeds, with this exchange pointing at the request again. A
   * failure is answered here: a {@link ChatException} of a wire code as the request's final
   * answer; SERVER_BUSY, INTERNAL and anything unexpected as a transient ERROR that a
   * retransmission retries afresh.
   */
  <T> void completeLater(CompletableFuture<T> work, Completion<T> then) {
    Pending<T> pending = new Pending<>(this, then);
    if (scope != 0) {
      answers.putPending(scope, scopeHi, scopeLo, cacheAddress(), requestId, now());
    }
    pendingOperations++;
    if (beforeSession) {
      pendingBeforeSession++;
    }
    work.whenComplete(pending);
  }

  private <T> void resume(Pending<T> p) {
    from = p.from;
    requestType = p.requestType;
    requestLength = p.requestLength;
    requestId = p.requestId;
    scope = p.scope;
    scopeHi = p.scopeHi;
    scopeLo = p.scopeLo;
    beforeSession = p.beforeSession;
    pendingOperations--;
    if (beforeSession) {
      pendingBeforeSession--;
    }
    if (p.failure == null) {
      p.then.complete(this, p.result);
    } else {
      failed(p.failure);
    }
  }

  private void failed(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    ErrorCode code = ErrorCode.INTERNAL;
    long retryAfter = 0;
    if (cause instanceof ChatException e) {
      code = e.code().isWireCode() ? e.code() : ErrorCode.SERVER_BUSY;
      retryAfter = e.retryAfter().map(d -> d.toMillis()).orElse(0L);
    } else {
      log.error("a store or hash operation failed", cause);
    }
    if (code == ErrorCode.SERVER_BUSY || code == ErrorCode.INTERNAL) {
      if (scope != 0) {
        answers.remove(scope, scopeHi, scopeLo, cacheAddress(), requestId);
      }
      fail(code, Math.max(retryAfter, BUSY_RETRY_MILLIS));
    } else {
      error.encode(answer(), requestId).error(code, retryAfter).finish();
      finish(false, code.code());
    }
  }

  /**
   * A request whose work runs elsewhere: what the exchange needs to answer it later. Completes
   * on the work's thread and hands itself to the loop.
   */
  private static final class Pending<T> implements BiConsumer<T, Throwable>, Runnable {
    final Exchange exchange;
    final Completion<T> then;
    final InetSocketAddress from;
    final int requestType;
    final int requestLength;
    final long requestId;
    final int scope;
    final long scopeHi;
    final long scopeLo;
    final boolean beforeSession;
    T result;
    Throwable failure;

    Pending(Exchange x, Completion<T> then) {
      this.exchange = x;
      this.then = then;
      this.from = x.from;
      this.requestType = x.requestType;
      this.requestLength = x.requestLength;
      this.requestId = x.requestId;
      this.scope = x.scope;
      this.scopeHi = x.scopeHi;
      this.scopeLo = x.scopeLo;
      this.beforeSession = x.beforeSession;
    }

    @Override
    public void accept(T value, Throwable error) {
      result = value;
      failure = error;
      exchange.loop.execute(this);
    }

    @Override
    public void run() {
      exchange.resume(this);
    }
  }
}
