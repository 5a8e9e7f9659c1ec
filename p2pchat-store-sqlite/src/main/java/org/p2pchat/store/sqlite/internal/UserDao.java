package org.p2pchat.store.sqlite.internal;

import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.p2pchat.api.store.StoredUser;

/**
 * The {@code users} table. Names are bound as their text; the column's NOCASE collation makes
 * every look-up case-insensitive. Instants are stored as epoch milliseconds.
 *
 * <p>Attach once per connection; an attached instance is as thread-confined as its handle.
 */
public interface UserDao {

  /** The user of that name, if any. */
  @SqlQuery("SELECT name, password_hash, created_at, disabled FROM users WHERE name = :name AND deleted_at IS NULL")
  @RegisterRowMapper(StoredUserMapper.class)
  Optional<StoredUser> find(@Bind("name") String name);

  /** The row id of the live user of that name, if any: a deleted account receives nothing. */
  @SqlQuery("SELECT id FROM users WHERE name = :name AND deleted_at IS NULL")
  OptionalLong id(@Bind("name") String name);

  /** Inserts a user; false, and nothing written, when the name (in any case) exists. */
  @SqlUpdate("INSERT INTO users (name, password_hash, created_at) VALUES (:name, :hash, :createdAt)"
      + " ON CONFLICT (name) DO NOTHING")
  boolean insert(@Bind("name") String name, @Bind("hash") String passwordHash,
      @Bind("createdAt") long createdAtMillis);

  /** Replaces a user's password hash; false when there is no such user. */
  @SqlUpdate("UPDATE users SET password_hash = :hash WHERE name = :name")
  boolean setPasswordHash(@Bind("name") String name, @Bind("hash") String passwordHash);
}
