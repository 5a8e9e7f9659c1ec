package org.p2pchat.protocol.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.UserName;

/** Sessions by token and by user: bounds, idle expiry, several devices. */
class SessionTableTest {
  private static final UserName ALICE = UserName.of("alice");
  private static final InetSocketAddress PHONE = address(40001);
  private static final InetSocketAddress LAPTOP = address(40002);

  private static InetSocketAddress address(int port) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  @Test
  void aSessionIsFoundByItsTokenUntilItIsClosed() {
    SessionTable table = new SessionTable(10, 8, 120_000);
    Session s = table.open(ALICE, PHONE, 0);
    assertThat(table.find(s.tokenHi, s.tokenLo, 1)).isSameAs(s);
    assertThat(table.find(s.tokenHi, s.tokenLo ^ 1, 1)).isNull();
    table.close(s);
    assertThat(s.closed).isTrue();
    assertThat(table.find(s.tokenHi, s.tokenLo, 2)).isNull();
    assertThat(table.size()).isZero();
  }

  @Test
  void tokensAreDistinctAndNotZero() {
    SessionTable table = new SessionTable(1000, 1000, 120_000);
    Session a = table.open(ALICE, PHONE, 0);
    Session b = table.open(ALICE, LAPTOP, 0);
    assertThat(a.tokenHi == b.tokenHi && a.tokenLo == b.tokenLo).isFalse();
    assertThat(a.tokenHi | a.tokenLo).isNotZero();
  }

  @Test
  void aSessionIdleLongerThanTheTimeoutIsEndedWhenLookedUpOrSwept() {
    SessionTable table = new SessionTable(10, 8, 120_000);
    Session s = table.open(ALICE, PHONE, 0);
    Session t = table.open(ALICE, LAPTOP, 0);
    t.heardFrom(LAPTOP, 100_000);
    assertThat(table.find(s.tokenHi, s.tokenLo, 120_000)).isSameAs(s);
    assertThat(table.find(s.tokenHi, s.tokenLo, 240_001)).isNull();
    assertThat(s.closed).isTrue();
    table.expire(220_001);
    assertThat(t.closed).isTrue();
    assertThat(table.size()).isZero();
  }

  @Test
  void aLoginBeyondThePerUserBoundEndsTheUsersOldestSession() {
    SessionTable table = new SessionTable(100, 2, 120_000);
    Session first = table.open(ALICE, PHONE, 0);
    Session second = table.open(ALICE, LAPTOP, 1);
    Session third = table.open(ALICE, address(40003), 2);
    assertThat(first.closed).isTrue();
    assertThat(table.find(first.tokenHi, first.tokenLo, 3)).isNull();
    assertThat(table.find(second.tokenHi, second.tokenLo, 3)).isSameAs(second);
    assertThat(table.find(third.tokenHi, third.tokenLo, 3)).isSameAs(third);
    assertThat(table.size()).isEqualTo(2);
  }

  @Test
  void theTableIsFullAtItsBound() {
    SessionTable table = new SessionTable(2, 8, 120_000);
    table.open(ALICE, PHONE, 0);
    assertThat(table.isFull()).isFalse();
    table.open(UserName.of("bob"), LAPTOP, 0);
    assertThat(table.isFull()).isTrue();
  }

  @Test
  void onlineSessionsAreThoseHeardFromWithinTheWindowAndFollowTheirAddress() {
    SessionTable table = new SessionTable(10, 8, 120_000);
    Session phone = table.open(ALICE, PHONE, 0);
    Session laptop = table.open(ALICE, LAPTOP, 0);
    InetSocketAddress rebound = address(40100);
    laptop.heardFrom(rebound, 50_000);
    assertThat(table.online(ALICE, 50_000, 45_000)).containsExactly(laptop);
    assertThat(table.online(ALICE, 40_000, 45_000)).containsExactlyInAnyOrder(phone, laptop);
    assertThat(laptop.address).isEqualTo(rebound);
    assertThat(table.online(UserName.of("bob"), 0, 45_000)).isEmpty();
  }
}
