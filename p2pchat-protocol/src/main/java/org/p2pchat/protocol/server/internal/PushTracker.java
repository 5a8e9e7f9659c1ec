package org.p2pchat.protocol.server.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * Pushes awaiting acknowledgement, by push id and by retransmission deadline. Bounded: beyond
 * the bound a push is not sent, which loses nothing, since history holds every message.
 * Owned by the event loop.
 */
final class PushTracker {
  private final Map<Long, PendingPush> byId = new HashMap<>();
  private final PriorityQueue<PendingPush> byDeadline =
      new PriorityQueue<>((a, b) -> Long.compare(a.deadlineMillis, b.deadlineMillis));
  private final int maxPending;
  private final long initialTimeoutMillis;
  private final int maxAttempts;

  PushTracker(int maxPending, long initialTimeoutMillis, int maxAttempts) {
    this.maxPending = maxPending;
    this.initialTimeoutMillis = initialTimeoutMillis;
    this.maxAttempts = maxAttempts;
  }

  boolean isFull() {
    return byId.size() >= maxPending;
  }

  /** Tracks a push just sent for the first time. */
  void sent(PendingPush push, long nowMillis) {
    push.attempts = 1;
    push.deadlineMillis = nowMillis + initialTimeoutMillis;
    byId.put(push.pushId, push);
    byDeadline.add(push);
  }

  /** The push acknowledged by {@code session}, removed, or null when unknown or not theirs. */
  PendingPush acknowledged(long pushId, Session session) {
    PendingPush p = byId.get(pushId);
    if (p == null || p.session != session) {
      return null;
    }
    byId.remove(pushId);
    return p;
  }

  /** Resends each push whose deadline passed, doubling its timeout; gives up after the last attempt. */
  void retransmitDue(long nowMillis, Consumer<PendingPush> resend) {
    while (!byDeadline.isEmpty() && byDeadline.peek().deadlineMillis <= nowMillis) {
      PendingPush p = byDeadline.poll();
      if (byId.get(p.pushId) != p) {
        continue; // acknowledged meanwhile
      }
      if (p.attempts >= maxAttempts || p.session.closed) {
        byId.remove(p.pushId);
        continue;
      }
      p.attempts++;
      p.deadlineMillis = nowMillis + (initialTimeoutMillis << Math.min(p.attempts - 1, 16));
      byDeadline.add(p);
      resend.accept(p);
    }
  }

  /** Milliseconds until the next retransmission is due, at most {@code max}. */
  long millisUntilNext(long nowMillis, long max) {
    PendingPush next = byDeadline.peek();
    return next == null ? max : Math.max(0, Math.min(max, next.deadlineMillis - nowMillis));
  }

  int size() {
    return byId.size();
  }
}
