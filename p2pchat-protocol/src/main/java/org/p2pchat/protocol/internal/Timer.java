package org.p2pchat.protocol.internal;

/**
 * Something that wants to run on an {@link EventLoop} at a deadline: a retransmission, an
 * expiry. The timer is its own entry in the loop's deadline heap, so scheduling, rescheduling
 * and cancelling allocate nothing. Loop-confined: schedule and cancel on the loop only.
 */
public abstract class Timer {
  /** Where this timer sits in the loop's heap; -1 when not scheduled. */
  int heapIndex = -1;
  long deadlineMillis;

  /** A timer, not scheduled. */
  protected Timer() {}

  /**
   * Runs on the loop once the deadline has come; the timer is no longer scheduled then, and may
   * schedule itself again.
   *
   * @param nowMillis the loop's clock
   */
  protected abstract void onDeadline(long nowMillis);

  /** Whether the timer waits for its deadline. */
  public final boolean isScheduled() {
    return heapIndex >= 0;
  }

  /** When it is due, in the loop clock's milliseconds; meaningful while scheduled. */
  public final long deadlineMillis() {
    return deadlineMillis;
  }
}
