package org.p2pchat.api;

import java.util.Optional;
import org.immutables.value.Value;

/**
 * Which page of a user's history to read: the messages the user sent or received, optionally
 * only those exchanged with one peer, optionally only the unread ones addressed to the user.
 *
 * <p>Paging works by message id. {@link Direction#BEFORE} reads the newest messages with ids
 * below {@link #cursor()} (0 means from the newest); {@link Direction#AFTER} reads the oldest
 * messages with ids above it (0 means from the oldest). Either way the page lists its messages
 * in increasing id order, and its {@link HistoryPage#nextCursor()} continues in the same
 * direction.
 */
@Value.Immutable
public abstract class HistoryQuery {

  /** The largest page a query may ask for. The server may return fewer to fit one datagram. */
  public static final int MAX_LIMIT = 100;

  /** The page size when none is set. */
  public static final int DEFAULT_LIMIT = 20;

  HistoryQuery() {}

  /** {@return a builder; with no setting it reads the newest {@value #DEFAULT_LIMIT} messages} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a query for the newest messages of the whole history} */
  public static HistoryQuery latest() {
    return builder().build();
  }

  /** Which way to page. */
  public enum Direction {
    /** Towards older messages: ids below the cursor, newest first chosen. */
    BEFORE,
    /** Towards newer messages: ids above the cursor, oldest first chosen. */
    AFTER
  }

  /** {@return the user whose exchanges alone to read, when present} */
  public abstract Optional<UserName> peer();

  /** {@return whether to read only messages addressed to the reader that are not yet read} */
  @Value.Default
  public boolean unreadOnly() {
    return false;
  }

  /** {@return which way to page from the cursor} */
  @Value.Default
  public Direction direction() {
    return Direction.BEFORE;
  }

  /**
   * {@return the message id to page from, exclusive}; 0 starts at the newest (BEFORE) or oldest
   * (AFTER).
   */
  @Value.Default
  public long cursor() {
    return 0;
  }

  /** {@return the most messages to return, 1 to {@value #MAX_LIMIT}} */
  @Value.Default
  public int limit() {
    return DEFAULT_LIMIT;
  }

  @Value.Check
  void check() {
    if (cursor() < 0) {
      throw new IllegalArgumentException("cursor must be >= 0: " + cursor());
    }
    if (limit() < 1 || limit() > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ": " + limit());
    }
  }

  /** Builds a {@link HistoryQuery}. */
  public static final class Builder extends ImmutableHistoryQuery.Builder {
    Builder() {}
  }
}
