package org.p2pchat.store.postgres.internal;

/**
 * Why message ids are assigned in commit order, across every store on one database, and the
 * lock that does it.
 *
 * <p>History pages by id: a reader that has seen everything up to id {@code c} asks for ids
 * above {@code c}. That is only complete if no message with an id at or below {@code c} can
 * become visible later. A plain sequence does not give that with several writers (several
 * server nodes): node A takes id 10, node B takes id 11 and commits first, a reader pages past
 * 11, then A commits 10, and the reader never sees it.
 *
 * <p>So every transaction that appends takes this transaction-level advisory lock before
 * anything else (its first statement), allocates its ids from the {@code message_ids} sequence
 * while holding it, and holds it until it commits or rolls back. Appending transactions are
 * therefore serialized: a later one allocates only after the earlier one has ended, so ids are
 * allocated in commit order. PostgreSQL makes a transaction visible to new snapshots before it
 * releases its locks, so any snapshot that sees a message also sees every message with a
 * smaller id. Within one store, group commit keeps this cheap: one lock, one id allocation and
 * one commit per batch of appends, not per message. Across stores, appends commit one batch at
 * a time; each store's batch grows while it waits, so the rate stays near one commit per
 * flush times the batch size.
 *
 * <p>The lock is taken at the top level of the transaction, never inside a savepoint: rolling
 * back to a savepoint would release it before the commit. It is taken first, before the batch
 * writes anything else, so that a batch waiting for it holds no row or index lock another
 * node's batch could wait for (which would be a deadlock). Waiting for it is bounded by the
 * session's {@code lock_timeout}; a batch that times out fails with SERVER_BUSY.
 *
 * <p>The key is the pair (p2pchat's lock space, the oid of the {@code messages} table the
 * session's search path names), so stores on different schemas of one database do not wait for
 * each other. Nothing else may advance {@code message_ids}.
 */
public final class AppendLock {
  /** The first key of every advisory lock the store takes: "p2pc" in ASCII. */
  static final int LOCK_SPACE = 0x70327063;

  /** Takes the append lock for the rest of the transaction. */
  public static final String ACQUIRE =
      "SELECT pg_advisory_xact_lock(" + LOCK_SPACE + ", 'messages'::regclass::oid::int)";

  /**
   * Serializes migrations of every store on the database, as a session lock (see
   * {@link Migrations}); oid 0 is never a table's, so it is no append lock.
   */
  public static final String MIGRATION_LOCK = "SELECT pg_advisory_lock(" + LOCK_SPACE + ", 0)";

  /** Releases {@link #MIGRATION_LOCK}. */
  static final String MIGRATION_UNLOCK = "SELECT pg_advisory_unlock(" + LOCK_SPACE + ", 0)";

  private AppendLock() {}
}
