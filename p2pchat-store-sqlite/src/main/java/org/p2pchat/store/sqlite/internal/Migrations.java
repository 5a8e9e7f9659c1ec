package org.p2pchat.store.sqlite.internal;

import java.nio.file.Path;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.p2pchat.store.sqlite.StoreOpenException;

/**
 * The versioned schema. Version {@code n} is {@code STEPS.get(n - 1)} applied to version
 * {@code n - 1}; {@code PRAGMA user_version} records the version of a file (read and written
 * through {@link PragmaDao}). Steps are only ever appended: a released step never changes, so
 * every file reaches the same schema.
 */
public final class Migrations {

  private static final List<List<String>> STEPS = List.of(
      // 1: users and messages. Message ids come from AUTOINCREMENT so an id is never reused,
      // which is what "greater than every id assigned before" needs. The three indexes make
      // every history page an index range scan: by sender, by recipient, and by the pair
      // (recipient, sender), which serves both directions of a conversation. None lists id:
      // SQLite ends every index with the rowid (= id), so id ranges and id order come free,
      // and each index maintained costs about 3 us per inserted row here (docs/benchmarks.md).
      List.of(
          "CREATE TABLE users ("
              + " id INTEGER PRIMARY KEY,"
              + " name TEXT NOT NULL COLLATE NOCASE UNIQUE,"
              + " password_hash TEXT NOT NULL,"
              + " created_at INTEGER NOT NULL)",
          "CREATE TABLE messages ("
              + " id INTEGER PRIMARY KEY AUTOINCREMENT,"
              + " sender_id INTEGER NOT NULL REFERENCES users (id),"
              + " recipient_id INTEGER NOT NULL REFERENCES users (id),"
              + " body TEXT NOT NULL,"
              + " sent_at INTEGER NOT NULL,"
              + " state INTEGER NOT NULL DEFAULT 1 CHECK (state IN (1, 2, 3)))",
          "CREATE INDEX messages_by_sender ON messages (sender_id)",
          "CREATE INDEX messages_by_recipient ON messages (recipient_id)",
          "CREATE INDEX messages_by_pair ON messages (recipient_id, sender_id)"),
      // 2: devices (docs/protocol.md section 17), only their secrets' hashes; and the sender's
      // idempotency key of a message, unique per sender where present (a partial index: keyless
      // messages cost nothing).
      List.of(
          "CREATE TABLE devices ("
              + " id INTEGER PRIMARY KEY AUTOINCREMENT,"
              + " user_id INTEGER NOT NULL REFERENCES users (id),"
              + " name TEXT NOT NULL,"
              + " secret_hash TEXT NOT NULL,"
              + " created_at INTEGER NOT NULL,"
              + " last_used_at INTEGER NOT NULL)",
          "CREATE INDEX devices_by_user ON devices (user_id)",
          "ALTER TABLE messages ADD COLUMN idempotency_key INTEGER",
          "CREATE UNIQUE INDEX messages_by_sender_key ON messages (sender_id, idempotency_key)"
              + " WHERE idempotency_key IS NOT NULL"),
      // 3 (issue 18, operations): what an operator manages. A deleted account keeps its row, so
      // its name stays reserved and no cached user id ever points at another account.
      List.of(
          "ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0",
          "ALTER TABLE users ADD COLUMN last_login_at INTEGER",
          "ALTER TABLE users ADD COLUMN deleted_at INTEGER"),
      // 4: rooms (issue 15). A room message is one row whatever the room's size; its ids come
      // from AUTOINCREMENT, a sequence of their own. Members keep their joining order (the next
      // owner when the owner leaves) and their read marker. Pages are index range scans: a
      // room's messages by (room_id, rowid), a user's rooms by (user_id, room_id).
      List.of(
          "CREATE TABLE rooms ("
              + " id INTEGER PRIMARY KEY AUTOINCREMENT,"
              + " title TEXT NOT NULL,"
              + " owner_id INTEGER NOT NULL REFERENCES users (id),"
              + " created_at INTEGER NOT NULL)",
          "CREATE TABLE room_members ("
              + " room_id INTEGER NOT NULL REFERENCES rooms (id),"
              + " user_id INTEGER NOT NULL REFERENCES users (id),"
              + " joined INTEGER NOT NULL,"
              + " read_up_to INTEGER NOT NULL DEFAULT 0,"
              + " PRIMARY KEY (room_id, user_id))",
          "CREATE INDEX room_members_by_user ON room_members (user_id, room_id)",
          "CREATE TABLE room_messages ("
              + " id INTEGER PRIMARY KEY AUTOINCREMENT,"
              + " room_id INTEGER NOT NULL REFERENCES rooms (id),"
              + " sender_id INTEGER NOT NULL REFERENCES users (id),"
              + " body TEXT NOT NULL,"
              + " sent_at INTEGER NOT NULL)",
          "CREATE INDEX room_messages_by_room ON room_messages (room_id)"),
      // 5: contact and block lists (issue 15), one row per (owner, other), each bounded per owner.
      List.of(
          "CREATE TABLE contacts ("
              + " owner_id INTEGER NOT NULL REFERENCES users (id),"
              + " other_id INTEGER NOT NULL REFERENCES users (id),"
              + " PRIMARY KEY (owner_id, other_id))",
          "CREATE TABLE blocks ("
              + " owner_id INTEGER NOT NULL REFERENCES users (id),"
              + " other_id INTEGER NOT NULL REFERENCES users (id),"
              + " PRIMARY KEY (owner_id, other_id))"),
      // 6: presence hiding (issue 15, docs/protocol.md section 21): one row per user who hides,
      // none for the others (the default, shown).
      List.of(
          "CREATE TABLE presence_hidden ("
              + " user_id INTEGER PRIMARY KEY REFERENCES users (id))"),
      // 7: account deletion (issue 15, docs/protocol.md section 22). A deleted account keeps its
      // row as its tombstone (deleted_at, as an operator's delete); self_deleted = 1 when its user
      // deleted it, so that its name returns after the quarantine, reusing the row (and its id,
      // which caches may hold) for the new account. No new table: one row per account ever made.
      List.of("ALTER TABLE users ADD COLUMN self_deleted INTEGER NOT NULL DEFAULT 0"),
      // 8 (issue 18): the admin
      // operations that running servers poll to end the sessions of an account an operator
      // disabled, deleted or signed out from another process (AdminStore#operationsAfter).
      // Bounded: each insert keeps the newest AdminStore.MAX_KEPT_OPERATIONS rows.
      List.of(
          "CREATE TABLE admin_operations ("
              + " id INTEGER PRIMARY KEY AUTOINCREMENT,"
              + " kind INTEGER NOT NULL CHECK (kind IN (1, 2, 3, 4)),"
              + " user_name TEXT NOT NULL,"
              + " device_ids_up_to INTEGER NOT NULL DEFAULT 0,"
              + " at INTEGER NOT NULL)"));

  /** The schema version this code writes. */
  public static final int LATEST = STEPS.size();

  private Migrations() {}

  /**
   * Brings the file to {@link #LATEST}. Idempotent; runs in one transaction, so a crash
   * mid-way leaves the previous version. Takes the write lock even when there is nothing to do:
   * a file that another writer keeps locked is reported at open, not at the first write.
   *
   * @throws StoreOpenException with reason NEWER_SCHEMA, without touching the file, when it
   *     was written by a newer version
   */
  public static void migrate(Handle handle, Path file) throws StoreOpenException {
    PragmaDao pragmas = handle.attach(PragmaDao.class);
    handle.execute("BEGIN IMMEDIATE");
    boolean committed = false;
    try {
      int version = checkedVersion(pragmas, file);
      for (int v = version; v < LATEST; v++) {
        for (String sql : STEPS.get(v)) {
          handle.execute(sql);
        }
      }
      if (version < LATEST) {
        pragmas.setUserVersion(LATEST);
      }
      handle.execute("COMMIT");
      committed = true;
    } finally {
      if (!committed) {
        handle.execute("ROLLBACK");
      }
    }
  }

  /** The file's schema version, refused when newer than this code. */
  public static int checkedVersion(PragmaDao pragmas, Path file) throws StoreOpenException {
    int version = pragmas.userVersion();
    if (version > LATEST) {
      throw new StoreOpenException(file, StoreOpenException.Reason.NEWER_SCHEMA,
          "cannot open p2pchat database " + file + ": its schema version " + version
              + " is newer than version " + LATEST + " that this p2pchat knows; it was left"
              + " unchanged (use the newer p2pchat, or a copy of the file)", null);
    }
    return version;
  }
}
