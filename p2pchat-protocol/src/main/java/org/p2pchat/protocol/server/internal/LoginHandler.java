package org.p2pchat.protocol.server.internal;

import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.AdminStore;
import org.p2pchat.protocol.Audit;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.api.store.StoredUser;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.codec.internal.CredentialsFlyweight;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.LoginOkFlyweight;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LOGIN: looks the user up and checks the password off the loop (an unknown user costs a decoy
 * hash, so the two failures look alike), opens a session and answers its token, then pushes the
 * unread messages to it; re-hashes a password stored with older parameters. Failures count against the account and the address.
 */
final class LoginHandler implements RequestHandler<CredentialsFlyweight> {
  private static final Logger log = LoggerFactory.getLogger(LoginHandler.class);

  private final ChatStore store;
  private final AdminStore admin;
  private final PasswordHasher hasher;
  private final LoginRateLimiter limiter;
  private final SessionTable sessions;
  private final Pushes pushes;
  private final long keepaliveMillis;
  private final LoginOkFlyweight loginOk = new LoginOkFlyweight();

  LoginHandler(ChatStore store, PasswordHasher hasher, LoginRateLimiter limiter,
      SessionTable sessions, Pushes pushes, ServerConfig config) {
    this.store = store;
    this.admin = adminOf(store);
    this.hasher = hasher;
    this.limiter = limiter;
    this.sessions = sessions;
    this.pushes = pushes;
    this.keepaliveMillis = config.keepaliveInterval().toMillis();
  }

  @Override
  public void handle(CredentialsFlyweight request, Exchange x) {
    if (x.replayedFromAddress()) {
      return;
    }
    UserName name = UserName.of(request.name());
    String password = request.password();
    long wait = limiter.checkLogin(x.from().getAddress(), name, x.now());
    if (wait > 0) {
      x.fail(ErrorCode.RATE_LIMITED, wait);
      return;
    }
    if (sessions.isFull()) {
      sessions.expire(x.now());
      if (sessions.isFull()) {
        x.fail(ErrorCode.SERVER_BUSY, Exchange.BUSY_RETRY_MILLIS);
        return;
      }
    }
    if (!x.admittedBeforeSession()) {
      return;
    }
    x.completeLater(store.findUser(name)
            .thenCompose(user -> hasher.verify(password, user.map(StoredUser::passwordHash).orElse(null))
                .thenApply(v -> new Checked(v, user.map(StoredUser::disabled).orElse(false)))),
        (done, checked) -> verified(done, name, password, checked));
  }

  /** What the hasher found, and whether the account is disabled. */
  private record Checked(PasswordHasher.Verdict verdict, boolean disabled) {}

  private void verified(Exchange x, UserName name, String password, Checked checked) {
    PasswordHasher.Verdict verdict = checked.verdict();
    if (!verdict.matches()) {
      limiter.recordAuditedFailure(x.from(), name, x.now());
      x.replyError(ErrorCode.INVALID_CREDENTIALS);
      return;
    }
    if (checked.disabled()) {
      // Only once the password matched: a wrong guess learns nothing about the account.
      Audit.loginRefusedDisabled(name, x.from());
      x.replyError(ErrorCode.ACCOUNT_DISABLED);
      return;
    }
    Session session = sessions.open(name, x.from(), x.now());
    loginOk.encode(x.answer(), x.requestId()).inReplyTo(FrameType.LOGIN)
        .session(session.tokenHi, session.tokenLo, keepaliveMillis).finish();
    x.reply();
    recordLogin(admin, name, x.now());
    pushes.pushUnread(session);
    if (verdict.needsRehash()) {
      rehash(name, password);
    }
  }

  /**
   * Last login (a LOGIN, a LOGIN_DEVICE or a RESUME), for the operator; a store without the
   * admin facet ({@code admin} null) is not told.
   */
  static void recordLogin(AdminStore admin, UserName name, long nowMillis) {
    if (admin == null) {
      return;
    }
    admin.recordLogin(name, java.time.Instant.ofEpochMilli(nowMillis)).whenComplete((found, failure) -> {
      if (failure != null) {
        log.debug("recording the login of {} failed: {}", name, failure.toString());
      }
    });
  }

  static AdminStore adminOf(ChatStore store) {
    try {
      return store.admin();
    } catch (UnsupportedOperationException none) {
      return null;
    }
  }

  private void rehash(UserName name, String password) {
    hasher.hash(password)
        .thenCompose(hash -> store.updatePasswordHash(name, hash))
        .whenComplete((updated, failure) -> {
          if (failure != null) {
            log.warn("re-hashing the password of {} failed: {}", name, failure.toString());
          }
        });
  }
}
