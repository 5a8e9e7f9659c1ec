package org.p2pchat.api;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One page of a room's history: messages in increasing id order, and the cursor of the next
 * page in the same direction when there may be more (as {@link HistoryPage}).
 *
 * @param messages the messages, in increasing id order
 * @param nextCursor the cursor for the next page; empty when this page is the last
 */
public record RoomHistoryPage(List<RoomMessage> messages, OptionalLong nextCursor) {
  /**
   * Copies the list and checks the order.
   *
   * @param messages the messages, in increasing id order
   * @param nextCursor the cursor for the next page; empty when this page is the last
   * @throws IllegalArgumentException when the messages are not in increasing id order
   */
  public RoomHistoryPage {
    messages = List.copyOf(messages);
    Objects.requireNonNull(nextCursor, "nextCursor");
    for (int i = 1; i < messages.size(); i++) {
      if (messages.get(i - 1).id() >= messages.get(i).id()) {
        throw new IllegalArgumentException("room history page not in increasing id order");
      }
    }
  }
}
