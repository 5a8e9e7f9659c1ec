package org.p2pchat.server.ref;

/** How much the server logs, from least to most. */
public enum LogLevel {
  /** Failures only. */
  ERROR,
  /** Failures and anything suspicious (rate limits hit, overload). */
  WARN,
  /** Also start, stop and configuration. The default. */
  INFO,
  /** Also per-session events (logins, logouts, expiries), for troubleshooting. */
  DEBUG,
  /** Everything, including per-request events: loud. */
  TRACE
}
