package org.p2pchat.server.ref;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Sets up the server's log backend (logback): one appender on stderr that writes plain lines
 * or JSON lines, at one level for every logger. Configured in code rather than by a
 * {@code logback.xml}, so that the level and format follow the server's options (command line,
 * environment, config file) like every other setting.
 *
 * <p>Not thread-safe: call it from the thread that starts the server, before it starts.
 */
public final class Logging {
  /**
   * The plain line, as the server printed it with slf4j-simple before: ISO-8601 time with
   * milliseconds and offset, thread, level, the logger's simple class name, the message.
   */
  static final String PLAIN_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} [%thread] %level %logger{0} - %msg%n";

  private static final String APPENDER = "stderr";

  private Logging() {}

  /**
   * Logs at {@code level} in {@code format} on stderr from now on. Does nothing when SLF4J is
   * bound to another backend (an application that embeds the server's classes keeps its own).
   */
  public static void configure(LogLevel level, LogFormat format) {
    configure(level, format, null);
  }

  /** As {@link #configure(LogLevel, LogFormat)}, to {@code out} instead of stderr when it is not null (tests). */
  static void configure(LogLevel level, LogFormat format, OutputStream out) {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (factory instanceof LoggerContext) {
      LoggerContext context = (LoggerContext) factory;
      context.reset();
      configure(context, level, format, out);
    }
  }

  /** Installs the one appender on a fresh context: the shared step of start-up and {@link LogbackDefaults}. */
  static void configure(LoggerContext context, LogLevel level, LogFormat format, OutputStream out) {
    Encoder<ILoggingEvent> encoder = format == LogFormat.JSON ? json() : plain();
    encoder.setContext(context);
    encoder.start();

    OutputStreamAppender<ILoggingEvent> appender;
    if (out == null) {
      ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
      console.setTarget("System.err");
      appender = console;
    } else {
      appender = new OutputStreamAppender<>();
    }
    appender.setName(APPENDER);
    appender.setContext(context);
    appender.setEncoder(encoder);
    if (out != null) {
      appender.setOutputStream(out);
    }
    appender.start();

    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    root.setLevel(Level.toLevel(level.name()));
    root.addAppender(appender);
  }

  private static Encoder<ILoggingEvent> plain() {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setPattern(PLAIN_PATTERN);
    encoder.setCharset(StandardCharsets.UTF_8);
    return encoder;
  }

  private static Encoder<ILoggingEvent> json() {
    JsonEncoder encoder = new JsonEncoder();
    // What a shipper indexes; the rest (logback's context, its sequence number, nanoseconds, the
    // arguments again) is noise in every line.
    encoder.setWithContext(false);
    encoder.setWithSequenceNumber(false);
    encoder.setWithNanoseconds(false);
    encoder.setWithArguments(false);
    encoder.setWithFormattedMessage(true);
    return encoder;
  }
}
