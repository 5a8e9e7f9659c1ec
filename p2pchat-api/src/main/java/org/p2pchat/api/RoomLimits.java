package org.p2pchat.api;

/**
 * The bounds of rooms, the same on every server (docs/protocol.md section 19): each is enforced
 * by the store with a typed error, so no user can grow a room or a membership list without limit.
 */
public final class RoomLimits {
  /**
   * The most members a room holds, its owner included: 256, the size of a large team; a send
   * to a full room costs one store write and at most this many members' online sessions pushed.
   */
  public static final int MAX_MEMBERS = 256;
  /** The most rooms one user belongs to (owned or not): 64. */
  public static final int MAX_ROOMS_PER_USER = 64;
  /** The longest room title, in bytes of UTF-8: 64, so that a page of rooms fits a datagram. */
  public static final int MAX_TITLE_BYTES = 64;

  private RoomLimits() {}

  /**
   * Checks a room title.
   *
   * @param title the title
   * @throws IllegalArgumentException when it is empty, over {@link #MAX_TITLE_BYTES} bytes of
   *     UTF-8, or has an unpaired surrogate
   */
  public static void checkTitle(String title) {
    if (title.isEmpty() || ProtocolLimits.utf8Length(title) > MAX_TITLE_BYTES) {
      throw new IllegalArgumentException("a room title has 1 to " + MAX_TITLE_BYTES + " bytes of UTF-8");
    }
  }
}
