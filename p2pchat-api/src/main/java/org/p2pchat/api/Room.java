package org.p2pchat.api;

import java.util.Objects;

/**
 * A room as its members see it: a group conversation with an owner and up to
 * {@link RoomLimits#MAX_MEMBERS} members.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id the room's id, assigned by the store, greater than 0
 * @param title the room's title, 1 to {@link RoomLimits#MAX_TITLE_BYTES} bytes of UTF-8
 * @param owner the member who may add, remove and rename
 * @param memberCount how many members it has, the owner included
 */
public record Room(long id, String title, UserName owner, int memberCount) {
  /**
   * Checks the values.
   *
   * @param id the room's id, assigned by the store, greater than 0
   * @param title the room's title
   * @param owner the member who may add, remove and rename
   * @param memberCount how many members it has, the owner included
   * @throws IllegalArgumentException for an id below 1, a title out of bounds or a negative count
   */
  public Room {
    if (id <= 0) {
      throw new IllegalArgumentException("room id must be > 0: " + id);
    }
    RoomLimits.checkTitle(title);
    Objects.requireNonNull(owner, "owner");
    if (memberCount < 0) {
      throw new IllegalArgumentException("member count must be >= 0: " + memberCount);
    }
  }
}
