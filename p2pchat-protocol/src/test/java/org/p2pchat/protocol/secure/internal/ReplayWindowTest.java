package org.p2pchat.protocol.secure.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplayWindowTest {
  private final ReplayWindow window = new ReplayWindow();

  @Test
  void everyCounterIsAcceptedOnceInAnyOrder() {
    for (long c = 0; c < 100; c += 2) {
      assertThat(window.accept(c)).isTrue();
    }
    for (long c = 1; c < 100; c += 2) {
      assertThat(window.accept(c)).isTrue();
    }
    for (long c = 0; c < 100; c++) {
      assertThat(window.accept(c)).as("replay of %d", c).isFalse();
    }
  }

  @Test
  void aCounterFurtherBehindThanTheWindowIsDropped() {
    assertThat(window.accept(10_000)).isTrue();
    assertThat(window.accept(10_000 - ReplayWindow.WINDOW)).isFalse();
    assertThat(window.accept(10_000 - ReplayWindow.WINDOW + 1)).isTrue();
    assertThat(window.accept(0)).isFalse();
  }

  @Test
  void aLargeJumpForgetsTheOldBitsSoNewCountersAreNotMistakenForReplays() {
    assertThat(window.accept(5)).isTrue();
    long far = 5 + 2048 * 3;
    assertThat(window.accept(far)).isTrue();
    assertThat(window.accept(far - ReplayWindow.WINDOW + 1)).isTrue(); // a ring slot the old bits used
    assertThat(window.accept(far - 1)).isTrue();
    assertThat(window.accept(far - 1)).isFalse();
  }

  @Test
  void mayAcceptDoesNotMarkAnything() {
    assertThat(window.mayAccept(3)).isTrue();
    assertThat(window.mayAccept(3)).isTrue();
    assertThat(window.accept(3)).isTrue();
    assertThat(window.mayAccept(3)).isFalse();
  }

  @Test
  void negativeCountersAreNeverAccepted() {
    assertThat(window.accept(-1)).isFalse();
    assertThat(window.accept(Long.MIN_VALUE)).isFalse();
  }

  @Test
  void randomReorderingWithinTheWindowMatchesASetOfSeenCounters() {
    Random random = new Random(6479);
    Set<Long> seen = new HashSet<>();
    long greatest = -1;
    for (int i = 0; i < 200_000; i++) {
      long c = Math.max(0, greatest + random.nextInt(300) - 2500);
      boolean expected = !seen.contains(c) && (greatest < 0 || c > greatest || greatest - c < ReplayWindow.WINDOW);
      assertThat(window.accept(c)).as("counter %d after greatest %d", c, greatest).isEqualTo(expected);
      if (expected) {
        seen.add(c);
        greatest = Math.max(greatest, c);
      }
    }
  }
}
