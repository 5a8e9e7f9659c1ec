package org.p2pchat.protocol.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.UserName;

/** What the login limiter counts, for how long, and how many entries it keeps. */
class LoginRateLimiterTest {
  private static final UserName ALICE = UserName.of("alice");

  private static InetAddress address(int lastOctet) throws Exception {
    return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) lastOctet});
  }

  @Test
  void failedLoginsCountAgainstTheAccountFromAnyAddress() throws Exception {
    LoginRateLimiter limiter = new LoginRateLimiter(3, 100, 60_000, 1000);
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.checkLogin(address(i + 1), ALICE, i)).isZero();
      limiter.recordFailure(address(i + 1), ALICE, i);
    }
    assertThat(limiter.checkLogin(address(9), ALICE, 10)).isEqualTo(60_000 - 10);
    assertThat(limiter.checkLogin(address(9), UserName.of("bob"), 10)).isZero();
  }

  @Test
  void failedLoginsCountAgainstTheAddressForAnyAccount() throws Exception {
    LoginRateLimiter limiter = new LoginRateLimiter(100, 3, 60_000, 1000);
    for (int i = 0; i < 3; i++) {
      limiter.recordFailure(address(1), UserName.of("user" + i), 0);
    }
    assertThat(limiter.checkLogin(address(1), UserName.of("other"), 1)).isPositive();
    assertThat(limiter.checkLogin(address(2), UserName.of("other"), 1)).isZero();
  }

  @Test
  void theLimitLiftsWhenTheWindowHasPassed() throws Exception {
    LoginRateLimiter limiter = new LoginRateLimiter(1, 100, 60_000, 1000);
    limiter.recordFailure(address(1), ALICE, 0);
    assertThat(limiter.checkLogin(address(1), ALICE, 59_999)).isEqualTo(1);
    assertThat(limiter.checkLogin(address(1), ALICE, 60_000)).isZero();
  }

  @Test
  void registrationsAreCountedPerAddressApartFromFailedLogins() throws Exception {
    LoginRateLimiter limiter = new LoginRateLimiter(100, 2, 60_000, 1000);
    assertThat(limiter.tryAcquireRegistration(address(1), 0)).isZero();
    assertThat(limiter.tryAcquireRegistration(address(1), 1)).isZero();
    assertThat(limiter.tryAcquireRegistration(address(1), 2)).isPositive();
    // Registrations do not use up the address's failed-login budget.
    assertThat(limiter.checkLogin(address(1), ALICE, 3)).isZero();
  }

  @Test
  void theEntriesStayWithinTheirBound() throws Exception {
    LoginRateLimiter limiter = new LoginRateLimiter(3, 3, 60_000, 64);
    for (int i = 0; i < 10_000; i++) {
      limiter.recordFailure(address(1 + i % 200), UserName.of("user" + i), i);
    }
    assertThat(limiter.size()).isLessThanOrEqualTo(64);
  }
}
