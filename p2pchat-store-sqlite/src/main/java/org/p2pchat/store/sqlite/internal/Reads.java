package org.p2pchat.store.sqlite.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.HistoryPage;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.StoredUser;

/**
 * The reads of one reader connection, through DAOs attached to it once. In WAL mode they never
 * wait for the writer. A reader sees committed users only, so the ids it remembers
 * ({@link UserIds}) never need forgetting. Confined to one thread at a time, like the connection.
 */
public final class Reads {
  private final UserDao users;
  private final MessageDao messages;
  private final PragmaDao pragmas;
  private final UserIds userIds;
  private final Handle handle;
  private final AdminDao admin;
  /** Whether one user blocks another: read on every SEND, so prepared once on this connection. */
  private PreparedStatement blocks;

  /** Reads on {@code handle}, which stays the caller's to close. */
  Reads(Handle handle) {
    this.handle = handle;
    this.users = handle.attach(UserDao.class);
    this.messages = handle.attach(MessageDao.class);
    this.pragmas = handle.attach(PragmaDao.class);
    this.userIds = new UserIds(users);
    this.admin = handle.attach(AdminDao.class);
  }

  /** The reader's connection, for reads of other tables ({@link DeviceSql}). */
  Handle handle() {
    return handle;
  }

  /** The user of that name, if any. */
  public Optional<StoredUser> findUser(UserName name) {
    return users.find(name.value());
  }

  /**
   * One page of {@code reader}'s history. Fetches one message more than the limit to know
   * whether a next page exists.
   */
  public HistoryPage history(UserName reader, HistoryQuery query) {
    long readerId = userIds.of(reader);
    long peerId = query.peer().isPresent() ? userIds.of(query.peer().get()) : -1;
    if (readerId < 0 || (query.peer().isPresent() && peerId < 0)) {
      return HistoryPage.of(List.of(), OptionalLong.empty());
    }
    boolean before = query.direction() == HistoryQuery.Direction.BEFORE;
    long cursor = before && query.cursor() == 0 ? Long.MAX_VALUE : query.cursor();
    List<ChatMessage> rows = messages.page(HistorySql.of(query), readerId, peerId, cursor, query.limit() + 1);
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

  /**
   * Whether {@code owner} blocks {@code other}, both live accounts; false when either is unknown
   * or deleted. One statement prepared once (no Jdbi statement per call): the server asks it
   * before every one-to-one send, and through Jdbi its three queries were most of what a send
   * allocated (docs/benchmarks.md, issue 17).
   */
  public boolean isBlocked(UserName owner, UserName other) {
    try {
      if (blocks == null) {
        blocks = handle.getConnection().prepareStatement("SELECT 1 FROM blocks k"
            + " JOIN users o ON o.id = k.owner_id JOIN users x ON x.id = k.other_id"
            + " WHERE o.name = ? AND o.deleted_at IS NULL AND x.name = ? AND x.deleted_at IS NULL");
        handle.addCleanable(blocks::close);
      }
      blocks.setString(1, owner.value());
      blocks.setString(2, other.value());
      try (ResultSet row = blocks.executeQuery()) {
        return row.next();
      }
    } catch (SQLException e) {
      throw new Statements.StoreSqlException(e);
    }
  }

  /** The operator's reads. */
  AdminDao admin() {
    return admin;
  }

  /** The value of the PRAGMA {@code name}, which the caller has checked is a plain name. */
  public String pragma(String name) {
    return pragmas.read(name);
  }
}
