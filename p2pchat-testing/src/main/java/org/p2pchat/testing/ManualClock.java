package org.p2pchat.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A clock that moves only when told: what an {@link EmbeddedServer} (or any engine given a
 * clock) runs on in a test, so that expiry, retransmission and rate limits are tested without
 * waiting on the wall clock. Thread-safe; always UTC.
 */
public final class ManualClock extends Clock {
  private volatile long millis;

  /** A clock at {@code start}. */
  public ManualClock(Instant start) {
    this.millis = start.toEpochMilli();
  }

  /** A clock at 2026-01-01T00:00:00Z. */
  public ManualClock() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  /**
   * Moves the clock forward.
   *
   * @throws IllegalArgumentException for a negative duration: time never goes back
   */
  public synchronized void advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("a clock only moves forward: " + by);
    }
    millis += by.toMillis();
  }

  @Override
  public long millis() {
    return millis;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  /** This clock: it is UTC only. */
  @Override
  public Clock withZone(ZoneId zone) {
    Objects.requireNonNull(zone, "zone");
    return this;
  }
}
