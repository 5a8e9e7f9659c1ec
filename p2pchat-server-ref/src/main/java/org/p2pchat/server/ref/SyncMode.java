package org.p2pchat.server.ref;

/**
 * SQLite's {@code synchronous} setting for the store, as an operator chooses it.
 */
public enum SyncMode {
  /**
   * Every commit reaches the disk before a send is acknowledged: an acknowledged message
   * survives a power cut. The default.
   */
  FULL,
  /**
   * Commits reach the operating system before a send is acknowledged, the disk a little later
   * (WAL mode): an acknowledged message survives a crash of the server process, not
   * necessarily a power cut. Faster.
   */
  NORMAL
}
