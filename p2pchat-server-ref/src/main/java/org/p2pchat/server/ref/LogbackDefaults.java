package org.p2pchat.server.ref;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's configuration until the options are read: plain lines at INFO on stderr, as the
 * server logs by default. Found by logback through {@code META-INF/services}; without it,
 * logback would log at DEBUG in its own format until {@link Logging#configure} runs.
 *
 * <p>Public only because logback instantiates it; nothing else should.
 */
public final class LogbackDefaults extends ContextAwareBase implements Configurator {

  /** For logback's service loader. */
  public LogbackDefaults() {}

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    Logging.configure(context, LogLevel.INFO, LogFormat.PLAIN, null);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
