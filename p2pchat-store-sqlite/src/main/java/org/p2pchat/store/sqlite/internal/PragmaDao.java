package org.p2pchat.store.sqlite.internal;

import org.jdbi.v3.sqlobject.customizer.Define;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The PRAGMAs the store reads and sets: the schema version that {@link Migrations} keeps in
 * {@code user_version}, and the per-connection modes. PRAGMAs take no bound parameters, so
 * values are defined into the text; only integers and names checked by the caller are.
 *
 * <p>Attach once per connection; an attached instance is as thread-confined as its handle.
 */
public interface PragmaDao {

  /** The file's schema version; 0 for a new file. */
  @SqlQuery("PRAGMA user_version")
  int userVersion();

  /** Records the file's schema version. */
  @SqlUpdate("PRAGMA user_version = <version>")
  void setUserVersion(@Define("version") int version);

  /** Switches the file to WAL journaling; returns the journal mode in force afterwards. */
  @SqlQuery("PRAGMA journal_mode = WAL")
  String switchToWal();

  /** Makes this connection refuse every write. */
  @SqlUpdate("PRAGMA query_only = ON")
  void queryOnly();

  /** The value of the PRAGMA {@code name}, which the caller has checked is a plain name. */
  @SqlQuery("PRAGMA <name>")
  String read(@Define("name") String name);
}
