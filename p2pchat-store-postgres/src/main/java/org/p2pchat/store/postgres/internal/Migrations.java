package org.p2pchat.store.postgres.internal;

import java.util.List;
import org.jdbi.v3.core.Handle;
import org.p2pchat.store.postgres.StoreOpenException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The versioned schema. Version {@code n} is {@code STEPS.get(n - 1)} applied to version
 * {@code n - 1}; the one row of {@code schema_version} records the version of a database (no
 * such table: version 0, an empty database). Steps are only ever appended: a released step
 * never changes, so every database reaches the same schema. Tables are created in the first
 * schema of the session's search path (set {@code currentSchema} in the JDBC URL to choose one).
 */
public final class Migrations {
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  private static final List<List<String>> STEPS = List.of(
      // 1: users and messages. Message ids come from a sequence, taken only under the append
      // lock (see AppendLock) so that they are assigned in commit order; the column has no
      // default so that nothing can insert a message without taking that path. The sequence
      // caches no values (CACHE 1, the default): a per-session cache would hand out ids out of
      // order. The three indexes make every history page an index range scan in id order: by
      // sender, by recipient, and by the pair (recipient, sender), which serves both directions
      // of a conversation. Names are stored normalised to lower case (UserName does that), so a
      // plain unique index makes them case-insensitively unique; the check keeps it so.
      List.of(
          "CREATE TABLE users ("
              + " id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
              + " name text NOT NULL UNIQUE CHECK (name = lower(name)),"
              + " password_hash text NOT NULL,"
              + " created_at timestamptz NOT NULL)",
          "CREATE SEQUENCE message_ids AS bigint",
          "CREATE TABLE messages ("
              + " id bigint PRIMARY KEY,"
              + " sender_id bigint NOT NULL REFERENCES users (id),"
              + " recipient_id bigint NOT NULL REFERENCES users (id),"
              + " body text NOT NULL,"
              + " sent_at timestamptz NOT NULL,"
              + " state smallint NOT NULL DEFAULT 1 CHECK (state IN (1, 2, 3)))",
          "ALTER SEQUENCE message_ids OWNED BY messages.id",
          "CREATE INDEX messages_by_sender ON messages (sender_id, id)",
          "CREATE INDEX messages_by_recipient ON messages (recipient_id, id)",
          "CREATE INDEX messages_by_pair ON messages (recipient_id, sender_id, id)"),
      // 2: devices (docs/protocol.md section 17), only their secrets' hashes; and the sender's
      // idempotency key of a message, unique per sender where present (a partial index: keyless
      // messages cost nothing).
      List.of(
          "CREATE TABLE devices ("
              + " id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
              + " user_id bigint NOT NULL REFERENCES users (id),"
              + " name text NOT NULL,"
              + " secret_hash text NOT NULL,"
              + " created_at timestamptz NOT NULL,"
              + " last_used_at timestamptz NOT NULL)",
          "CREATE INDEX devices_by_user ON devices (user_id, id)",
          "ALTER TABLE messages ADD COLUMN idempotency_key bigint",
          "CREATE UNIQUE INDEX messages_by_sender_key ON messages (sender_id, idempotency_key)"
              + " WHERE idempotency_key IS NOT NULL"),
      // 3 (issue 18, operations): what an operator manages. A deleted account keeps its row, so
      // its name stays reserved and no cached user id ever points at another account.
      List.of(
          "ALTER TABLE users ADD COLUMN disabled boolean NOT NULL DEFAULT false",
          "ALTER TABLE users ADD COLUMN last_login_at timestamptz",
          "ALTER TABLE users ADD COLUMN deleted_at timestamptz"),
      // 4: rooms (issue 15). A room message is one row whatever the room's size; its ids come
      // from an identity of their own, taken under the room append lock (RoomSql) so that they
      // are assigned in commit order. Times are ms since the epoch, as in the SQLite store.
      // Members keep their joining order (the next owner when the owner leaves) and their read
      // marker. Pages are index range scans: (room_id, id) and (user_id, room_id).
      List.of(
          "CREATE TABLE rooms ("
              + " id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
              + " title text NOT NULL,"
              + " owner_id bigint NOT NULL REFERENCES users (id),"
              + " created_at bigint NOT NULL)",
          "CREATE TABLE room_members ("
              + " room_id bigint NOT NULL REFERENCES rooms (id),"
              + " user_id bigint NOT NULL REFERENCES users (id),"
              + " joined bigint NOT NULL,"
              + " read_up_to bigint NOT NULL DEFAULT 0,"
              + " PRIMARY KEY (room_id, user_id))",
          "CREATE INDEX room_members_by_user ON room_members (user_id, room_id)",
          "CREATE TABLE room_messages ("
              + " id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
              + " room_id bigint NOT NULL REFERENCES rooms (id),"
              + " sender_id bigint NOT NULL REFERENCES users (id),"
              + " body text NOT NULL,"
              + " sent_at bigint NOT NULL)",
          "CREATE INDEX room_messages_by_room ON room_messages (room_id, id)"),
      // 5: contact and block lists (issue 15), one row per (owner, other), each bounded per owner.
      List.of(
          "CREATE TABLE contacts ("
              + " owner_id bigint NOT NULL REFERENCES users (id),"
              + " other_id bigint NOT NULL REFERENCES users (id),"
              + " PRIMARY KEY (owner_id, other_id))",
          "CREATE TABLE blocks ("
              + " owner_id bigint NOT NULL REFERENCES users (id),"
              + " other_id bigint NOT NULL REFERENCES users (id),"
              + " PRIMARY KEY (owner_id, other_id))"),
      // 6: presence hiding (issue 15, docs/protocol.md section 21): one row per user who hides,
      // none for the others (the default, shown).
      List.of(
          "CREATE TABLE presence_hidden ("
              + " user_id bigint PRIMARY KEY REFERENCES users (id))"),
      // 7: account deletion (issue 15, docs/protocol.md section 22). A deleted account keeps its
      // row as its tombstone (deleted_at, as an operator's delete); self_deleted when its user
      // deleted it, so that its name returns after the quarantine, reusing the row (and its id,
      // which every node's cache may hold) for the new account. One row per account ever made.
      List.of("ALTER TABLE users ADD COLUMN self_deleted boolean NOT NULL DEFAULT false"),
      // 8 (issue 18): the admin
      // operations that running nodes poll to end the sessions of an account an operator
      // disabled, deleted or signed out from another process or node
      // (AdminStore#operationsAfter). Bounded: each insert keeps the newest
      // AdminStore.MAX_KEPT_OPERATIONS rows. Times are ms since the epoch.
      List.of(
          "CREATE TABLE admin_operations ("
              + " id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
              + " kind smallint NOT NULL CHECK (kind IN (1, 2, 3, 4)),"
              + " user_name text NOT NULL,"
              + " device_ids_up_to bigint NOT NULL DEFAULT 0,"
              + " at bigint NOT NULL)"));

  /** The schema version this code writes. */
  public static final int LATEST = STEPS.size();

  private Migrations() {}

  /**
   * Brings the database to {@link #LATEST}. Idempotent; runs in one transaction (PostgreSQL's
   * DDL is transactional), so a crash mid-way leaves the previous version. Several stores
   * starting at once on one database migrate one after the other under an advisory lock; the
   * later ones find nothing to do.
   *
   * @throws StoreOpenException with reason NEWER_SCHEMA, without changing anything, when the
   *     database was written by a newer version
   */
  public static void migrate(Handle handle, String target) throws StoreOpenException {
    // Refuse a newer database before taking any lock or opening a transaction in it.
    checkedVersion(handle, target);
    // A session lock taken before the transaction begins, not a transaction lock taken in it: a
    // transaction reads the catalog as its backend cached it when it began, so one that waited
    // inside for another store's migration would not see the tables that migration created.
    handle.createQuery(AppendLock.MIGRATION_LOCK).mapTo(String.class).one();
    try {
      migrateLocked(handle, target);
    } finally {
      unlockQuietly(handle);
    }
  }

  private static void migrateLocked(Handle handle, String target) throws StoreOpenException {
    handle.begin();
    boolean committed = false;
    try {
      int version = checkedVersion(handle, target);
      if (version < LATEST) {
        if (version == 0) {
          handle.execute("CREATE TABLE schema_version ("
              + " one_row boolean PRIMARY KEY DEFAULT true CHECK (one_row),"
              + " version integer NOT NULL)");
          handle.execute("INSERT INTO schema_version (version) VALUES (0)");
        }
        for (int v = version; v < LATEST; v++) {
          for (String sql : STEPS.get(v)) {
            handle.execute(sql);
          }
        }
        handle.execute("UPDATE schema_version SET version = ?", LATEST);
        LOG.info("migrated p2pchat store {} from schema version {} to {}", target, version, LATEST);
      }
      handle.commit();
      committed = true;
    } finally {
      if (!committed) {
        rollbackQuietly(handle);
      }
    }
  }

  /** The database's schema version, refused when newer than this code. */
  public static int checkedVersion(Handle handle, String target) throws StoreOpenException {
    int version = version(handle);
    if (version > LATEST) {
      throw new StoreOpenException(target, StoreOpenException.Reason.NEWER_SCHEMA,
          "cannot open p2pchat store " + target + ": its schema version " + version
              + " is newer than version " + LATEST + " that this p2pchat knows; it was left"
              + " unchanged (use the newer p2pchat)", null);
    }
    return version;
  }

  /** The database's schema version; 0 when it has no p2pchat tables. */
  public static int version(Handle handle) {
    boolean exists = handle.createQuery("SELECT to_regclass('schema_version') IS NOT NULL")
        .mapTo(Boolean.class)
        .one();
    if (!exists) {
      return 0;
    }
    return handle.createQuery("SELECT version FROM schema_version").mapTo(Integer.class).findOne().orElse(0);
  }

  private static void unlockQuietly(Handle handle) {
    try {
      handle.createQuery(AppendLock.MIGRATION_UNLOCK).mapTo(Boolean.class).one();
    } catch (RuntimeException e) {
      // The connection is gone, and its session lock with it; the original outcome stands.
      LOG.debug("releasing the migration lock failed", e);
    }
  }

  private static void rollbackQuietly(Handle handle) {
    try {
      handle.rollback();
    } catch (RuntimeException e) {
      // The connection may be gone; the original failure is what the caller sees.
      LOG.debug("rollback after a failed migration also failed", e);
    }
  }
}
