package org.p2pchat.api;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The one exception type of p2pchat: every failure an SDK caller can branch on carries a stable
 * {@link ErrorCode}. Futures returned by the SDK complete exceptionally with it.
 */
public class ChatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The stable error code. */
  private final ErrorCode code;

  /** Milliseconds after which a retry may succeed; 0 when unknown. */
  private final long retryAfterMillis;

  /**
   * An error with the code's own sentence as its message.
   *
   * @param code the error code
   */
  public ChatException(ErrorCode code) {
    this(code, code.sentence());
  }

  /**
   * An error with a specific message.
   *
   * @param code the error code
   * @param message what happened, in a plain sentence; it must not contain secrets
   */
  public ChatException(ErrorCode code, String message) {
    this(code, message, 0, null);
  }

  /**
   * An error with a cause.
   *
   * @param code the error code
   * @param message what happened, in a plain sentence; it must not contain secrets
   * @param cause the underlying failure, or null
   */
  public ChatException(ErrorCode code, String message, Throwable cause) {
    this(code, message, 0, cause);
  }

  /**
   * An error that says when to retry, for {@link ErrorCode#RATE_LIMITED} and
   * {@link ErrorCode#SERVER_BUSY}.
   *
   * @param code the error code
   * @param retryAfterMillis milliseconds after which a retry may succeed; 0 when unknown
   * @return the error, with the code's own sentence as its message
   */
  public static ChatException retryLater(ErrorCode code, long retryAfterMillis) {
    return new ChatException(code, code.sentence(), retryAfterMillis, null);
  }

  /**
   * The full constructor, for subclasses that choose whether to record a stack trace.
   *
   * @param code the error code
   * @param message what happened, in a plain sentence; it must not contain secrets
   * @param retryAfterMillis milliseconds after which a retry may succeed; 0 when unknown
   * @param cause the underlying failure, or null
   * @throws IllegalArgumentException when {@code retryAfterMillis} is negative
   */
  protected ChatException(ErrorCode code, String message, long retryAfterMillis, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
    if (retryAfterMillis < 0) {
      throw new IllegalArgumentException("retryAfterMillis must be >= 0: " + retryAfterMillis);
    }
    this.retryAfterMillis = retryAfterMillis;
  }

  /**
   * The stackless constructor, for errors raised on a hot path by hostile input, where the
   * stack trace costs more than it tells.
   *
   * @param code the error code
   * @param message what happened, in a plain sentence; it must not contain secrets
   * @param writableStackTrace whether to record a stack trace
   */
  protected ChatException(ErrorCode code, String message, boolean writableStackTrace) {
    super(message, null, false, writableStackTrace);
    this.code = Objects.requireNonNull(code, "code");
    this.retryAfterMillis = 0;
  }

  /** {@return the stable error code to branch on} */
  public ErrorCode code() {
    return code;
  }

  /** {@return how long after which a retry may succeed, if the server said so} */
  public Optional<Duration> retryAfter() {
    return retryAfterMillis == 0 ? Optional.empty() : Optional.of(Duration.ofMillis(retryAfterMillis));
  }
}
