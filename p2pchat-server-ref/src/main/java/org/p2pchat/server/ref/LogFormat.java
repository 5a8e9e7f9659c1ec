package org.p2pchat.server.ref;

/** How each log line is written on stderr. */
public enum LogFormat {
  /**
   * One line a person reads: time, thread, level, logger, message
   * ({@code 2026-12-01T10:15:30.123Z [main] INFO ServerCommand - started: ...}). The default.
   */
  PLAIN,
  /**
   * One JSON object per line, for log shippers: {@code timestamp} (milliseconds since the
   * epoch), {@code level}, {@code threadName}, {@code loggerName}, {@code message} (the template),
   * {@code formattedMessage} (the text), and {@code throwable} when there is one.
   */
  JSON
}
