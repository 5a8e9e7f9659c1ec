package org.p2pchat.store.postgres;

/**
 * Told of each transaction the store's writer commits: how many writes it held and how long it
 * took, for an operator's metrics (batch sizes and commit latency), as the SQLite store's
 * listener of the same name. Called on the writer thread after the commit and before the writes'
 * futures complete: it must be quick and must not block or throw.
 */
@FunctionalInterface
public interface CommitListener {

  /** Ignores every commit. */
  CommitListener NONE = (writes, nanos) -> {};

  /**
   * A transaction committed.
   *
   * @param writes the writes it held, 1 or more
   * @param nanos how long it took, from BEGIN to the end of COMMIT (the round trips included), in
   *     nanoseconds
   */
  void committed(int writes, long nanos);
}
