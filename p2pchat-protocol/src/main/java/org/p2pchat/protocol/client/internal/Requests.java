package org.p2pchat.protocol.client.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.ProtocolLimits;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.protocol.ClientConfig;
import org.p2pchat.protocol.codec.internal.ErrorFlyweight;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.HeaderFlyweight;
import org.p2pchat.protocol.codec.internal.OkFlyweight;
import org.p2pchat.protocol.internal.EventLoop;
import org.p2pchat.protocol.internal.Retransmission;

/**
 * The client's requests in flight: each encoded once with a fresh request id, sent, and
 * retransmitted with an RTT-based, exponentially backed-off, jittered timeout until its answer
 * arrives or the policy gives up (TIMEOUT). Loop-confined.
 */
final class Requests {
  /** Writes a request frame, header included, at the buffer's position. */
  @FunctionalInterface
  interface FrameWriter {
    void write(ByteBuffer out, long requestId);
  }

  /**
   * Reads the value of an OK answer on the loop, while the datagram is valid: wraps the OK with
   * the flyweight of the request's answer layout.
   *
   * @param <T> the value the request's future completes with
   */
  @FunctionalInterface
  interface AnswerReader<T> {
    T read(ByteBuffer ok) throws DecodeException;
  }

  /** A request sent and not yet answered. */
  final class Pending extends Retransmission {
    final long requestId;
    final FrameType type;
    final CompletableFuture<Object> future;
    private final byte[] frame;
    private final AnswerReader<?> reader;
    private final long firstSentMillis;
    private final long giveUpAtMillis;

    Pending(long requestId, FrameType type, byte[] frame, CompletableFuture<Object> future,
        AnswerReader<?> reader) {
      super(loop);
      this.requestId = requestId;
      this.type = type;
      this.frame = frame;
      this.future = future;
      this.reader = reader;
      this.firstSentMillis = loop.now();
      this.giveUpAtMillis = firstSentMillis + requestDeadlineMillis;
    }

    @Override
    protected void transmit() {
      loop.send(ByteBuffer.wrap(frame), server);
    }

    @Override
    protected long timeoutMillis(int attempts, long nowMillis) {
      long timeout = rtt.backoffMillis(attempts);
      if (attempts == 1 && hashesAPassword(type)) {
        // The server hashes the password first (~100-300 ms): an RTT-based first timeout would
        // resend nearly every login, and each resend would be dropped as a request in progress.
        timeout = Math.max(timeout, PASSWORD_HASH_FIRST_TIMEOUT_MILLIS);
      }
      timeout += (long) (timeout * 0.25 * jitter.nextDouble());
      return Math.min(timeout, giveUpAtMillis - nowMillis);
    }

    @Override
    protected boolean exhausted(long nowMillis) {
      return attempts() >= maxAttempts || nowMillis >= giveUpAtMillis;
    }

    @Override
    protected void onGiveUp() {
      inFlight.remove(requestId);
      events.fail(future, new ChatException(ErrorCode.TIMEOUT));
    }
  }

  /** The first timeout of a request that makes the server hash a password (docs/protocol.md section 7). */
  static final long PASSWORD_HASH_FIRST_TIMEOUT_MILLIS = 1000;

  private final EventLoop loop;
  private final InetSocketAddress server;
  private final Events events;
  private final RttEstimator rtt;
  private final Random jitter = new Random();
  private final Map<Long, Pending> inFlight = new HashMap<>();
  private final ByteBuffer out = ByteBuffer.allocate(ProtocolLimits.MAX_DATAGRAM_BYTES);
  private final ErrorFlyweight error = new ErrorFlyweight();
  private final int maxInFlight;
  private final int maxAttempts;
  private final long requestDeadlineMillis;
  private long nextRequestId;

  Requests(EventLoop loop, InetSocketAddress server, ClientConfig config, Events events) {
    this.loop = loop;
    this.server = server;
    this.events = events;
    this.rtt = new RttEstimator(config.initialRetransmitTimeout().toMillis(),
        config.minRetransmitTimeout().toMillis(), config.maxRetransmitTimeout().toMillis());
    this.maxInFlight = config.maxInFlight();
    this.maxAttempts = config.maxAttempts();
    this.requestDeadlineMillis = config.requestDeadline().toMillis();
    this.nextRequestId = new SecureRandom().nextLong() & 0x3fff_ffff_ffff_ffffL;
  }

  /**
   * Encodes a request with a fresh id and sends it; {@code future} completes with what
   * {@code reader} reads from its OK, or fails with the ERROR's code or TIMEOUT.
   */
  void send(FrameType type, FrameWriter writer, AnswerReader<?> reader, CompletableFuture<Object> future) {
    if (inFlight.size() >= maxInFlight) {
      events.fail(future, new ChatException(ErrorCode.SERVER_BUSY, "too many requests in flight"));
      return;
    }
    long id = nextRequestId++;
    out.clear();
    try {
      writer.write(out, id);
    } catch (RuntimeException e) { // a value the frame cannot carry: the caller's, not the loop's
      events.fail(future, new ChatException(ErrorCode.INVALID_REQUEST, e.getMessage(), e));
      return;
    }
    out.flip();
    byte[] frame = new byte[out.remaining()];
    out.get(frame);
    Pending r = new Pending(id, type, frame, future, reader);
    inFlight.put(id, r);
    r.start();
  }

  /** Completes the request an OK answers; an OK that answers nothing in flight is dropped. */
  void onOk(ByteBuffer frame) throws DecodeException {
    Pending r = inFlight.get(HeaderFlyweight.requestId(frame));
    if (r == null || OkFlyweight.peekInReplyTo(frame) != r.type.code()) {
      return;
    }
    Object value;
    try {
      value = r.reader.read(frame); // a malformed answer leaves the request in flight
    } catch (RuntimeException e) {
      value = new ChatException(ErrorCode.INTERNAL, "the server's answer was not understood", e);
    }
    inFlight.remove(r.requestId);
    r.stop();
    if (r.attempts() == 1) {
      rtt.sample(loop.now() - r.firstSentMillis); // Karn: only unambiguous samples
    }
    if (value instanceof ChatException failure) {
      events.fail(r.future, failure);
    } else {
      events.complete(r.future, value);
    }
  }

  /**
   * Fails the request an ERROR answers.
   *
   * @return the failed request's type and failure, or null when the ERROR answers nothing in
   *     flight
   */
  Failed onError(ByteBuffer frame) throws DecodeException {
    error.wrap(frame);
    Pending r = inFlight.remove(error.requestId());
    if (r == null) {
      return null;
    }
    r.stop();
    ErrorCode code = ErrorCode.of(error.errorCode()).filter(ErrorCode::isWireCode).orElse(ErrorCode.INTERNAL);
    ChatException failure = error.retryAfterMillis() > 0
        ? ChatException.retryLater(code, error.retryAfterMillis())
        : new ChatException(code);
    events.fail(r.future, failure);
    return new Failed(r.type, failure);
  }

  /** Runs {@code task} on the loop (a continuation of a request's future, which completes elsewhere). */
  void onLoop(Runnable task) {
    loop.execute(task);
  }

  /** How many requests are in flight. */
  int inFlight() {
    return inFlight.size();
  }

  /** A request that an ERROR failed. */
  record Failed(FrameType type, ChatException failure) {}

  private static boolean hashesAPassword(FrameType type) {
    return type == FrameType.REGISTER || type == FrameType.LOGIN || type == FrameType.ACCOUNT_DELETE;
  }

  /** Fails every request in flight (the client is closing). */
  void failAll(ChatException failure) {
    List<Pending> all = new ArrayList<>(inFlight.values());
    inFlight.clear();
    for (Pending r : all) {
      r.stop();
      events.fail(r.future, failure);
    }
  }
}
