package org.p2pchat.store.sqlite;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The database file could not be opened as a p2pchat store. The message names the file and the
 * cause in a plain sentence; {@link #reason()} says which kind of failure it was. The store never
 * repairs, resets or downgrades a file it refuses: the operator decides what to do with it.
 */
public final class StoreOpenException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Why a database file was refused. */
  public enum Reason {
    /** The file (or its directory) cannot be created, read or written by this process. */
    UNREADABLE,
    /** Another connection or process holds a lock on the file longer than the busy timeout. */
    LOCKED,
    /** The file is not a SQLite database, or its content is damaged. */
    CORRUPT,
    /** The file was written by a newer p2pchat whose schema this version does not know. */
    NEWER_SCHEMA
  }

  private final transient Path file;
  private final Reason reason;

  /**
   * An open failure.
   *
   * @param file the database file that was refused
   * @param reason the kind of failure
   * @param message a plain sentence naming the file and the cause, without secrets
   * @param cause the underlying failure, or null
   */
  public StoreOpenException(Path file, Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.file = Objects.requireNonNull(file, "file");
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** The database file that was refused. */
  public Path file() {
    return file;
  }

  /** Which kind of failure it was. */
  public Reason reason() {
    return reason;
  }
}
