package org.p2pchat.cli.ref;

import java.util.Optional;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ErrorCode;

/**
 * A failed CLI operation, said in one plain sentence with its context ("cannot send to bob:
 * there is no user of that name"), with the exit status a script sees.
 */
public final class CliFailure extends Exception {
  private static final long serialVersionUID = 1L;

  private final int exitCode;
  private final transient ErrorCode errorCode;

  /** A failure that is not a server's answer (no password, unreadable file). */
  public CliFailure(String sentence, int exitCode) {
    super(sentence);
    this.exitCode = exitCode;
    this.errorCode = null;
  }

  private CliFailure(String sentence, ErrorCode errorCode, int exitCode, Throwable cause) {
    super(sentence, cause);
    this.exitCode = exitCode;
    this.errorCode = errorCode;
  }

  /**
   * The failure of the operation described by {@code context} ("cannot log in as alice"),
   * from whatever an SDK future failed with.
   */
  public static CliFailure of(String context, Throwable failure) {
    Throwable t = Sentences.unwrap(failure);
    if (t instanceof ChatException) {
      ErrorCode code = ((ChatException) t).code();
      String sentence = code.sentence();
      if (code == ErrorCode.RATE_LIMITED || code == ErrorCode.SERVER_BUSY) {
        sentence += ((ChatException) t).retryAfter()
            .map(d -> " (retry in " + Math.max(1, d.toSeconds()) + " s)").orElse("");
      }
      return new CliFailure(context + ": " + sentence, code, ExitCodes.of(code), t);
    }
    if (t instanceof java.io.IOException || t instanceof java.io.UncheckedIOException) {
      return new CliFailure(context + ": " + Sentences.of(t), null, ExitCodes.UNREACHABLE, t);
    }
    if (t instanceof IllegalArgumentException) {
      return new CliFailure(context + ": " + Sentences.of(t), null, ExitCodes.USAGE, t);
    }
    return new CliFailure(context + ": " + Sentences.of(t), null, ExitCodes.UNEXPECTED, t);
  }

  /** The exit status. */
  public int exitCode() {
    return exitCode;
  }

  /** The server's (or client engine's) error code, when the failure was one. */
  public Optional<ErrorCode> errorCode() {
    return Optional.ofNullable(errorCode);
  }
}
