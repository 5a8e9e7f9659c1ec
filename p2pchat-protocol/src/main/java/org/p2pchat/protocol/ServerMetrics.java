package org.p2pchat.protocol;

import org.p2pchat.protocol.codec.internal.FrameType;

/**
 * What a server engine tells an operator's metrics: counts of requests, answers, pushes and
 * handshakes, and a sample of its queue depths once a second. The engine calls these methods
 * with primitives only (frame type bytes, error code numbers, counts), never with a user name, an
 * address or message data, so a metrics backend cannot leak them. Pass an implementation to
 * {@link ChatServers.Builder#metrics}; the default, {@link #NONE}, does nothing.
 *
 * <p>Every method is called on the server's event loop thread and runs on its hot path: an
 * implementation must not block, allocate per call or take locks that the thread which reads the
 * metrics holds for long (an array of precomputed counters incremented with a
 * {@link java.util.concurrent.atomic.LongAdder} is the intended shape). A method that throws
 * breaks the request being handled. Every method has a default that does nothing, so an
 * implementation overrides what it records and later versions may add methods.
 */
public interface ServerMetrics {

  /** Records nothing. */
  ServerMetrics NONE = new ServerMetrics() {};

  /**
   * A datagram arrived that carries a frame header: a request, or a frame the server drops (an
   * answer or a push sent to it).
   *
   * @param frameType the frame type byte, 0 to 255
   */
  default void requestReceived(int frameType) {}

  /**
   * A request was answered for the first time: OK, or ERROR with a code.
   *
   * @param frameType the request's frame type byte, 0 to 255
   * @param errorCode 0 for an OK answer, else the {@link org.p2pchat.api.ErrorCode#code()} of the
   *     ERROR (SERVER_BUSY and RATE_LIMITED among them)
   */
  default void answered(int frameType, int errorCode) {}

  /**
   * A retransmitted request was answered again from the answer cache (or dropped while its
   * first copy was still being worked on).
   *
   * @param frameType the request's frame type byte
   */
  default void answerReplayed(int frameType) {}

  /** A SEND was acknowledged: its message is committed in the store. */
  default void sendAcknowledged() {}

  /**
   * A push (PUSH_MESSAGE or PUSH_STATE) was sent to a session.
   *
   * @param retransmission false for its first transmission, true for each one after
   */
  default void pushSent(boolean retransmission) {}

  /** A push was given up without a PUSH_ACK (its message stays in history). */
  default void pushGivenUp() {}

  /**
   * The server applied an admin operation recorded in the store (an account disabled, deleted,
   * signed out, its password reset, by an admin command beside it) to its open sessions.
   *
   * @param sessionsEnded how many sessions it ended
   */
  default void adminOperationApplied(int sessionsEnded) {}

  /** The secure channel completed a handshake: a new channel. */
  default void handshakeCompleted() {}

  /** The secure channel answered a handshake with a cookie reply (it is under load). */
  default void cookieReplySent() {}

  /** The secure channel dropped a packet: malformed, unauthenticated, replayed or refused. */
  default void packetDropped() {}

  /**
   * The relay forwarded a peer packet (docs/protocol.md section 25).
   *
   * @param bytes the packet's length
   */
  default void relayed(int bytes) {}

  /** The relay dropped a peer packet: over the bandwidth bounds, or for no live link. */
  default void relayDropped() {}

  /**
   * A sample of the engine's sizes, taken about once a second on the loop.
   *
   * @param sessions sessions open
   * @param onlineUsers distinct users with at least one open session
   * @param pendingOperations requests waiting for the store or the password hasher
   * @param pendingPushes pushes awaiting their PUSH_ACK
   * @param cachedAnswers answers held for retransmitted requests
   */
  default void sample(int sessions, int onlineUsers, int pendingOperations, int pendingPushes, int cachedAnswers) {}

  /**
   * The name of a frame type byte for labels, such as {@code "SEND"}; {@code "0x5a"} for a byte
   * that names no type. Never null.
   */
  static String frameTypeName(int frameType) {
    return FrameType.name(frameType);
  }

  /** Whether a frame type byte names a request a client sends, rather than an answer or a push. */
  static boolean isRequestType(int frameType) {
    return FrameType.ofCode(frameType) != null && !FrameType.isFromServer(frameType);
  }
}
