package org.p2pchat.protocol.internal;

/**
 * Something sent again and again until it is acknowledged: sent at {@link #start}, then at each
 * deadline until {@link #exhausted} says to stop, the wait growing as {@link #timeoutMillis}
 * says. The one retransmission mechanism of the project: the server's pushes and the client's
 * requests are both subclasses. Loop-confined.
 */
public abstract class Retransmission extends Timer {
  private final EventLoop loop;
  private int attempts;

  /** @param loop the loop whose timers drive it */
  protected Retransmission(EventLoop loop) {
    this.loop = loop;
  }

  /** Sends it for the first time and arms the retransmission timer. */
  public final void start() {
    attempts = 0;
    transmitAndArm(loop.now());
  }

  /** Stops retransmitting: it was acknowledged, or its owner gave it up. */
  public final void stop() {
    loop.cancel(this);
  }

  /** How many times it was sent so far. */
  public final int attempts() {
    return attempts;
  }

  /** Sends it once more. */
  protected abstract void transmit();

  /**
   * How long to wait for an acknowledgement after the {@code attempts}-th send.
   *
   * @param attempts sends so far, 1 or more
   * @return milliseconds, at least 1
   */
  protected abstract long timeoutMillis(int attempts, long nowMillis);

  /** Whether to stop instead of sending again, now that the last wait passed unanswered. */
  protected abstract boolean exhausted(long nowMillis);

  /** Called once, on the loop, when it was given up without an acknowledgement. */
  protected abstract void onGiveUp();

  @Override
  protected final void onDeadline(long nowMillis) {
    if (exhausted(nowMillis)) {
      onGiveUp();
    } else {
      transmitAndArm(nowMillis);
    }
  }

  private void transmitAndArm(long nowMillis) {
    attempts++;
    loop.schedule(this, nowMillis + Math.max(1, timeoutMillis(attempts, nowMillis)));
    transmit();
  }
}
