package org.p2pchat.store.postgres.internal;

import java.util.List;
import org.jdbi.v3.core.Handle;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ContactLimits;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.ContactStore.StoredContact;

/** The SQL of contact and block lists (schema version 3), on a handle, as {@link RoomSql}. */
final class ContactSql {
  private ContactSql() {}

  private static long other(Handle h, UserName owner, UserName other, long[] ownerId) {
    long o = RoomSql.userId(h, owner);
    long x = RoomSql.userId(h, other);
    if (o < 0 || x < 0 || o == x) {
      throw new ChatException(ErrorCode.UNKNOWN_RECIPIENT);
    }
    ownerId[0] = o;
    return x;
  }

  /** Adds a row to {@code table} (contacts or blocks) unless there; bounded per owner. */
  static void add(Handle h, String table, UserName owner, UserName other) {
    long[] o = new long[1];
    long x = other(h, owner, other, o);
    if (h.createQuery("SELECT count(*) FROM " + table + " WHERE owner_id = :o AND other_id = :x")
        .bind("o", o[0]).bind("x", x).mapTo(Integer.class).one() > 0) {
      return;
    }
    boolean contacts = table.equals("contacts");
    int max = contacts ? ContactLimits.MAX_CONTACTS : ContactLimits.MAX_BLOCKS;
    if (h.createQuery("SELECT count(*) FROM " + table + " WHERE owner_id = :o").bind("o", o[0])
        .mapTo(Integer.class).one() >= max) {
      throw new ChatException(contacts ? ErrorCode.TOO_MANY_CONTACTS : ErrorCode.TOO_MANY_BLOCKS);
    }
    h.createUpdate("INSERT INTO " + table + " (owner_id, other_id) VALUES (:o, :x)").bind("o", o[0]).bind("x", x).execute();
  }

  static void remove(Handle h, String table, UserName owner, UserName other) {
    h.createUpdate("DELETE FROM " + table + " WHERE owner_id = (SELECT id FROM users WHERE name = :o)"
            + " AND other_id = (SELECT id FROM users WHERE name = :x)")
        .bind("o", owner.value()).bind("x", other.value()).execute();
  }

  static List<StoredContact> contacts(Handle h, UserName owner) {
    return h.createQuery("SELECT u.name,"
            + " EXISTS (SELECT 1 FROM contacts b WHERE b.owner_id = c.other_id AND b.other_id = c.owner_id)"
            + " AND NOT EXISTS (SELECT 1 FROM blocks k WHERE (k.owner_id = c.owner_id AND k.other_id = c.other_id)"
            + " OR (k.owner_id = c.other_id AND k.other_id = c.owner_id))"
            + " FROM contacts c JOIN users u ON u.id = c.other_id"
            + " WHERE c.owner_id = (SELECT id FROM users WHERE name = :o) ORDER BY u.name")
        .bind("o", owner.value())
        .map((rs, ctx) -> new StoredContact(UserName.of(rs.getString(1)), rs.getBoolean(2)))
        .list();
  }

  static List<UserName> blocked(Handle h, UserName owner) {
    return h.createQuery("SELECT u.name FROM blocks k JOIN users u ON u.id = k.other_id"
            + " WHERE k.owner_id = (SELECT id FROM users WHERE name = :o) ORDER BY u.name")
        .bind("o", owner.value()).map((rs, ctx) -> UserName.of(rs.getString(1))).list();
  }

  /**
   * Whether {@code owner} blocks {@code other}, both live accounts. One query, not two id
   * look-ups and a count: the server asks it before every one-to-one send.
   */
  static boolean isBlocked(Handle h, UserName owner, UserName other) {
    return h.createQuery("SELECT EXISTS (SELECT 1 FROM blocks k"
            + " JOIN users o ON o.id = k.owner_id JOIN users x ON x.id = k.other_id"
            + " WHERE o.name = :o AND o.deleted_at IS NULL AND x.name = :x AND x.deleted_at IS NULL)")
        .bind("o", owner.value()).bind("x", other.value()).mapTo(Boolean.class).one();
  }

  static boolean isBlocked(Handle h, long ownerId, long otherId) {
    return h.createQuery("SELECT count(*) FROM blocks WHERE owner_id = :o AND other_id = :x")
        .bind("o", ownerId).bind("x", otherId).mapTo(Integer.class).one() > 0;
  }

  /** Hides or shows a user's presence (schema version 6): a row while hidden. */
  static void hidePresence(Handle h, UserName user, boolean hidden) {
    long id = RoomSql.userId(h, user);
    if (id < 0) {
      throw new ChatException(ErrorCode.UNKNOWN_RECIPIENT);
    }
    if (hidden) {
      h.createUpdate("INSERT INTO presence_hidden (user_id) VALUES (:u) ON CONFLICT DO NOTHING").bind("u", id).execute();
    } else {
      h.createUpdate("DELETE FROM presence_hidden WHERE user_id = :u").bind("u", id).execute();
    }
  }

  static boolean presenceHidden(Handle h, UserName user) {
    return h.createQuery("SELECT count(*) FROM presence_hidden p JOIN users u ON u.id = p.user_id WHERE u.name = :n")
        .bind("n", user.value()).mapTo(Integer.class).one() > 0;
  }

  static java.util.Set<UserName> contactsHidingPresence(Handle h, UserName owner) {
    return new java.util.TreeSet<>(h.createQuery("SELECT u.name FROM contacts c"
            + " JOIN presence_hidden p ON p.user_id = c.other_id JOIN users u ON u.id = c.other_id"
            + " WHERE c.owner_id = (SELECT id FROM users WHERE name = :o)")
        .bind("o", owner.value()).map((rs, ctx) -> UserName.of(rs.getString(1))).list());
  }
}
