package org.p2pchat.benchmarks;

import java.util.Arrays;

/** The ids of every acknowledged send, for the check against the store. Thread-safe. */
final class AckLog {
  private long[] ids = new long[1 << 16];
  private int size;

  synchronized void add(long id) {
    if (size == ids.length) {
      ids = Arrays.copyOf(ids, size * 2);
    }
    ids[size++] = id;
  }

  synchronized long[] ids() {
    return Arrays.copyOf(ids, size);
  }
}
