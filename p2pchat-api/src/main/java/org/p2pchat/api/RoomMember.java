package org.p2pchat.api;

import java.util.Objects;

/**
 * A member of a room and how far they have read it.
 *
 * @param name the member
 * @param readUpTo the id of the newest room message the member marked read; 0 when none
 */
public record RoomMember(UserName name, long readUpTo) {
  /**
   * Checks the values.
   *
   * @param name the member
   * @param readUpTo the id of the newest room message the member marked read; 0 when none
   * @throws IllegalArgumentException for a negative read marker
   */
  public RoomMember {
    Objects.requireNonNull(name, "name");
    if (readUpTo < 0) {
      throw new IllegalArgumentException("read marker must be >= 0: " + readUpTo);
    }
  }
}
