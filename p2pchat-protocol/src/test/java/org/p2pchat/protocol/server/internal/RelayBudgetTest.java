package org.p2pchat.protocol.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.p2pchat.api.UserName;

/** The relay's token buckets (docs/protocol.md section 25.4): per user, in total, one second of burst. */
class RelayBudgetTest {
  private static final UserName ALICE = UserName.of("alice");
  private static final UserName BOB = UserName.of("bob");

  @Test
  void aUserGetsOneSecondOfBurstThenTheRate() {
    RelayBudget budget = new RelayBudget(10_000, 1_000_000, 0);
    int passed = 0;
    for (int i = 0; i < 30; i++) {
      passed += budget.take(ALICE, 1_000, 0) ? 1 : 0;
    }
    assertThat(passed).isEqualTo(10);
    assertThat(budget.take(ALICE, 1_000, 50)).as("50 ms refill 500 bytes, not 1000").isFalse();
    assertThat(budget.take(ALICE, 1_000, 100)).isTrue();
    assertThat(budget.take(BOB, 1_000, 100)).as("bob has his own bucket").isTrue();
  }

  @Test
  void theTotalBoundsEveryoneTogether() {
    RelayBudget budget = new RelayBudget(10_000, 15_000, 0);
    int passed = 0;
    for (int i = 0; i < 30; i++) {
      passed += budget.take(i % 2 == 0 ? ALICE : BOB, 1_000, 0) ? 1 : 0;
    }
    assertThat(passed).isEqualTo(15);
  }

  @Test
  void aRateOfZeroRelaysNothingAndIdleUsersAreForgotten() {
    assertThat(new RelayBudget(0, 1_000_000, 0).take(ALICE, 1, 0)).isFalse();
    RelayBudget budget = new RelayBudget(10_000, 1_000_000, 0);
    budget.take(ALICE, 1, 0);
    budget.take(BOB, 1, 0);
    assertThat(budget.users()).isEqualTo(2);
    budget.take(BOB, 1, 61_000);
    assertThat(budget.users()).isEqualTo(1);
  }
}
