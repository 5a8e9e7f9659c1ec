package org.p2pchat.store.sqlite.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.UserAccount;

/** Maps {@code name, created_at, last_login_at, disabled} to a {@link UserAccount}. Public for Jdbi. */
public final class UserAccountMapper implements RowMapper<UserAccount> {

  @Override
  public UserAccount map(ResultSet rs, StatementContext ctx) throws SQLException {
    long lastLogin = rs.getLong(3);
    Optional<Instant> last = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(lastLogin));
    return UserAccount.of(UserName.of(rs.getString(1)), Instant.ofEpochMilli(rs.getLong(2)), last, rs.getInt(4) != 0);
  }
}
