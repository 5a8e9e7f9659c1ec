package org.p2pchat.protocol.internal;

import java.util.Arrays;

/**
 * The timers of one loop by deadline: a binary min-heap whose entries know their own index, so
 * that a timer is rescheduled or cancelled in O(log n) without a search and without allocating.
 * Loop-confined; not thread-safe.
 */
final class TimerHeap {
  private Timer[] heap = new Timer[64];
  private int size;

  /** Schedules {@code timer} at {@code deadlineMillis}, moving it if it was scheduled. */
  void schedule(Timer timer, long deadlineMillis) {
    if (timer.isScheduled()) {
      long old = timer.deadlineMillis;
      timer.deadlineMillis = deadlineMillis;
      if (deadlineMillis < old) {
        siftUp(timer.heapIndex);
      } else {
        siftDown(timer.heapIndex);
      }
      return;
    }
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, size * 2);
    }
    timer.deadlineMillis = deadlineMillis;
    timer.heapIndex = size;
    heap[size++] = timer;
    siftUp(timer.heapIndex);
  }

  /** Unschedules {@code timer}; nothing happens when it was not scheduled. */
  void cancel(Timer timer) {
    int i = timer.heapIndex;
    if (i < 0) {
      return;
    }
    Timer last = heap[--size];
    heap[size] = null;
    timer.heapIndex = -1;
    if (i < size) {
      heap[i] = last;
      last.heapIndex = i;
      siftDown(i);
      siftUp(last.heapIndex);
    }
  }

  /**
   * Runs every timer whose deadline is at or before {@code nowMillis}, earliest first; a timer
   * that schedules itself again for no later than now runs again in the same call.
   *
   * @return how many ran
   */
  int runDue(long nowMillis) {
    int ran = 0;
    while (size > 0 && heap[0].deadlineMillis <= nowMillis) {
      Timer due = heap[0];
      cancel(due);
      due.onDeadline(nowMillis);
      ran++;
    }
    return ran;
  }

  /** Milliseconds until the earliest deadline, 0 when one is due, {@code max} at most. */
  long millisUntilNext(long nowMillis, long max) {
    return size == 0 ? max : Math.max(0, Math.min(max, heap[0].deadlineMillis - nowMillis));
  }

  int size() {
    return size;
  }

  private void siftUp(int i) {
    Timer t = heap[i];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      Timer p = heap[parent];
      if (p.deadlineMillis <= t.deadlineMillis) {
        break;
      }
      heap[i] = p;
      p.heapIndex = i;
      i = parent;
    }
    heap[i] = t;
    t.heapIndex = i;
  }

  private void siftDown(int i) {
    Timer t = heap[i];
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      int right = child + 1;
      if (right < size && heap[right].deadlineMillis < heap[child].deadlineMillis) {
        child = right;
      }
      if (t.deadlineMillis <= heap[child].deadlineMillis) {
        break;
      }
      heap[i] = heap[child];
      heap[i].heapIndex = i;
      i = child;
    }
    heap[i] = t;
    t.heapIndex = i;
  }
}
