package org.p2pchat.api;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A user on someone's contact list, with what the server lets the list's owner see of them.
 * Presence is shared only between mutual contacts (each on the other's list, neither blocking
 * the other); for anyone else it is {@link Presence#UNKNOWN}.
 *
 * @param name the contact
 * @param presence online, offline, or unknown (not shared)
 * @param lastSeen when the contact was last online, when shared and known
 */
public record Contact(UserName name, Presence presence, Optional<Instant> lastSeen) {
  /**
   * Checks for nulls.
   *
   * @param name the contact
   * @param presence online, offline, or unknown (not shared)
   * @param lastSeen when the contact was last online, when shared and known
   */
  public Contact {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(presence, "presence");
    Objects.requireNonNull(lastSeen, "lastSeen");
  }

  /** What a user's contacts may see of them. */
  public enum Presence {
    /** Not shared: not a mutual contact, or blocked. */
    UNKNOWN(0),
    /** No session of theirs is online. */
    OFFLINE(1),
    /** At least one of their sessions is online. */
    ONLINE(2);

    private final int code;

    Presence(int code) {
      this.code = code;
    }

    /** {@return the number on the wire} */
    public int code() {
      return code;
    }

    /**
     * The presence numbered {@code code}.
     *
     * @param code 0, 1 or 2
     * @return the presence
     * @throws IllegalArgumentException for another number
     */
    public static Presence of(int code) {
      for (Presence p : values()) {
        if (p.code == code) {
          return p;
        }
      }
      throw new IllegalArgumentException("no presence " + code);
    }
  }
}
