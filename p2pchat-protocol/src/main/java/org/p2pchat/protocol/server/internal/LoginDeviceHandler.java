package org.p2pchat.protocol.server.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.api.store.StoredDevice;
import org.p2pchat.api.store.StoredUser;
import org.p2pchat.protocol.Audit;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.codec.internal.DeviceLoginFlyweight;
import org.p2pchat.protocol.codec.internal.DeviceLoginOkFlyweight;
import org.p2pchat.protocol.codec.internal.DevicesOkFlyweight;
import org.p2pchat.protocol.codec.internal.FrameType;

/**
 * LOGIN_DEVICE: a LOGIN (same checks, limits and failures) that also stores a new device for the
 * user, replacing one of the same name or, beyond {@link DevicesOkFlyweight#MAX_DEVICES}, the one
 * used least recently, and answers its credential beside the session (docs/protocol.md 17.1).
 * Only the secret's hash is stored; the secret crosses the network once, in the answer.
 */
final class LoginDeviceHandler implements RequestHandler<DeviceLoginFlyweight> {
  private final ChatStore store;
  /** The admin facet, for the last login; null when the store has none. */
  private final org.p2pchat.api.store.AdminStore admin;
  private final PasswordHasher hasher;
  private final LoginRateLimiter limiter;
  private final SessionTable sessions;
  private final Pushes pushes;
  private final DeviceSecrets secrets;
  private final long keepaliveMillis;
  private final DeviceLoginOkFlyweight ok = new DeviceLoginOkFlyweight();

  /** What the work off the loop found: the verdict, and the new device if the password matched. */
  private record Outcome(boolean matches, boolean disabled, StoredDevice device, List<Long> replaced, byte[] secret) {}

  LoginDeviceHandler(ChatStore store, PasswordHasher hasher, LoginRateLimiter limiter,
      SessionTable sessions, Pushes pushes, DeviceSecrets secrets, ServerConfig config) {
    this.store = store;
    this.admin = LoginHandler.adminOf(store);
    this.hasher = hasher;
    this.limiter = limiter;
    this.sessions = sessions;
    this.pushes = pushes;
    this.secrets = secrets;
    this.keepaliveMillis = config.keepaliveInterval().toMillis();
  }

  @Override
  public void handle(DeviceLoginFlyweight request, Exchange x) {
    if (x.replayedFromAddress()) {
      return;
    }
    UserName name = UserName.of(request.name());
    String password = request.password();
    String deviceName = request.deviceName();
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
    byte[] secret = secrets.newSecret();
    Instant now = Instant.ofEpochMilli(x.now());
    CompletableFuture<Outcome> work = store.findUser(name)
        .thenCompose(user -> hasher.verify(password, user.map(StoredUser::passwordHash).orElse(null))
            .thenCompose(verdict -> !verdict.matches()
                ? CompletableFuture.completedFuture(new Outcome(false, false, null, List.of(), null))
                : user.get().disabled()
                    ? CompletableFuture.completedFuture(new Outcome(true, true, null, List.of(), null))
                    : addDevice(name, deviceName, secret, now)));
    x.completeLater(work, (done, outcome) -> answered(done, name, outcome));
  }

  private CompletableFuture<Outcome> addDevice(UserName name, String deviceName, byte[] secret, Instant now) {
    return store.devices().devices(name).thenCompose(devices -> {
      List<StoredDevice> replaced = new ArrayList<>();
      for (StoredDevice d : devices) {
        if (d.name().equals(deviceName)) {
          replaced.add(d);
        }
      }
      List<StoredDevice> kept = new ArrayList<>(devices);
      kept.removeAll(replaced);
      kept.sort(Comparator.comparing(StoredDevice::lastUsedAt).thenComparing(StoredDevice::id));
      while (kept.size() >= DevicesOkFlyweight.MAX_DEVICES) {
        replaced.add(kept.remove(0));
      }
      CompletableFuture<List<Long>> revoked = CompletableFuture.completedFuture(new ArrayList<>());
      for (StoredDevice d : replaced) {
        revoked = revoked.thenCombine(store.devices().revokeDevices(name, d.id()), (all, ids) -> {
          all.addAll(ids);
          return all;
        });
      }
      return revoked.thenCompose(ids -> store.devices().addDevice(name, deviceName, DeviceSecrets.hash(secret), now)
          .thenApply(device -> new Outcome(true, false, device, ids, secret)));
    });
  }

  private void answered(Exchange x, UserName name, Outcome outcome) {
    if (!outcome.matches()) {
      limiter.recordAuditedFailure(x.from(), name, x.now());
      x.replyError(ErrorCode.INVALID_CREDENTIALS);
      return;
    }
    if (outcome.disabled()) {
      // Only once the password matched, as LOGIN: a wrong guess learns nothing about the account.
      Audit.loginRefusedDisabled(name, x.from());
      x.replyError(ErrorCode.ACCOUNT_DISABLED);
      return;
    }
    sessions.closeDevices(name, outcome.replaced(), null);
    Session session = sessions.open(name, x.from(), x.now());
    session.deviceId = outcome.device().id();
    ok.encode(x.answer(), x.requestId()).inReplyTo(FrameType.LOGIN_DEVICE)
        .session(session.tokenHi, session.tokenLo, keepaliveMillis, outcome.device().id(), outcome.secret())
        .finish();
    x.reply();
    LoginHandler.recordLogin(admin, name, x.now());
    pushes.pushUnread(session);
  }
}
