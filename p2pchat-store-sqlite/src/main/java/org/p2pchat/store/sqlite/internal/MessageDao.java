package org.p2pchat.store.sqlite.internal;

import java.util.List;
import java.util.OptionalLong;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.Define;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.p2pchat.api.ChatMessage;

/**
 * The {@code messages} table, except the group commit's batch insert, which stays on a
 * {@link org.jdbi.v3.core.statement.PreparedBatch} in {@link AppendTask}. Users are bound by
 * row id, states by {@link org.p2pchat.api.DeliveryState#code()}.
 *
 * <p>Attach once per connection; an attached instance is as thread-confined as its handle.
 */
@RegisterRowMapper(MessageMapper.class)
public interface MessageDao {

  /**
   * The rows of one history page. The statement is {@link HistorySql#of}'s for the query's
   * shape: its text varies with the shape, so it is defined rather than declared here. Shapes
   * without a peer leave {@code peerId} unused.
   */
  @SqlQuery("<page>")
  List<ChatMessage> page(@Define("page") String historySql, @Bind("reader") long readerId,
      @Bind("peer") long peerId, @Bind("cursor") long cursor, @Bind("fetch") int fetch);

  /**
   * Of the messages {@code ids}, those addressed to the recipient whose state is below
   * {@code state}, in id order.
   */
  @SqlQuery("SELECT " + MessageMapper.COLUMNS + " FROM messages m" + MessageMapper.JOIN_NAMES
      + " WHERE m.recipient_id = :recipient AND m.state < :state AND m.id IN (<ids>) ORDER BY m.id")
  List<ChatMessage> addressedBelow(@Bind("recipient") long recipientId, @Bind("state") int state,
      @BindList("ids") List<Long> ids);

  /** Sets the state of the messages {@code ids}. */
  @SqlUpdate("UPDATE messages SET state = :state WHERE id IN (<ids>)")
  void setState(@Bind("state") int state, @BindList("ids") List<Long> ids);

  /** The highest message id ever assigned (AUTOINCREMENT's sequence); empty before the first. */
  @SqlQuery("SELECT seq FROM sqlite_sequence WHERE name = 'messages'")
  OptionalLong lastAssignedId();

  /** The row id of this connection's last insert. */
  @SqlQuery("SELECT last_insert_rowid()")
  long lastInsertRowid();
}
