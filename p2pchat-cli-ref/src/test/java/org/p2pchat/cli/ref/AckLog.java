package org.p2pchat.cli.ref;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.p2pchat.api.ChatMessage;

/** The messages whose acknowledgement the load generators received. Thread-safe. */
final class AckLog {
  private final Map<Long, ChatMessage> byId = new HashMap<>();

  /** Records an acknowledged message; a second acknowledgement with the same id is an error. */
  synchronized void record(ChatMessage m) {
    if (byId.putIfAbsent(m.id(), m) != null) {
      throw new AssertionError("the server acknowledged two sends with message id " + m.id());
    }
    notifyAll();
  }

  synchronized int size() {
    return byId.size();
  }

  synchronized List<ChatMessage> messages() {
    return new ArrayList<>(byId.values());
  }

  /**
   * Waits until at least {@code target} messages are recorded.
   *
   * @return whether they were, within {@code timeoutMillis}
   */
  synchronized boolean awaitAtLeast(int target, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (byId.size() < target) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        return false;
      }
      wait(left);
    }
    return true;
  }
}
