package org.p2pchat.protocol.server.internal;

import java.time.Instant;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.ProtocolLimits;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.AccountStore;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.api.store.StoredUser;
import org.p2pchat.protocol.Audit;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.codec.internal.CredentialsFlyweight;
import org.p2pchat.protocol.codec.internal.FrameType;

/**
 * REGISTER: hashes the password off the loop, stores the user, answers OK (or NAME_TAKEN, also
 * for a name in quarantine after its user deleted the account).
 * Every registration counts against its address's limit: each costs a hash and a row.
 */
final class RegisterHandler implements RequestHandler<CredentialsFlyweight> {

  private final ChatStore store;
  /** The store's account facet, for names whose quarantine is over; null when it has none. */
  private final AccountStore accounts;
  private final long quarantineMillis;
  private final PasswordHasher hasher;
  private final LoginRateLimiter limiter;

  RegisterHandler(ChatStore store, PasswordHasher hasher, LoginRateLimiter limiter, ServerConfig config) {
    this.store = store;
    this.accounts = AccountRoutes.accountsOf(store);
    this.hasher = hasher;
    this.limiter = limiter;
    this.quarantineMillis = config.nameQuarantine().toMillis();
  }

  @Override
  public void handle(CredentialsFlyweight request, Exchange x) {
    if (x.replayedFromAddress()) {
      return;
    }
    UserName name = UserName.of(request.name());
    String password = request.password();
    if (ProtocolLimits.utf8Length(password) < ProtocolLimits.MIN_PASSWORD_BYTES) {
      x.fail(ErrorCode.INVALID_PASSWORD, 0);
      return;
    }
    long wait = limiter.tryAcquireRegistration(x.from().getAddress(), x.now());
    if (wait > 0) {
      x.fail(ErrorCode.RATE_LIMITED, wait);
      return;
    }
    if (!x.admittedBeforeSession()) {
      return;
    }
    Instant createdAt = Instant.ofEpochMilli(x.now());
    x.completeLater(hasher.hash(password)
        .thenCompose(hash -> create(StoredUser.of(name, hash, createdAt))), (done, created) -> {
          Audit.registered(name, done.from());
          done.replyEmptyOk(FrameType.REGISTER);
        });
  }

  /**
   * Creates the user; a name its user deleted returns once its quarantine is over, and until
   * then is NAME_TAKEN like any taken name (docs/protocol.md section 22).
   */
  private java.util.concurrent.CompletableFuture<Void> create(StoredUser user) {
    if (accounts == null) {
      return store.createUser(user);
    }
    return accounts.createUser(user, user.createdAt().minusMillis(quarantineMillis));
  }
}
