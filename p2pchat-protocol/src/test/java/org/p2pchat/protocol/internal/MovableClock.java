package org.p2pchat.protocol.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock a unit test moves by hand; UTC. Not thread-safe: for loops driven on the test thread. */
public final class MovableClock extends Clock {
  private long millis = 1_000_000;

  /** Moves the clock forward by {@code delta} milliseconds. */
  public void advance(long delta) {
    millis += delta;
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

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
