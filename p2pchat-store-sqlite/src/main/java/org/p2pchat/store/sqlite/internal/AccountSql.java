package org.p2pchat.store.sqlite.internal;

import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The SQL of account deletion and of names in quarantine (schema version 7), on the writer's
 * handle inside its transaction (docs/protocol.md section 22).
 */
final class AccountSql {
  private AccountSql() {}

  /**
   * Deletes what the user's account holds, leaves its rooms as a leaving member does, and marks
   * its row deleted by its user at {@code atMillis}.
   */
  static void delete(Handle h, long uid, long atMillis) {
    h.createUpdate("DELETE FROM messages WHERE sender_id = :id OR recipient_id = :id").bind("id", uid).execute();
    h.createUpdate("DELETE FROM room_messages WHERE sender_id = :id").bind("id", uid).execute();
    List<Long> rooms = h.createQuery("SELECT room_id FROM room_members WHERE user_id = :id")
        .bind("id", uid).mapTo(Long.class).list();
    for (long room : rooms) {
      leave(h, room, uid);
    }
    h.createUpdate("DELETE FROM contacts WHERE owner_id = :id OR other_id = :id").bind("id", uid).execute();
    h.createUpdate("DELETE FROM blocks WHERE owner_id = :id OR other_id = :id").bind("id", uid).execute();
    h.createUpdate("DELETE FROM devices WHERE user_id = :id").bind("id", uid).execute();
    h.createUpdate("DELETE FROM presence_hidden WHERE user_id = :id").bind("id", uid).execute();
    h.createUpdate("UPDATE users SET deleted_at = :at, password_hash = '', disabled = 1, self_deleted = 1,"
        + " last_login_at = NULL WHERE id = :id").bind("at", atMillis).bind("id", uid).execute();
  }

  /** As {@link RoomSql}'s removal of a leaving member: the oldest member takes over; empty, it goes. */
  private static void leave(Handle h, long room, long uid) {
    h.createUpdate("DELETE FROM room_members WHERE room_id = :room AND user_id = :user")
        .bind("room", room).bind("user", uid).execute();
    int left = h.createQuery("SELECT count(*) FROM room_members WHERE room_id = :room")
        .bind("room", room).mapTo(Integer.class).one();
    if (left == 0) {
      h.createUpdate("DELETE FROM room_messages WHERE room_id = :room").bind("room", room).execute();
      h.createUpdate("DELETE FROM rooms WHERE id = :room").bind("room", room).execute();
    } else {
      h.createUpdate("UPDATE rooms SET owner_id = (SELECT user_id FROM room_members"
              + " WHERE room_id = :room ORDER BY joined LIMIT 1) WHERE id = :room AND owner_id = :user")
          .bind("room", room).bind("user", uid).execute();
    }
  }

  /**
   * Gives the row of a name its user deleted at or before {@code cutoffMillis} to a new account.
   *
   * @return whether there was such a row
   */
  static boolean reclaim(Handle h, String name, String passwordHash, long createdAtMillis, long cutoffMillis) {
    return h.createUpdate("UPDATE users SET password_hash = :hash, created_at = :created, disabled = 0,"
            + " last_login_at = NULL, deleted_at = NULL, self_deleted = 0"
            + " WHERE name = :name AND self_deleted = 1 AND deleted_at <= :cutoff")
        .bind("hash", passwordHash).bind("created", createdAtMillis).bind("name", name)
        .bind("cutoff", cutoffMillis).execute() > 0;
  }
}
