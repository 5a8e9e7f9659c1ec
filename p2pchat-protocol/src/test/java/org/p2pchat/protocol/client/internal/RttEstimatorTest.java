package org.p2pchat.protocol.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RttEstimatorTest {

  @Test
  void beforeAnySampleTheInitialTimeoutApplies() {
    assertThat(new RttEstimator(500, 100, 4000).rtoMillis()).isEqualTo(500);
  }

  @Test
  void theTimeoutFollowsMeasuredRoundTripsButNeverDropsBelowTheFloor() {
    RttEstimator slow = new RttEstimator(500, 100, 4000);
    for (int i = 0; i < 50; i++) {
      slow.sample(300);
    }
    assertThat(slow.rtoMillis()).isBetween(300L, 320L);

    RttEstimator fast = new RttEstimator(500, 100, 4000);
    for (int i = 0; i < 50; i++) {
      fast.sample(1);
    }
    assertThat(fast.rtoMillis()).isEqualTo(100);
  }

  @Test
  void aJitteryPathGetsALargerTimeoutThanASteadyOne() {
    RttEstimator steady = new RttEstimator(500, 10, 4000);
    RttEstimator jittery = new RttEstimator(500, 10, 4000);
    for (int i = 0; i < 50; i++) {
      steady.sample(100);
      jittery.sample(i % 2 == 0 ? 50 : 150);
    }
    assertThat(jittery.rtoMillis()).isGreaterThan(steady.rtoMillis());
  }

  @Test
  void backoffDoublesPerAttemptUpToTheCeiling() {
    RttEstimator rtt = new RttEstimator(500, 100, 4000);
    assertThat(rtt.backoffMillis(1)).isEqualTo(500);
    assertThat(rtt.backoffMillis(2)).isEqualTo(1000);
    assertThat(rtt.backoffMillis(3)).isEqualTo(2000);
    assertThat(rtt.backoffMillis(4)).isEqualTo(4000);
    assertThat(rtt.backoffMillis(30)).isEqualTo(4000);
  }
}
