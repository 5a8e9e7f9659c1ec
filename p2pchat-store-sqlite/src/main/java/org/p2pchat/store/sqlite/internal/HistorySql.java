package org.p2pchat.store.sqlite.internal;

import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.HistoryQuery;

/**
 * Builds the SQL of a history page, which {@link MessageDao#page} runs. Each shape of query is a range scan of one index (or a merge
 * of two), ordered by id in the paging direction and cut at {@code :fetch} rows, so a page costs
 * the same however long the history is. Parameters: {@code :reader} and {@code :peer} (user
 * ids), {@code :cursor} (exclusive) and {@code :fetch} (rows to return).
 */
public final class HistorySql {
  private HistorySql() {}

  /** The SQL for {@code query}; the text depends only on the query's shape, not its values. */
  public static String of(HistoryQuery query) {
    boolean before = query.direction() == HistoryQuery.Direction.BEFORE;
    String order = before ? " ORDER BY id DESC" : " ORDER BY id ASC";
    String range = before ? " AND id < :cursor" : " AND id > :cursor";
    String unread = query.unreadOnly() ? " AND state < " + DeliveryState.READ.code() : "";
    boolean withPeer = query.peer().isPresent();
    // Compound members may not have their own ORDER BY or LIMIT: each is a plain index range,
    // and SQLite merges them in id order and stops after :fetch rows.
    String selected;
    if (query.unreadOnly()) {
      // Only messages addressed to the reader can be unread by the reader.
      selected = branch("recipient_id = :reader" + (withPeer ? " AND sender_id = :peer" : "")
          + unread + range);
    } else if (withPeer) {
      // Both directions of one conversation: two ranges of the pair index, merged. A reader
      // who is their own peer has one direction only.
      selected = branch("recipient_id = :peer AND sender_id = :reader" + range)
          + " UNION ALL "
          + branch("recipient_id = :reader AND sender_id = :peer AND sender_id <> recipient_id" + range);
    } else {
      // Sent and received: two ranges, merged. A message to oneself is counted as sent.
      selected = branch("sender_id = :reader" + range)
          + " UNION ALL "
          + branch("recipient_id = :reader AND sender_id <> :reader" + range);
    }
    return "SELECT " + MessageMapper.COLUMNS
        + " FROM (" + selected + order + " LIMIT :fetch) m"
        + MessageMapper.JOIN_NAMES
        + " ORDER BY m.id" + (before ? " DESC" : " ASC");
  }

  private static String branch(String where) {
    return "SELECT id, sender_id, recipient_id, body, sent_at, state FROM messages WHERE " + where;
  }
}
