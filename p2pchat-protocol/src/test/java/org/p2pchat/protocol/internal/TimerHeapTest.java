package org.p2pchat.protocol.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The loop's deadline heap runs timers in deadline order, and cancels and moves them. */
class TimerHeapTest {
  private final List<String> fired = new ArrayList<>();

  private final class Named extends Timer {
    final String name;

    Named(String name) {
      this.name = name;
    }

    @Override
    protected void onDeadline(long nowMillis) {
      fired.add(name);
    }
  }

  @Test
  void dueTimersRunInDeadlineOrderAndOthersWait() {
    TimerHeap heap = new TimerHeap();
    heap.schedule(new Named("c"), 30);
    heap.schedule(new Named("a"), 10);
    heap.schedule(new Named("b"), 20);
    heap.schedule(new Named("later"), 100);
    assertThat(heap.millisUntilNext(0, 1000)).isEqualTo(10);
    assertThat(heap.runDue(30)).isEqualTo(3);
    assertThat(fired).containsExactly("a", "b", "c");
    assertThat(heap.millisUntilNext(30, 1000)).isEqualTo(70);
    assertThat(heap.millisUntilNext(30, 50)).isEqualTo(50);
  }

  @Test
  void aCancelledTimerNeverRunsAndAMovedOneRunsAtItsNewDeadline() {
    TimerHeap heap = new TimerHeap();
    Named a = new Named("a");
    Named b = new Named("b");
    heap.schedule(a, 10);
    heap.schedule(b, 20);
    heap.cancel(a);
    assertThat(a.isScheduled()).isFalse();
    heap.schedule(b, 5);
    heap.runDue(5);
    assertThat(fired).containsExactly("b");
    heap.cancel(a); // not scheduled: nothing happens
    assertThat(heap.size()).isZero();
    assertThat(heap.millisUntilNext(5, 250)).isEqualTo(250);
  }

  @Test
  void aTimerMayScheduleItselfAgainFromItsDeadline() {
    TimerHeap heap = new TimerHeap();
    int[] runs = {0};
    Timer again = new Timer() {
      @Override
      protected void onDeadline(long nowMillis) {
        if (++runs[0] < 3) {
          heap.schedule(this, nowMillis + 10);
        }
      }
    };
    heap.schedule(again, 10);
    heap.runDue(10);
    heap.runDue(20);
    heap.runDue(30);
    heap.runDue(40);
    assertThat(runs[0]).isEqualTo(3);
    assertThat(again.isScheduled()).isFalse();
  }

  @Test
  void randomSchedulesCancelsAndMovesAgreeWithASortedModel() {
    TimerHeap heap = new TimerHeap();
    Random random = new Random(3);
    List<Named> timers = new ArrayList<>();
    TreeMap<Long, String> model = new TreeMap<>(); // distinct deadlines keep the order unambiguous
    long now = 0;
    for (int i = 0; i < 2000; i++) {
      timers.add(new Named("t" + i));
    }
    for (int step = 0; step < 50_000; step++) {
      Named t = timers.get(random.nextInt(timers.size()));
      int op = random.nextInt(10);
      if (op < 6) {
        long deadline = now + 1 + random.nextInt(1_000_000) * 2000L + Integer.parseInt(t.name.substring(1));
        if (t.isScheduled()) {
          model.remove(t.deadlineMillis());
        }
        heap.schedule(t, deadline);
        model.put(deadline, t.name);
      } else if (op < 8) {
        if (t.isScheduled()) {
          model.remove(t.deadlineMillis());
        }
        heap.cancel(t);
      } else {
        now += random.nextInt(50_000_000);
        fired.clear();
        heap.runDue(now);
        List<String> expected = new ArrayList<>(model.headMap(now, true).values());
        model.headMap(now, true).clear();
        assertThat(fired).isEqualTo(expected);
      }
      assertThat(heap.size()).isEqualTo(model.size());
    }
  }
}
