package org.p2pchat.server.ref;

/**
 * The server could not start for a reason an operator can fix (port in use, database path not
 * writable). Its message is one plain sentence, printed as it is, without a stack trace.
 */
public final class StartupException extends Exception {
  private static final long serialVersionUID = 1L;

  /** A failure with a sentence an operator can act on. */
  public StartupException(String sentence) {
    super(sentence);
  }

  /** A failure with a sentence and the low-level cause (kept for debug logs). */
  public StartupException(String sentence, Throwable cause) {
    super(sentence, cause);
  }
}
