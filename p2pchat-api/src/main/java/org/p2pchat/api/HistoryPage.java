package org.p2pchat.api;

import java.util.List;
import java.util.OptionalLong;
import org.immutables.value.Value;

/**
 * One page of history: messages in increasing id order, and the cursor for the next page in
 * the same direction when there may be more.
 *
 * <p>Immutable and thread-safe.
 */
@Value.Immutable
public abstract class HistoryPage {

  HistoryPage() {}

  /**
   * A page of the given messages and cursor.
   *
   * @param messages the messages, in increasing id order
   * @param nextCursor the cursor for the next page; empty when this page is the last
   * @return the page
   * @throws IllegalArgumentException when the messages are not in increasing id order
   */
  public static HistoryPage of(List<ChatMessage> messages, OptionalLong nextCursor) {
    return ImmutableHistoryPage.builder().messages(messages).nextCursor(nextCursor).build();
  }

  /** {@return the messages, in increasing id order} */
  public abstract List<ChatMessage> messages();

  /**
   * {@return the cursor to pass to {@link HistoryQuery#cursor()} for the next page in the same
   * direction}; empty when this page is the last.
   */
  public abstract OptionalLong nextCursor();

  @Value.Check
  void check() {
    List<ChatMessage> m = messages();
    for (int i = 1; i < m.size(); i++) {
      if (m.get(i - 1).id() >= m.get(i).id()) {
        throw new IllegalArgumentException("history page not in increasing id order");
      }
    }
  }
}
