package org.p2pchat.protocol.server.internal;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Answers by (scope, request id), kept for the client's whole retransmission span so that a
 * retransmitted request is answered again but applied once. A request still being worked on
 * is recorded as pending, and its retransmissions are dropped.
 *
 * <p>Bounded in entries and bytes; the oldest go first. Owned by the event loop.
 */
final class AnswerCache {
  /** A request in progress: no answer yet. */
  static final byte[] PENDING = new byte[0];

  /** The scope is a source address (before a session exists) or a {@link TokenKey}. */
  record Key(Object scope, long requestId) {}

  private static final class Entry {
    final long createdMillis;
    byte[] answer;

    Entry(long createdMillis, byte[] answer) {
      this.createdMillis = createdMillis;
      this.answer = answer;
    }
  }

  private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>();
  private final int maxEntries;
  private final long maxBytes;
  private final long ttlMillis;
  private long bytes;

  AnswerCache(int maxEntries, long maxBytes, long ttlMillis) {
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
    this.ttlMillis = ttlMillis;
  }

  /** The cached answer, {@link #PENDING}, or null when the request is new. */
  byte[] get(Key key, long nowMillis) {
    Entry e = entries.get(key);
    if (e == null) {
      return null;
    }
    if (nowMillis - e.createdMillis > ttlMillis) {
      remove(key);
      return null;
    }
    return e.answer;
  }

  /** Records that a request is being worked on. */
  void putPending(Key key, long nowMillis) {
    put(key, PENDING, nowMillis);
  }

  /** Records the answer to a request, copied from the buffer's position to its limit. */
  void putAnswer(Key key, ByteBuffer answer, long nowMillis) {
    byte[] copy = new byte[answer.remaining()];
    answer.duplicate().get(copy);
    Entry e = entries.get(key);
    if (e != null) {
      bytes += copy.length - e.answer.length;
      e.answer = copy;
    } else {
      put(key, copy, nowMillis);
    }
    evict(nowMillis);
  }

  /** Forgets a request, so that a retransmission is worked on afresh (after a busy answer). */
  void remove(Key key) {
    Entry e = entries.remove(key);
    if (e != null) {
      bytes -= e.answer.length;
    }
  }

  private void put(Key key, byte[] answer, long nowMillis) {
    Entry old = entries.put(key, new Entry(nowMillis, answer));
    if (old != null) {
      bytes -= old.answer.length;
    }
    bytes += answer.length;
    evict(nowMillis);
  }

  /** Drops expired entries, then the oldest while over a bound. */
  void evict(long nowMillis) {
    for (Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Key, Entry> oldest = it.next();
      boolean expired = nowMillis - oldest.getValue().createdMillis > ttlMillis;
      if (!expired && entries.size() <= maxEntries && bytes <= maxBytes) {
        return;
      }
      bytes -= oldest.getValue().answer.length;
      it.remove();
    }
  }

  int size() {
    return entries.size();
  }

  long bytes() {
    return bytes;
  }
}
