package org.p2pchat.protocol.server.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.p2pchat.api.store.AdminOperation;
import org.p2pchat.api.store.AdminStore;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.protocol.Audit;
import org.p2pchat.protocol.ServerMetrics;
import org.p2pchat.protocol.internal.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the admin operations recorded in the store ({@link AdminStore#operationsAfter}) and
 * ends the sessions they concern, so that an {@code admin} command run beside the running server
 * (another process, or another node of a cluster) takes effect on open sessions within
 * {@code ServerConfig#adminPollInterval}: a disabled or deleted account's sessions end, a
 * revoked device's session ends, a password reset ends the sessions opened with the password.
 * A session that ends answers NOT_LOGGED_IN to its next request; the client's RESUME or LOGIN
 * is then refused by the store's state (ACCOUNT_DISABLED, CREDENTIAL_REVOKED,
 * INVALID_CREDENTIALS).
 *
 * <p>Starts from the latest operation at start-up (what was done before concerns no session of
 * this server). At most one read in flight, started from the loop's duty cycle; the read runs on
 * the store's threads and its result is applied on the loop. A failed read (the database down)
 * is retried at the next interval, from the same place. Loop-confined but for the store call.
 */
final class AdminOperations {
  private static final Logger log = LoggerFactory.getLogger(AdminOperations.class);
  /** Operations read per poll; a longer backlog is read at the next polls, without waiting. */
  static final int BATCH = 100;

  private final EventLoop loop;
  private final AdminStore admin;
  private final SessionTable sessions;
  private final ServerMetrics metrics;
  private final long intervalMillis;
  /** The id of the last operation applied; -1 until the start-up read returned. */
  private long lastSeen = -1;
  private boolean reading;
  private long nextPollMillis;

  private AdminOperations(EventLoop loop, AdminStore admin, SessionTable sessions, ServerMetrics metrics,
      long intervalMillis) {
    this.loop = loop;
    this.admin = admin;
    this.sessions = sessions;
    this.metrics = metrics;
    this.intervalMillis = intervalMillis;
  }

  /** The follower of {@code store}'s operations; one that does nothing for a store without an admin facet. */
  static AdminOperations of(EventLoop loop, ChatStore store, SessionTable sessions, ServerMetrics metrics,
      long intervalMillis) {
    AdminStore admin;
    try {
      admin = store.admin();
    } catch (UnsupportedOperationException e) {
      admin = null;
    }
    return new AdminOperations(loop, admin, sessions, metrics, intervalMillis);
  }

  /** Reads the latest operation's id, where following begins. Called once, as the engine starts. */
  void start(long nowMillis) {
    if (admin != null) {
      poll(nowMillis);
    }
  }

  /** From the loop's duty cycle: polls when the interval is over and no read is in flight. */
  void onDuty(long nowMillis) {
    if (admin != null && !reading && nowMillis >= nextPollMillis) {
      poll(nowMillis);
    }
  }

  private void poll(long nowMillis) {
    reading = true;
    nextPollMillis = nowMillis + intervalMillis;
    CompletableFuture<?> read;
    try {
      read = lastSeen < 0
          ? admin.latestOperationId().thenAccept(latest -> loop.execute(() -> begin(latest)))
          : admin.operationsAfter(lastSeen, BATCH).thenAccept(ops -> loop.execute(() -> apply(ops)));
    } catch (RuntimeException e) {
      read = CompletableFuture.failedFuture(e);
    }
    read.whenComplete((done, failure) -> {
      if (failure != null) {
        log.debug("reading the admin operations failed, trying again in {} ms: {}", intervalMillis, failure.toString());
        loop.execute(() -> reading = false);
      }
    });
  }

  private void begin(long latest) {
    lastSeen = latest;
    reading = false;
  }

  private void apply(List<AdminOperation> ops) {
    reading = false;
    for (AdminOperation op : ops) {
      int ended = switch (op.kind()) {
        case DISABLED, DELETED -> sessions.closeUser(op.user(), s -> true);
        case DEVICES_REVOKED -> sessions.closeUser(op.user(), s -> s.deviceId != 0 && s.deviceId <= op.deviceIdsUpTo());
        case PASSWORD_RESET -> sessions.closeUser(op.user(), s -> s.deviceId == 0);
      };
      Audit.adminOperationApplied(op.kind().name().toLowerCase(java.util.Locale.ROOT), op.user(), op.id(), ended);
      metrics.adminOperationApplied(ended);
      lastSeen = Math.max(lastSeen, op.id());
    }
    if (ops.size() == BATCH) {
      nextPollMillis = 0; // more are waiting: read them at the next duty cycle
    }
  }
}
