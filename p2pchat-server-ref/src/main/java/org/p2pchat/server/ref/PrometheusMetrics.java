package org.p2pchat.server.ref;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.IntSupplier;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.protocol.ServerMetrics;
import org.p2pchat.store.sqlite.CommitListener;

/**
 * The server's metrics in a Prometheus registry: what the engine counts ({@link ServerMetrics}),
 * what the store's writer commits ({@link CommitListener}, SQLite or PostgreSQL) and the JVM's basics. Labels are
 * frame type and error code names only; no user name, address or message data is ever a label
 * or a value.
 *
 * <p>The hot path (the loop thread's calls) indexes arrays of data points made ahead, or on a
 * label's first use, and adds to their {@code LongAdder}: no map look-up, no allocation.
 * Exemplars are off (there is no tracing to link to). Thread-safe.
 */
public final class PrometheusMetrics
    implements ServerMetrics, CommitListener, org.p2pchat.store.postgres.CommitListener {
  /** Error codes below this get a data point of their own; the rest share "other" (none do today). */
  private static final int CODES = 128;
  private static final String OK = "OK";

  private final PrometheusRegistry registry;
  private final Counter requests;
  private final Counter answers;
  private final Counter replayed;
  private final CounterDataPoint[] requestsByType = new CounterDataPoint[256];
  private final CounterDataPoint[][] answersByTypeAndCode = new CounterDataPoint[256][];
  private final CounterDataPoint[] replayedByType = new CounterDataPoint[256];
  private final CounterDataPoint sendsAcknowledged;
  private final CounterDataPoint pushes;
  private final CounterDataPoint pushRetransmissions;
  private final CounterDataPoint pushesGivenUp;
  private final CounterDataPoint handshakes;
  private final CounterDataPoint cookieReplies;
  private final CounterDataPoint packetsDropped;
  private final CounterDataPoint adminOperations;
  private final CounterDataPoint adminSessionsEnded;
  private final CounterDataPoint busyAnswers;
  private final CounterDataPoint rateLimitedAnswers;
  private final CounterDataPoint relayedBytes;
  private final CounterDataPoint relayedPackets;
  private final CounterDataPoint relayDropped;
  private final Gauge sessions;
  private final Gauge usersOnline;
  private final Gauge pendingOperations;
  private final Gauge pendingPushes;
  private final Gauge cachedAnswers;
  private final Histogram batchWrites;
  private final Histogram commitSeconds;

  /**
   * Registers every metric in a new registry, the JVM's included.
   *
   * @param storeQueue the store writer's queue depth, read at each scrape
   */
  public PrometheusMetrics(IntSupplier storeQueue) {
    this.registry = new PrometheusRegistry();
    JvmMetrics.builder().register(registry);
    requests = Counter.builder().name("p2pchat_requests_total")
        .help("Datagrams with a frame header received, by frame type").labelNames("type")
        .withoutExemplars().register(registry);
    answers = Counter.builder().name("p2pchat_answers_total")
        .help("Requests answered for the first time, by request type and outcome (OK or the error code's name)")
        .labelNames("type", "code").withoutExemplars().register(registry);
    replayed = Counter.builder().name("p2pchat_answers_replayed_total")
        .help("Retransmitted requests answered again from the answer cache, by request type")
        .labelNames("type").withoutExemplars().register(registry);
    sendsAcknowledged = counter("p2pchat_sends_acknowledged_total", "SENDs acknowledged after their message was committed");
    pushes = counter("p2pchat_pushes_total", "Pushes sent (first transmissions)");
    pushRetransmissions = counter("p2pchat_push_retransmissions_total", "Pushes sent again for want of a PUSH_ACK");
    pushesGivenUp = counter("p2pchat_pushes_given_up_total", "Pushes given up without a PUSH_ACK (the message stays in history)");
    handshakes = counter("p2pchat_handshakes_total", "Secure channel handshakes completed");
    cookieReplies = counter("p2pchat_cookie_replies_total", "Handshakes answered with a cookie reply (server under load)");
    packetsDropped = counter("p2pchat_packets_dropped_total", "Packets the secure channel dropped: malformed, unauthenticated, replayed or refused");
    adminOperations = counter("p2pchat_admin_operations_applied_total",
        "Admin operations (disable, delete, revoke-devices, reset-password) applied to the open sessions");
    adminSessionsEnded = counter("p2pchat_admin_sessions_ended_total", "Sessions ended by admin operations");
    busyAnswers = counter("p2pchat_busy_answers_total", "Requests answered SERVER_BUSY");
    rateLimitedAnswers = counter("p2pchat_rate_limited_answers_total", "Requests answered RATE_LIMITED");
    relayedBytes = counter("p2pchat_relayed_bytes_total",
        "Bytes of sealed peer packets the relay forwarded between contacts' devices (RELAY in, RELAYED out)");
    relayedPackets = counter("p2pchat_relayed_packets_total", "Peer packets the relay forwarded");
    relayDropped = counter("p2pchat_relay_dropped_total",
        "Peer packets the relay dropped: over the per-user or total rate, or for no live link");
    sessions = gauge("p2pchat_sessions", "Sessions open (devices logged in)");
    usersOnline = gauge("p2pchat_users_online", "Distinct users with at least one session");
    pendingOperations = gauge("p2pchat_pending_operations", "Requests waiting for the store or the password hasher");
    pendingPushes = gauge("p2pchat_pending_pushes", "Pushes awaiting their PUSH_ACK");
    cachedAnswers = gauge("p2pchat_cached_answers", "Answers held for retransmitted requests");
    GaugeWithCallback.builder().name("p2pchat_store_write_queue")
        .help("Writes waiting for the store's writer thread")
        .callback(cb -> cb.call(storeQueue.getAsInt())).register(registry);
    batchWrites = Histogram.builder().name("p2pchat_store_batch_writes")
        .help("Writes per store transaction (group commit)")
        .classicOnly().classicExponentialUpperBounds(1, 2, 13).withoutExemplars().register(registry);
    commitSeconds = Histogram.builder().name("p2pchat_store_commit_seconds")
        .help("Time of one store transaction, first statement to end of COMMIT")
        .classicOnly()
        .classicUpperBounds(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5)
        .withoutExemplars().register(registry);
    for (int type = 0; type < 256; type++) {
      if (ServerMetrics.isRequestType(type)) {
        requestsByType[type] = requests.labelValues(ServerMetrics.frameTypeName(type));
        answersByTypeAndCode[type] = new CounterDataPoint[CODES + 1];
        answersByTypeAndCode[type][0] = answers.labelValues(ServerMetrics.frameTypeName(type), OK);
      }
    }
  }

  private Counter.Builder counterBuilder(String name, String help) {
    return Counter.builder().name(name).help(help);
  }

  private CounterDataPoint counter(String name, String help) {
    return counterBuilder(name, help).withoutExemplars().register(registry);
  }

  private Gauge gauge(String name, String help) {
    return Gauge.builder().name(name).help(help).withoutExemplars().register(registry);
  }

  /** The registry, for the HTTP endpoint and tests. */
  public PrometheusRegistry registry() {
    return registry;
  }

  // ---------------------------------------------------------------- ServerMetrics (loop thread)

  @Override
  public void requestReceived(int frameType) {
    CounterDataPoint d = requestsByType[frameType & 0xff];
    if (d == null) {
      d = requests.labelValues(ServerMetrics.isRequestType(frameType) ? ServerMetrics.frameTypeName(frameType) : "other");
    }
    d.inc();
  }

  @Override
  public void answered(int frameType, int errorCode) {
    int type = frameType & 0xff;
    CounterDataPoint[] byCode = answersByTypeAndCode[type];
    if (byCode == null) {
      byCode = answersByTypeAndCode[type] = new CounterDataPoint[CODES + 1];
    }
    int slot = errorCode >= 0 && errorCode < CODES ? errorCode : CODES;
    CounterDataPoint d = byCode[slot];
    if (d == null) {
      d = byCode[slot] = answers.labelValues(typeLabel(type), codeLabel(errorCode));
    }
    d.inc();
    if (errorCode == ErrorCode.SERVER_BUSY.code()) {
      busyAnswers.inc();
    } else if (errorCode == ErrorCode.RATE_LIMITED.code()) {
      rateLimitedAnswers.inc();
    }
  }

  @Override
  public void answerReplayed(int frameType) {
    int type = frameType & 0xff;
    CounterDataPoint d = replayedByType[type];
    if (d == null) {
      d = replayedByType[type] = replayed.labelValues(typeLabel(type));
    }
    d.inc();
  }

  private static String typeLabel(int type) {
    return ServerMetrics.isRequestType(type) ? ServerMetrics.frameTypeName(type) : "other";
  }

  private static String codeLabel(int errorCode) {
    if (errorCode == 0) {
      return OK;
    }
    return ErrorCode.of(errorCode).map(Enum::name).orElse("other");
  }

  @Override
  public void sendAcknowledged() {
    sendsAcknowledged.inc();
  }

  @Override
  public void pushSent(boolean retransmission) {
    (retransmission ? pushRetransmissions : pushes).inc();
  }

  @Override
  public void pushGivenUp() {
    pushesGivenUp.inc();
  }

  @Override
  public void handshakeCompleted() {
    handshakes.inc();
  }

  @Override
  public void cookieReplySent() {
    cookieReplies.inc();
  }

  @Override
  public void packetDropped() {
    packetsDropped.inc();
  }

  @Override
  public void adminOperationApplied(int sessionsEnded) {
    adminOperations.inc();
    adminSessionsEnded.inc(sessionsEnded);
  }

  @Override
  public void relayed(int bytes) {
    relayedBytes.inc(bytes);
    relayedPackets.inc();
  }

  @Override
  public void relayDropped() {
    relayDropped.inc();
  }

  @Override
  public void sample(int sessions, int onlineUsers, int pendingOperations, int pendingPushes, int cachedAnswers) {
    this.sessions.set(sessions);
    this.usersOnline.set(onlineUsers);
    this.pendingOperations.set(pendingOperations);
    this.pendingPushes.set(pendingPushes);
    this.cachedAnswers.set(cachedAnswers);
  }

  // ---------------------------------------------------------------- CommitListener (writer thread)

  @Override
  public void committed(int writes, long nanos) {
    batchWrites.observe(writes);
    commitSeconds.observe(nanos / 1e9);
  }
}
