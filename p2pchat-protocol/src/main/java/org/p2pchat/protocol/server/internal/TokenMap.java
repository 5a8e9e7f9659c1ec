package org.p2pchat.protocol.server.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Values by session token, looked up by the token's two longs without allocating a key or
 * calling {@code equals}: the lookup on every datagram with a session. Open addressing with
 * linear probing, at most half full, and backward-shift deletion (no tombstones, so probes
 * stay short however many sessions come and go). Tokens are random, so their bits are already
 * well spread; an attacker presents tokens but never chooses the stored ones.
 *
 * <p>Owned by the event loop; not thread-safe.
 *
 * @param <V> the value type
 */
final class TokenMap<V> {
  private static final int MIN_CAPACITY = 16;

  private long[] his;
  private long[] los;
  private Object[] values;
  private int mask;
  private int size;

  TokenMap() {
    allocate(MIN_CAPACITY);
  }

  /** The value of a token, or null. */
  @SuppressWarnings("unchecked") // only V values are stored
  V get(long hi, long lo) {
    for (int i = slot(hi, lo); values[i] != null; i = (i + 1) & mask) {
      if (his[i] == hi && los[i] == lo) {
        return (V) values[i];
      }
    }
    return null;
  }

  /** Whether the token has a value. */
  boolean containsKey(long hi, long lo) {
    return get(hi, lo) != null;
  }

  /** Maps the token to a value (not null), replacing any; returns the previous value or null. */
  @SuppressWarnings("unchecked") // only V values are stored
  V put(long hi, long lo, V value) {
    if (value == null) {
      throw new IllegalArgumentException("a value must not be null");
    }
    int i = slot(hi, lo);
    for (; values[i] != null; i = (i + 1) & mask) {
      if (his[i] == hi && los[i] == lo) {
        V old = (V) values[i];
        values[i] = value;
        return old;
      }
    }
    his[i] = hi;
    los[i] = lo;
    values[i] = value;
    if (++size * 2 > values.length) {
      rehash(values.length * 2);
    }
    return null;
  }

  /** Removes the token's value; returns it, or null when there was none. */
  @SuppressWarnings("unchecked") // only V values are stored
  V remove(long hi, long lo) {
    int i = slot(hi, lo);
    for (; values[i] != null; i = (i + 1) & mask) {
      if (his[i] == hi && los[i] == lo) {
        V old = (V) values[i];
        deleteAt(i);
        size--;
        return old;
      }
    }
    return null;
  }

  /** A copy of the values, in no particular order. */
  @SuppressWarnings("unchecked") // only V values are stored
  List<V> values() {
    List<V> all = new ArrayList<>(size);
    for (Object v : values) {
      if (v != null) {
        all.add((V) v);
      }
    }
    return all;
  }

  int size() {
    return size;
  }

  /**
   * Empties slot {@code hole}, then moves later entries of the same probe run back into holes
   * their own probe passes over, so every remaining entry is still found from its home slot.
   */
  private void deleteAt(int hole) {
    values[hole] = null;
    for (int i = (hole + 1) & mask; values[i] != null; i = (i + 1) & mask) {
      int home = slot(his[i], los[i]);
      // Move i to the hole unless its home lies cyclically in (hole, i].
      boolean homeAfterHole = hole <= i ? (home > hole && home <= i) : (home > hole || home <= i);
      if (!homeAfterHole) {
        his[hole] = his[i];
        los[hole] = los[i];
        values[hole] = values[i];
        values[i] = null;
        hole = i;
      }
    }
  }

  private int slot(long hi, long lo) {
    long h = (hi ^ lo) * 0x9e37_79b9_7f4a_7c15L; // spreads any bit into the top ones
    return (int) (h >>> 32) & mask;
  }

  private void rehash(int capacity) {
    long[] oldHis = his;
    long[] oldLos = los;
    Object[] oldValues = values;
    allocate(capacity);
    for (int i = 0; i < oldValues.length; i++) {
      if (oldValues[i] != null) {
        int j = slot(oldHis[i], oldLos[i]);
        while (values[j] != null) {
          j = (j + 1) & mask;
        }
        his[j] = oldHis[i];
        los[j] = oldLos[i];
        values[j] = oldValues[i];
      }
    }
  }

  private void allocate(int capacity) {
    his = new long[capacity];
    los = new long[capacity];
    values = new Object[capacity];
    mask = capacity - 1;
  }
}
