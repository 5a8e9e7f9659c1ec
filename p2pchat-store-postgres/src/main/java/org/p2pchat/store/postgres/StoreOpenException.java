package org.p2pchat.store.postgres;

import java.io.IOException;
import java.util.Objects;

/**
 * A PostgreSQL database could not be opened as a p2pchat store. The message names the server,
 * the database and the user, and the cause in a plain sentence; it never contains the password.
 * {@link #reason()} says which kind of failure it was. The store never repairs, resets or
 * downgrades a database it refuses: the operator decides what to do with it.
 */
public final class StoreOpenException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Why a database was refused. */
  public enum Reason {
    /**
     * No PostgreSQL server answered at the address within the connect timeout: a wrong host or
     * port, a server that is down, starting or shutting down, or a network in between that drops
     * the connection.
     */
    UNREACHABLE,
    /**
     * The server refused the user name or the password, or has no {@code pg_hba.conf} entry that
     * lets this user connect from this host.
     */
    BAD_CREDENTIALS,
    /** The server has no database of the name in the JDBC URL. */
    NO_DATABASE,
    /** The database was written by a newer p2pchat whose schema this version does not know. */
    NEWER_SCHEMA,
    /**
     * The server answered but would not let the store work: for example the user may not create
     * the store's tables, the database holds other tables of the same names, or the server has
     * no connection slot left.
     */
    REFUSED
  }

  private final String target;
  private final Reason reason;

  /**
   * An open failure.
   *
   * @param target the database that was refused, as {@link PostgresChatStore#target()} names it
   *     (servers, database and user, never the password)
   * @param reason the kind of failure
   * @param message a plain sentence naming the target and the cause, without secrets
   * @param cause the underlying failure, or null
   */
  public StoreOpenException(String target, Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.target = Objects.requireNonNull(target, "target");
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** The database that was refused: servers, database and user, never the password. */
  public String target() {
    return target;
  }

  /** Which kind of failure it was. */
  public Reason reason() {
    return reason;
  }
}
