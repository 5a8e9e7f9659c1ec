package org.p2pchat.protocol.peer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RtoEstimatorTest {
  @Test
  void followsRfc6298() {
    RtoEstimator e = new RtoEstimator();
    assertThat(e.rtoMillis()).isEqualTo(1000);
    e.sample(100); // SRTT 100, RTTVAR 50: RTO 100 + 200
    assertThat(e.srttMillis()).isEqualTo(100);
    assertThat(e.rtoMillis()).isEqualTo(300);
    e.sample(100); // RTTVAR 37.5, SRTT 100: RTO 250
    assertThat(e.rtoMillis()).isEqualTo(250);
  }

  @Test
  void backsOffUntilTheNextSampleWithinBounds() {
    RtoEstimator e = new RtoEstimator();
    e.sample(400); // 400 + 800
    e.backOff();
    assertThat(e.rtoMillis()).isEqualTo(2400);
    for (int i = 0; i < 30; i++) {
      e.backOff();
    }
    assertThat(e.rtoMillis()).isEqualTo(RtoEstimator.MAX_RTO_MILLIS);
    e.sample(400);
    assertThat(e.rtoMillis()).isLessThan(2400);
  }

  @Test
  void hasAFloor() {
    RtoEstimator e = new RtoEstimator();
    for (int i = 0; i < 50; i++) {
      e.sample(1);
    }
    assertThat(e.rtoMillis()).isEqualTo(RtoEstimator.MIN_RTO_MILLIS);
    e.reset();
    assertThat(e.rtoMillis()).isEqualTo(RtoEstimator.INITIAL_RTO_MILLIS);
  }
}
