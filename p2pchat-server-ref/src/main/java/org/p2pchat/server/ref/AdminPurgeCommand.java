package org.p2pchat.server.ref;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code admin purge --older-than 90d}: deletes old messages, in small transactions. */
@Command(name = "purge", mixinStandardHelpOptions = true,
    description = "Delete the messages and room messages sent longer ago than --older-than, "
        + Retention.BATCH + " per transaction so that a running server's writes go on between them.")
final class AdminPurgeCommand implements Callable<Integer> {
  @ParentCommand AdminCommand admin;

  @Option(names = "--older-than", paramLabel = "DURATION", required = true, converter = DurationConverter.class,
      description = "Messages sent longer ago than this go, such as 90d or 2160h.")
  Duration olderThan;

  @Override
  public Integer call() throws StartupException {
    Instant cutoff = admin.clock.instant().minus(olderThan);
    Retention.Purged purged = admin.withStore(s -> Retention.purgeAll(s.admin(), cutoff));
    admin.out().println("purged " + purged.messages() + " messages and " + purged.roomMessages()
        + " room messages sent before " + cutoff);
    admin.out().flush();
    return 0;
  }
}
