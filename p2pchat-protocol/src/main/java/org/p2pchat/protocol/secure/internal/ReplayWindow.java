package org.p2pchat.protocol.secure.internal;

/**
 * A sliding window over received message counters (RFC 6479, as WireGuard uses it): a 2048-bit
 * ring bitmap; a counter is accepted once, and only if it is within {@value #WINDOW} of the
 * greatest accepted so far. Call {@link #accept} only after the message authenticated, so a
 * forged counter cannot move the window. Not thread-safe.
 */
public final class ReplayWindow {
  private static final int BITS = 2048;
  private static final int WORDS = BITS / Long.SIZE;
  /** How far behind the greatest accepted counter a counter may be and still be accepted. */
  public static final long WINDOW = BITS - Long.SIZE;

  private final long[] bitmap = new long[WORDS];
  private long greatest = -1;

  /** An empty window: every counter from 0 up is acceptable. */
  public ReplayWindow() {}

  /** Whether {@code counter} could still be accepted: a cheap check before decrypting. */
  public boolean mayAccept(long counter) {
    if (counter < 0) {
      return false; // beyond 2^63: a channel rekeys long before
    }
    if (counter > greatest) {
      return true;
    }
    if (greatest - counter >= WINDOW) {
      return false;
    }
    return (bitmap[index(counter)] & bit(counter)) == 0;
  }

  /** Marks {@code counter} as seen; false when it is a replay or too old. */
  public boolean accept(long counter) {
    if (!mayAccept(counter)) {
      return false;
    }
    if (counter > greatest) {
      long current = greatest < 0 ? -1 : greatest >>> 6;
      long target = counter >>> 6;
      long words = Math.min(target - current, WORDS);
      for (long i = 1; i <= words; i++) {
        bitmap[(int) ((current + i) & (WORDS - 1))] = 0;
      }
      greatest = counter;
    }
    bitmap[index(counter)] |= bit(counter);
    return true;
  }

  private static int index(long counter) {
    return (int) ((counter >>> 6) & (WORDS - 1));
  }

  private static long bit(long counter) {
    return 1L << (counter & 63);
  }
}
