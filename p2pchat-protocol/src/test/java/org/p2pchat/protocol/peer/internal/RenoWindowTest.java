package org.p2pchat.protocol.peer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RenoWindowTest {
  @Test
  void slowStartDoublesPerWindowUpToTheCap() {
    RenoWindow w = new RenoWindow(256);
    assertThat(w.window()).isEqualTo(4);
    w.onAck(4);
    assertThat(w.window()).isEqualTo(8);
    w.onAck(8);
    assertThat(w.window()).isEqualTo(16);
    w.onAck(10_000);
    assertThat(w.window()).isEqualTo(256);
  }

  @Test
  void lossHalvesThenGrowsByOneChunkPerWindow() {
    RenoWindow w = new RenoWindow(256);
    w.onAck(60); // 64
    w.onLoss();
    assertThat(w.window()).isEqualTo(32);
    w.onAck(33); // +1/cwnd per chunk: a window's worth (and a bit) adds one
    assertThat(w.window()).isEqualTo(33);
  }

  @Test
  void timeoutFallsToOneAndSlowStartsToHalfTheOldWindow() {
    RenoWindow w = new RenoWindow(256);
    w.onAck(60); // 64
    w.onTimeout();
    assertThat(w.window()).isEqualTo(1);
    w.onAck(1);
    w.onAck(2);
    w.onAck(4);
    w.onAck(8);
    w.onAck(16);
    assertThat(w.window()).isEqualTo(32); // ssthresh
    w.onAck(33); // +1/cwnd per chunk: a window's worth (and a bit) adds one
    assertThat(w.window()).isEqualTo(33);
  }

  @Test
  void neverBelowOne() {
    RenoWindow w = new RenoWindow(256);
    for (int i = 0; i < 10; i++) {
      w.onLoss();
      w.onTimeout();
    }
    assertThat(w.window()).isEqualTo(1);
    assertThat(new RenoWindow(1).window()).isEqualTo(1);
  }
}
