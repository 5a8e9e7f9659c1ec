package org.p2pchat.protocol.server.internal;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.api.store.StoredDevice;
import org.p2pchat.api.store.StoredUser;
import org.p2pchat.protocol.Audit;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.LoginOkFlyweight;
import org.p2pchat.protocol.codec.internal.ResumeFlyweight;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RESUME: opens a session for the device's user when the secret's hash matches the stored one
 * (compared in constant time), records the device's use and pushes the unread messages, as a
 * LOGIN does; an unknown, revoked or wrong credential gets CREDENTIAL_REVOKED, all alike
 * (docs/protocol.md 17.2).
 */
final class ResumeHandler implements RequestHandler<ResumeFlyweight> {
  private static final Logger log = LoggerFactory.getLogger(ResumeHandler.class);

  private final ChatStore store;
  /** The admin facet, for the last login; null when the store has none. */
  private final org.p2pchat.api.store.AdminStore admin;
  private final SessionTable sessions;
  private final Pushes pushes;
  private final long keepaliveMillis;
  private final LoginOkFlyweight ok = new LoginOkFlyweight(FrameType.Answer.RESUME);

  ResumeHandler(ChatStore store, SessionTable sessions, Pushes pushes, ServerConfig config) {
    this.store = store;
    this.admin = LoginHandler.adminOf(store);
    this.sessions = sessions;
    this.pushes = pushes;
    this.keepaliveMillis = config.keepaliveInterval().toMillis();
  }

  @Override
  public void handle(ResumeFlyweight request, Exchange x) {
    if (x.replayedFromAddress()) {
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
    byte[] secret = request.secret();
    x.completeLater(store.devices().findDevice(request.deviceId()).thenCompose(device -> device.isEmpty()
            ? CompletableFuture.completedFuture(new Found(device, Optional.empty()))
            : store.findUser(device.get().user()).thenApply(user -> new Found(device, user))),
        (done, found) -> found(done, found, secret));
  }

  /** The device, and its user as stored now (empty when deleted). */
  private record Found(Optional<StoredDevice> device, Optional<StoredUser> user) {}

  private void found(Exchange x, Found found, byte[] secret) {
    Optional<StoredDevice> device = found.device();
    if (device.isEmpty() || found.user().isEmpty() || !DeviceSecrets.matches(secret, device.get().secretHash())) {
      x.replyError(ErrorCode.CREDENTIAL_REVOKED);
      return;
    }
    StoredDevice d = device.get();
    if (found.user().get().disabled()) {
      Audit.loginRefusedDisabled(d.user(), x.from());
      x.replyError(ErrorCode.ACCOUNT_DISABLED);
      return;
    }
    Session session = sessions.open(d.user(), x.from(), x.now());
    session.deviceId = d.id();
    ok.encode(x.answer(), x.requestId()).inReplyTo(FrameType.RESUME)
        .session(session.tokenHi, session.tokenLo, keepaliveMillis).finish();
    x.reply();
    LoginHandler.recordLogin(admin, d.user(), x.now());
    pushes.pushUnread(session);
    store.devices().touchDevice(d.id(), Instant.ofEpochMilli(x.now())).whenComplete((touched, failure) -> {
      if (failure != null) {
        log.debug("recording the use of device {} failed: {}", d.id(), failure.toString());
      }
    });
  }
}
