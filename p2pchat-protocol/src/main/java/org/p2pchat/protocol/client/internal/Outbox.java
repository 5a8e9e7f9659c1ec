package org.p2pchat.protocol.client.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.UserName;

/**
 * The sends not yet acknowledged, in the order they were made: those waiting for a session
 * (made while disconnected, or taken back from a session that was lost) and those in flight.
 * Each keeps its idempotency key for every copy it sends, in any session, so the server stores
 * it once (docs/protocol.md 17.5). Bounded; loop-confined.
 */
final class Outbox {
  /** One send. */
  static final class Entry {
    final long seq;
    final UserName recipient;
    final String body;
    final long key;
    final CompletableFuture<ChatMessage> future;
    /** Counts transmissions, so that the outcome of an abandoned one is ignored. */
    int attempt;
    boolean done;

    Entry(long seq, UserName recipient, String body, long key, CompletableFuture<ChatMessage> future) {
      this.seq = seq;
      this.recipient = recipient;
      this.body = body;
      this.key = key;
      this.future = future;
    }
  }

  private final int capacity;
  private final TreeMap<Long, Entry> waiting = new TreeMap<>();
  private final TreeMap<Long, Entry> sending = new TreeMap<>();
  private long nextSeq;

  Outbox(int capacity) {
    this.capacity = capacity;
  }

  /** Whether another send fits. */
  boolean isFull() {
    return size() >= capacity;
  }

  /** Sends not acknowledged: waiting and in flight. */
  int size() {
    return waiting.size() + sending.size();
  }

  /** A new entry, not yet placed. */
  Entry newEntry(UserName recipient, String body, long key, CompletableFuture<ChatMessage> future) {
    return new Entry(nextSeq++, recipient, body, key, future);
  }

  /** Places an entry among those waiting for a session. */
  void waitFor(Entry e) {
    sending.remove(e.seq);
    waiting.put(e.seq, e);
  }

  /** Moves an entry to those in flight. */
  void sending(Entry e) {
    waiting.remove(e.seq);
    sending.put(e.seq, e);
  }

  /** Forgets an entry that is done. */
  void remove(Entry e) {
    e.done = true;
    waiting.remove(e.seq);
    sending.remove(e.seq);
  }

  /** Takes every waiting entry, oldest first, to send them. */
  List<Entry> takeWaiting() {
    List<Entry> all = new ArrayList<>(waiting.values());
    waiting.clear();
    return all;
  }

  /** Takes every entry, waiting or in flight, marked done: for a failure of them all. */
  List<Entry> takeAll() {
    List<Entry> all = new ArrayList<>(waiting.values());
    all.addAll(sending.values());
    all.sort((a, b) -> Long.compare(a.seq, b.seq));
    waiting.clear();
    sending.clear();
    for (Entry e : all) {
      e.done = true;
    }
    return all;
  }
}
