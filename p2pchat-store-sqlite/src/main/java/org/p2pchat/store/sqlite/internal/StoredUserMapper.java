package org.p2pchat.store.sqlite.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.StoredUser;

/**
 * Maps a row of {@code name, password_hash, created_at, disabled} to a {@link StoredUser}. Public with a
 * public constructor because {@code @RegisterRowMapper} has Jdbi instantiate it.
 */
public final class StoredUserMapper implements RowMapper<StoredUser> {

  @Override
  public StoredUser map(ResultSet rs, StatementContext ctx) throws SQLException {
    StoredUser user = StoredUser.of(UserName.of(rs.getString(1)), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)));
    return rs.getInt(4) != 0 ? user.asDisabled(true) : user;
  }
}
