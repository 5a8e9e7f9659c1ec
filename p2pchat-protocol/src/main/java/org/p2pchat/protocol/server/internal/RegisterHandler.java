package org.p2pchat.protocol.server.internal;

import java.time.Instant;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.ProtocolLimits;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.api.store.StoredUser;
import org.p2pchat.protocol.Audit;
import org.p2pchat.protocol.codec.internal.CredentialsFlyweight;
import org.p2pchat.protocol.codec.internal.FrameType;

/**
 * REGISTER: hashes the password off the loop, stores the user, answers OK (or NAME_TAKEN).
 * Every registration counts against its address's limit: each costs a hash and a row.
 */
final class RegisterHandler implements RequestHandler<CredentialsFlyweight> {

  private final ChatStore store;
  private final PasswordHasher hasher;
  private final LoginRateLimiter limiter;

  RegisterHandler(ChatStore store, PasswordHasher hasher, LoginRateLimiter limiter) {
    this.store = store;
    this.hasher = hasher;
    this.limiter = limiter;
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
        .thenCompose(hash -> store.createUser(StoredUser.of(name, hash, createdAt))), (done, created) -> {
          Audit.registered(name, done.from());
          done.replyEmptyOk(FrameType.REGISTER);
        });
  }
}
