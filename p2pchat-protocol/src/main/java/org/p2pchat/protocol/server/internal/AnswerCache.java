package org.p2pchat.protocol.server.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Answers by (scope, request id), kept for the client's whole retransmission span so that a
 * retransmitted request is answered again but applied once. A request still being worked on is
 * recorded as {@link #PENDING}, and its retransmissions are dropped.
 *
 * <p>The scope is a session token for requests within a session, and the source address before
 * one exists. The two never match each other: a peer that presents a token can never reach an
 * answer cached for an address (a LOGIN's, which holds a token).
 *
 * <p>Looked up on every request without allocating: open addressing over the entries, which
 * hold their own keys, with linear probing and backward-shift deletion, as {@link TokenMap}
 * does. Bounded in entries and bytes; the oldest go first (the entries form a list in the
 * order they were made). Owned by the event loop; not thread-safe.
 */
final class AnswerCache {
  /** A request in progress: no answer yet. */
  static final byte[] PENDING = new byte[0];

  /** The scope of a request within a session: its token. */
  static final int TOKEN_SCOPE = 1;
  /** The scope of a request before a session: its source address. */
  static final int ADDRESS_SCOPE = 2;

  private static final int MIN_CAPACITY = 64;

  /** A cached answer and its key. */
  static final class Entry {
    final int scope;
    final long hi;
    final long lo;
    final InetSocketAddress address;
    final long requestId;
    final int hash;
    final long createdMillis;
    byte[] answer;
    /** Whether the answer may exceed its request's size (it goes to a proven address). */
    boolean unbounded;
    Entry older;
    Entry newer;

    Entry(int scope, long hi, long lo, InetSocketAddress address, long requestId, int hash,
        long createdMillis) {
      this.scope = scope;
      this.hi = hi;
      this.lo = lo;
      this.address = address;
      this.requestId = requestId;
      this.hash = hash;
      this.createdMillis = createdMillis;
      this.answer = PENDING;
    }
  }

  private final int maxEntries;
  private final long maxBytes;
  private final long ttlMillis;
  private Entry[] table = new Entry[MIN_CAPACITY];
  private int mask = MIN_CAPACITY - 1;
  private int size;
  private long bytes;
  private Entry oldest;
  private Entry newest;

  AnswerCache(int maxEntries, long maxBytes, long ttlMillis) {
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
    this.ttlMillis = ttlMillis;
  }

  /**
   * The entry of a request, or null when the request is new (or its entry expired).
   *
   * @param address the source address for {@link #ADDRESS_SCOPE}, else null
   */
  Entry get(int scope, long hi, long lo, InetSocketAddress address, long requestId, long nowMillis) {
    int i = find(scope, hi, lo, address, requestId);
    if (i < 0) {
      return null;
    }
    Entry e = table[i];
    if (nowMillis - e.createdMillis > ttlMillis) {
      removeAt(i);
      return null;
    }
    return e;
  }

  /** Records that a request is being worked on; replaces what was cached for it. */
  void putPending(int scope, long hi, long lo, InetSocketAddress address, long requestId,
      long nowMillis) {
    int i = find(scope, hi, lo, address, requestId);
    if (i >= 0) {
      removeAt(i);
    }
    Entry e = new Entry(scope, hi, lo, address, requestId, hash(scope, hi, lo, requestId), nowMillis);
    insert(e);
    link(e);
    size++;
    evict(nowMillis);
  }

  /**
   * Records the answer to a request, copied from the buffer's position to its limit.
   *
   * @param unbounded whether the answer may be larger than its request when replayed
   */
  void putAnswer(int scope, long hi, long lo, InetSocketAddress address, long requestId,
      ByteBuffer answer, boolean unbounded, long nowMillis) {
    int i = find(scope, hi, lo, address, requestId);
    if (i < 0) {
      putPending(scope, hi, lo, address, requestId, nowMillis); // evicted while in progress
      i = find(scope, hi, lo, address, requestId);
    }
    Entry e = table[i];
    byte[] copy = new byte[answer.remaining()];
    answer.duplicate().get(copy);
    bytes += copy.length - e.answer.length;
    e.answer = copy;
    e.unbounded = unbounded;
    evict(nowMillis);
  }

  /** Forgets a request, so that a retransmission is worked on afresh (after a busy answer). */
  void remove(int scope, long hi, long lo, InetSocketAddress address, long requestId) {
    int i = find(scope, hi, lo, address, requestId);
    if (i >= 0) {
      removeAt(i);
    }
  }

  /** Drops expired entries, then the oldest while over a bound. */
  void evict(long nowMillis) {
    while (oldest != null && (nowMillis - oldest.createdMillis > ttlMillis || size > maxEntries
        || bytes > maxBytes)) {
      removeAt(find(oldest.scope, oldest.hi, oldest.lo, oldest.address, oldest.requestId));
    }
  }

  int size() {
    return size;
  }

  long bytes() {
    return bytes;
  }

  // ---------------------------------------------------------------- the table

  private int find(int scope, long hi, long lo, InetSocketAddress address, long requestId) {
    int h = hash(scope, hi, lo, requestId);
    for (int i = h & mask; table[i] != null; i = (i + 1) & mask) {
      Entry e = table[i];
      if (e.hash == h && e.requestId == requestId && e.scope == scope && e.hi == hi && e.lo == lo
          && (scope != ADDRESS_SCOPE || address.equals(e.address))) {
        return i;
      }
    }
    return -1;
  }

  private void insert(Entry e) {
    if ((size + 1) * 2 > table.length) {
      rehash(table.length * 2);
    }
    int i = e.hash & mask;
    while (table[i] != null) {
      i = (i + 1) & mask;
    }
    table[i] = e;
  }

  private void removeAt(int index) {
    Entry e = table[index];
    unlink(e);
    bytes -= e.answer.length;
    size--;
    // Backward-shift deletion: later entries of the same probe run move back into the hole
    // when their home slot does not lie cyclically in (hole, i].
    int hole = index;
    table[hole] = null;
    for (int i = (hole + 1) & mask; table[i] != null; i = (i + 1) & mask) {
      int home = table[i].hash & mask;
      boolean homeAfterHole = hole <= i ? (home > hole && home <= i) : (home > hole || home <= i);
      if (!homeAfterHole) {
        table[hole] = table[i];
        table[i] = null;
        hole = i;
      }
    }
  }

  private void rehash(int capacity) {
    Entry[] old = table;
    table = new Entry[capacity];
    mask = capacity - 1;
    for (Entry e : old) {
      if (e != null) {
        int i = e.hash & mask;
        while (table[i] != null) {
          i = (i + 1) & mask;
        }
        table[i] = e;
      }
    }
  }

  private void link(Entry e) {
    e.older = newest;
    if (newest != null) {
      newest.newer = e;
    } else {
      oldest = e;
    }
    newest = e;
  }

  private void unlink(Entry e) {
    if (e.older != null) {
      e.older.newer = e.newer;
    } else {
      oldest = e.newer;
    }
    if (e.newer != null) {
      e.newer.older = e.older;
    } else {
      newest = e.older;
    }
    e.older = null;
    e.newer = null;
  }

  private static int hash(int scope, long hi, long lo, long requestId) {
    long h = (hi * 0x9e37_79b9_7f4a_7c15L) ^ (lo + scope) ^ (requestId * 0xc2b2_ae3d_27d4_eb4fL);
    h ^= h >>> 29;
    h *= 0xbf58_476d_1ce4_e5b9L;
    return (int) (h ^ (h >>> 32));
  }
}
