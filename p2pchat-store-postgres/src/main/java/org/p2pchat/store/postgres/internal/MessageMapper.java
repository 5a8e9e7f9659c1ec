package org.p2pchat.store.postgres.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.UserName;

/** Maps a row of {@link #COLUMNS} to a {@link ChatMessage}. */
final class MessageMapper implements RowMapper<ChatMessage> {

  /** The columns to select, from {@code messages m} joined to its sender {@code s} and recipient {@code r}. */
  static final String COLUMNS = "m.id, s.name AS sender, r.name AS recipient, m.body, m.sent_at, m.state";

  /** The joins that name a message's sender and recipient. */
  static final String JOIN_NAMES = " JOIN users s ON s.id = m.sender_id JOIN users r ON r.id = m.recipient_id";

  @Override
  public ChatMessage map(ResultSet rs, StatementContext ctx) throws SQLException {
    return ChatMessage.builder()
        .id(rs.getLong(1))
        .sender(UserName.of(rs.getString(2)))
        .recipient(UserName.of(rs.getString(3)))
        .body(rs.getString(4))
        .sentAt(rs.getObject(5, OffsetDateTime.class).toInstant())
        .state(DeliveryState.of(rs.getInt(6)))
        .build();
  }
}
