package org.p2pchat.server.ref;

import java.util.Locale;

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
  TRACE;

  /**
   * Makes SLF4J's simple backend log at this level. Takes effect only before the first logger
   * is created, so call it before anything logs.
   */
  public void apply() {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", name().toLowerCase(Locale.ROOT));
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
  }
}
