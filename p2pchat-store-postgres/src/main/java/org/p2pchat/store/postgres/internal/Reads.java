package org.p2pchat.store.postgres.internal;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.HistoryPage;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.StoredUser;

/**
 * The read queries. Each is one statement in autocommit, so it reads one snapshot of what was
 * committed when it started and never waits for a writer.
 */
public final class Reads {
  private Reads() {}

  /** The user of that name, if any. */
  public static Optional<StoredUser> findUser(Handle handle, UserName name) {
    return handle.createQuery("SELECT name, password_hash, created_at, disabled FROM users"
            + " WHERE name = ? AND deleted_at IS NULL")
        .bind(0, name.value())
        .map((rs, ctx) -> StoredUser.of(UserName.of(rs.getString(1)), rs.getString(2),
            rs.getObject(3, OffsetDateTime.class).toInstant()).asDisabled(rs.getBoolean(4)))
        .findOne();
  }

  /** The id of the user of that name, if any. */
  public static OptionalLong userId(Handle handle, UserName name) {
    // A deleted account receives nothing (docs/protocol.md section 22).
    return handle.createQuery("SELECT id FROM users WHERE name = ? AND deleted_at IS NULL")
        .bind(0, name.value())
        .mapTo(Long.class)
        .findOne()
        .map(OptionalLong::of)
        .orElse(OptionalLong.empty());
  }

  /**
   * One page of {@code reader}'s history. Fetches one message more than the limit to know
   * whether a next page exists.
   */
  public static HistoryPage history(Handle handle, UserName reader, HistoryQuery query) {
    boolean before = query.direction() == HistoryQuery.Direction.BEFORE;
    long cursor = before && query.cursor() == 0 ? Long.MAX_VALUE : query.cursor();
    Query sql = handle.createQuery(HistorySql.of(query))
        .bind("reader", reader.value())
        .bind("cursor", cursor)
        .bind("fetch", query.limit() + 1);
    if (query.peer().isPresent()) {
      sql.bind("peer", query.peer().get().value());
    }
    List<ChatMessage> rows = sql.mapTo(ChatMessage.class).list();
    boolean more = rows.size() > query.limit();
    List<ChatMessage> page = new ArrayList<>(more ? rows.subList(0, query.limit()) : rows);
    if (before) {
      Collections.reverse(page);
    }
    OptionalLong next = OptionalLong.empty();
    if (more) {
      next = OptionalLong.of(before ? page.get(0).id() : page.get(page.size() - 1).id());
    }
    return HistoryPage.of(page, next);
  }
}
