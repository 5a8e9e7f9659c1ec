package org.p2pchat.protocol.server.internal;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.UserName;
import org.p2pchat.api.server.PushBus;
import org.p2pchat.api.store.AccountStore;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.api.store.StoredUser;
import org.p2pchat.protocol.Audit;
import org.p2pchat.protocol.codec.internal.AccountDeleteFlyweight;
import org.p2pchat.protocol.codec.internal.FrameType;

/**
 * ACCOUNT_DELETE (docs/protocol.md section 22): checks the password off the loop with LOGIN's
 * rate limits, deletes the account in the store, then ends every session of the user at once
 * (the asking one too: its answer is already cached under its token), so their device
 * credentials, gone with the devices, resume nothing; the push bus tells a cluster's other nodes
 * to end theirs.
 */
final class AccountDeleteHandler implements RequestHandler<AccountDeleteFlyweight> {
  private final ChatStore store;
  private final AccountStore accounts;
  private final PasswordHasher hasher;
  private final LoginRateLimiter limiter;
  private final SessionTable sessions;
  private final PushBus bus;

  AccountDeleteHandler(ChatStore store, AccountStore accounts, PasswordHasher hasher, LoginRateLimiter limiter,
      SessionTable sessions, PushBus bus) {
    this.store = store;
    this.bus = bus;
    this.accounts = accounts;
    this.hasher = hasher;
    this.limiter = limiter;
    this.sessions = sessions;
  }

  @Override
  public void handle(AccountDeleteFlyweight request, Exchange x) {
    if (x.replayedInSession(request)) {
      return;
    }
    Session session = x.session(request);
    if (session == null) {
      return;
    }
    UserName name = session.user;
    long wait = limiter.checkLogin(x.from().getAddress(), name, x.now());
    if (wait > 0) {
      x.fail(ErrorCode.RATE_LIMITED, wait);
      return;
    }
    if (!x.admitted()) {
      return;
    }
    String password = request.password();
    long now = x.now();
    x.completeLater(store.findUser(name)
            .thenCompose(user -> hasher.verify(password, user.map(StoredUser::passwordHash).orElse(null)))
            .thenCompose(verdict -> verdict.matches()
                ? accounts.deleteAccount(name, Instant.ofEpochMilli(now)) : CompletableFuture.completedFuture(null)),
        (done, deleted) -> deleted(done, name, deleted));
  }

  /** {@code deleted}: null when the password did not match, else whether the store deleted the account. */
  private void deleted(Exchange x, UserName name, Boolean deleted) {
    if (deleted == null) {
      limiter.recordAuditedFailure(x.from(), name, x.now());
      x.replyError(ErrorCode.INVALID_CREDENTIALS);
      return;
    }
    if (deleted) {
      Audit.accountDeleted(name, x.from());
    }
    x.replyEmptyOk(FrameType.ACCOUNT_DELETE);
    sessions.closeUser(name);
    bus.accountDeleted(name); // the other nodes of a cluster end the sessions they hold
  }
}
