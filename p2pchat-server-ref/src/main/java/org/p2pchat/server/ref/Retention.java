package org.p2pchat.server.ref;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.p2pchat.api.store.AdminStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --retention}: deletes the messages and the room messages older than the retention
 * period, in the background, {@value #BATCH} per transaction and one transaction at a time
 * (a batch of messages, then one of room messages, and so on), so the store's writer commits the
 * users' messages between two batches and never waits for a long delete. Runs at start and then
 * every {@link #interval}, on its own daemon thread ({@code p2pchat-retention}).
 */
final class Retention implements AutoCloseable {
  /** Messages deleted per transaction: a few milliseconds of the writer's time. */
  static final int BATCH = 500;
  private static final Logger log = LoggerFactory.getLogger(Retention.class);

  private final AdminStore admin;
  private final Duration keep;
  private final Clock clock;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "p2pchat-retention");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean closed;

  Retention(AdminStore admin, Duration keep, Clock clock) {
    this.admin = admin;
    this.keep = keep;
    this.clock = clock;
  }

  /** How often it runs: a tenth of the retention period, between a minute and an hour. */
  static Duration interval(Duration keep) {
    Duration tenth = keep.dividedBy(10);
    return tenth.compareTo(Duration.ofMinutes(1)) < 0 ? Duration.ofMinutes(1)
        : tenth.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : tenth;
  }

  /** Starts the schedule. */
  Retention start() {
    thread.scheduleWithFixedDelay(this::runOnce, 0, interval(keep).toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** How many messages and room messages a purge deleted. */
  record Purged(long messages, long roomMessages) {
    long total() {
      return messages + roomMessages;
    }
  }

  /** One pass: every message and room message older than the period goes, batch by batch. */
  Purged runOnce() {
    Instant cutoff = clock.instant().minus(keep);
    try {
      Purged purged = purgeAll(admin, cutoff, () -> closed);
      if (purged.total() > 0) {
        log.info("retention: deleted {} messages and {} room messages sent before {}", purged.messages(),
            purged.roomMessages(), cutoff);
      }
      return purged;
    } catch (StartupException | RuntimeException e) {
      if (closed) {
        log.debug("retention: stopped by the server's stop: {}", e.toString());
      } else {
        log.warn("retention: purging messages before {} failed, will try again: {}", cutoff, e.toString());
      }
      return new Purged(0, 0);
    }
  }

  /** Deletes every message and room message sent before {@code cutoff}, {@value #BATCH} per transaction. */
  static Purged purgeAll(AdminStore admin, Instant cutoff) throws StartupException {
    return purgeAll(admin, cutoff, () -> false);
  }

  private static Purged purgeAll(AdminStore admin, Instant cutoff, java.util.function.BooleanSupplier stop)
      throws StartupException {
    long messages = 0;
    long roomMessages = 0;
    boolean moreMessages = true;
    boolean moreRoomMessages = true;
    while ((moreMessages || moreRoomMessages) && !stop.getAsBoolean()) {
      if (moreMessages) {
        int n = AdminCommand.await(admin.purgeMessagesBefore(cutoff, BATCH));
        messages += n;
        moreMessages = n == BATCH;
      }
      if (moreRoomMessages && !stop.getAsBoolean()) {
        int n = AdminCommand.await(admin.purgeRoomMessagesBefore(cutoff, BATCH));
        roomMessages += n;
        moreRoomMessages = n == BATCH;
      }
    }
    return new Purged(messages, roomMessages);
  }

  /** Stops the schedule and waits for a pass in progress (it stops after its current batch). */
  @Override
  public void close() {
    closed = true;
    thread.shutdownNow();
    try {
      thread.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
