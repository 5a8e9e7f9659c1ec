package org.p2pchat.store.postgres.internal;

import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.HistoryQuery;

/**
 * Builds the SQL of a history page. Each branch is a range scan of one index in id order, in
 * the paging direction, cut at {@code :fetch} rows; a page of two branches merges at most twice
 * that many rows. So a page costs the same however long the history is. Parameters:
 * {@code :reader} and {@code :peer} (user names, looked up in the same statement, so a page is
 * one round trip), {@code :cursor} (an id, exclusive) and {@code :fetch} (rows to return).
 */
public final class HistorySql {
  private static final String READER = "(SELECT id FROM users WHERE name = :reader)";
  private static final String PEER = "(SELECT id FROM users WHERE name = :peer)";

  private HistorySql() {}

  /** The SQL for {@code query}; the text depends only on the query's shape, not its values. */
  public static String of(HistoryQuery query) {
    boolean before = query.direction() == HistoryQuery.Direction.BEFORE;
    String order = before ? " ORDER BY id DESC" : " ORDER BY id ASC";
    String range = before ? " AND id < :cursor" : " AND id > :cursor";
    String unread = query.unreadOnly() ? " AND state < " + DeliveryState.READ.code() : "";
    boolean withPeer = query.peer().isPresent();
    String selected;
    if (query.unreadOnly()) {
      // Only messages addressed to the reader can be unread by the reader.
      selected = branch("recipient_id = " + READER + (withPeer ? " AND sender_id = " + PEER : "")
          + unread + range, order);
    } else if (withPeer) {
      // Both directions of one conversation: two ranges of the pair index, merged. A reader
      // who is their own peer has one direction only.
      selected = branch("recipient_id = " + PEER + " AND sender_id = " + READER + range, order)
          + " UNION ALL "
          + branch("recipient_id = " + READER + " AND sender_id = " + PEER
              + " AND sender_id <> recipient_id" + range, order);
    } else {
      // Sent and received: two ranges, merged. A message to oneself is counted as sent.
      selected = branch("sender_id = " + READER + range, order)
          + " UNION ALL "
          + branch("recipient_id = " + READER + " AND sender_id <> recipient_id" + range, order);
    }
    // Two branches are merged and cut again; one branch is already in order and cut.
    String rows = query.unreadOnly() ? selected : "(" + selected + order + " LIMIT :fetch)";
    return "SELECT " + MessageMapper.COLUMNS
        + " FROM " + rows + " m"
        + MessageMapper.JOIN_NAMES
        + " ORDER BY m.id" + (before ? " DESC" : " ASC");
  }

  private static String branch(String where, String order) {
    return "(SELECT id, sender_id, recipient_id, body, sent_at, state FROM messages WHERE " + where
        + order + " LIMIT :fetch)";
  }
}
