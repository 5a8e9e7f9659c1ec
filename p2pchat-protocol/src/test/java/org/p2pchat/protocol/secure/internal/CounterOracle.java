package org.p2pchat.protocol.secure.internal;

import java.util.HashSet;
import java.util.Set;
import org.p2pchat.protocol.secure.SecureChannel;

/**
 * What a receiver must accept, from {@code docs/protocol.md} 16.4 alone: each counter once, below
 * 2^60, and only when fewer than {@link ReplayWindow#WINDOW} below the greatest accepted. The fuzz
 * targets hold the channel to it, so a frame is never delivered twice nor a fresh one refused.
 */
final class CounterOracle {
  private final Set<Long> accepted = new HashSet<>();
  private long greatest = -1;

  boolean accepts(long counter) {
    return counter >= 0 && counter < SecureChannel.REJECT_AFTER_MESSAGES && !accepted.contains(counter)
        && (counter > greatest || greatest - counter < ReplayWindow.WINDOW);
  }

  void accepted(long counter) {
    accepted.add(counter);
    greatest = Math.max(greatest, counter);
    if (accepted.size() > 4 * ReplayWindow.WINDOW) {
      accepted.removeIf(c -> greatest - c >= ReplayWindow.WINDOW); // out of the window: refused anyway
    }
  }

  /** A counter never used: one past the greatest. */
  long fresh() {
    return greatest + 1;
  }

  long greatest() {
    return greatest;
  }

  /** One of the accepted counters still in the window, or -1 when there is none. */
  long anAccepted(int pick) {
    long c = greatest - Math.floorMod(pick, Math.max(1, Math.min(greatest + 1, 64)));
    return accepted.contains(c) ? c : -1;
  }
}
