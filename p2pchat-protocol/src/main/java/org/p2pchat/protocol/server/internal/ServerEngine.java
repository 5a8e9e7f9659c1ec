package org.p2pchat.protocol.server.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import org.p2pchat.api.server.ChatServer;
import org.p2pchat.api.server.PushBus;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.api.transport.Transport;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.ServerMetrics;
import org.p2pchat.protocol.codec.internal.CredentialsFlyweight;
import org.p2pchat.protocol.codec.internal.DeviceLoginFlyweight;
import org.p2pchat.protocol.codec.internal.FeaturesFlyweight;
import org.p2pchat.protocol.codec.internal.PushAcksFlyweight;
import org.p2pchat.protocol.codec.internal.ResumeFlyweight;
import org.p2pchat.protocol.codec.internal.RevokeDeviceFlyweight;
import org.p2pchat.protocol.codec.internal.SendKeyedFlyweight;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.HistoryFlyweight;
import org.p2pchat.protocol.codec.internal.MarkReadFlyweight;
import org.p2pchat.protocol.codec.internal.SendFlyweight;
import org.p2pchat.protocol.codec.internal.SendPartFlyweight;
import org.p2pchat.protocol.codec.internal.MessagePartFlyweight;
import org.p2pchat.protocol.codec.internal.TokenFlyweight;
import org.p2pchat.protocol.internal.EventLoop;
import org.p2pchat.protocol.internal.LoopAgent;

/**
 * The server: an {@link EventLoop} that owns the socket and all protocol state (sessions,
 * cached answers, pending pushes, rate limits), and the handler of each request type, routed by
 * a {@link Dispatcher}. Store calls and password hashes run on other threads and complete on the
 * loop, so the loop never blocks on disk or on a hash. This class is the wiring.
 */
public final class ServerEngine implements ChatServer, LoopAgent {
  private static final long HOUSEKEEPING_INTERVAL_MILLIS = 1000;
  private static final long MAX_POLL_MILLIS = 250;
  private static final long DRAIN_TIMEOUT_MILLIS = 10_000;

  private final EventLoop loop;
  private final SessionTable sessions;
  private final AnswerCache answers;
  private final Pushes pushes;
  private final LoginRateLimiter loginLimiter;
  private final Exchange exchange;
  private final Dispatcher dispatcher;
  private final ServerMetrics metrics;
  private final LongSends longSends;
  private final AdminOperations adminOperations;
  /** Null when the store keeps no contacts. */
  private final PeerRoutes peers;
  /** The hashing pool, when this engine made it (and so shuts it down). */
  private final ExecutorService ownHashPool;
  private long lastHousekeeping;

  private ServerEngine(Transport transport, ChatStore store, PushBus bus, ServerConfig config, Clock clock,
      Executor hashExecutor, ServerMetrics metrics) {
    this.metrics = metrics;
    this.loop = new EventLoop(transport, clock, this, MAX_POLL_MILLIS, DRAIN_TIMEOUT_MILLIS);
    this.sessions = new SessionTable(config.maxSessions(), config.maxSessionsPerUser(),
        config.sessionIdleTimeout().toMillis());
    this.answers = new AnswerCache(config.answerCacheEntries(), config.answerCacheBytes(),
        config.answerCacheTtl().toMillis());
    this.loginLimiter = new LoginRateLimiter(config.loginAttemptsPerAccount(),
        config.loginAttemptsPerAddress(), config.loginWindow().toMillis(), config.maxRateLimitEntries());
    this.ownHashPool = hashExecutor == null
        ? PasswordHasher.newPool(config.hashThreads(), config.maxQueuedHashes()) : null;
    PasswordHasher hasher = new PasswordHasher(config.argon2MemoryKib(), config.argon2Iterations(),
        hashExecutor != null ? hashExecutor : ownHashPool);
    this.pushes = new Pushes(loop, sessions, store, bus, config, metrics);
    this.exchange = new Exchange(loop, answers, sessions, config, pushes::pushUnread, metrics);
    this.longSends = new LongSends(config.maxPartialSendsPerSession(), config.maxPartialSendBytes(),
        config.partialSendTimeout().toMillis());
    LongBodies longBodies = new LongBodies();
    PushAckHandler pushAcks = new PushAckHandler(loop, sessions, pushes, store);
    this.dispatcher = new Dispatcher(exchange)
        .route(new CredentialsFlyweight(FrameType.REGISTER), new RegisterHandler(store, hasher, loginLimiter, config))
        .route(new CredentialsFlyweight(FrameType.LOGIN),
            new LoginHandler(store, hasher, loginLimiter, sessions, pushes, config))
        .route(new TokenFlyweight(FrameType.LOGOUT), new LogoutHandler(sessions))
        .route(new SendFlyweight(), new SendHandler(store, pushes, metrics))
        .route(new HistoryFlyweight(), HistoryHandler.plain(store))
        .route(new TokenFlyweight(FrameType.PING), new PingHandler())
        .route(new MarkReadFlyweight(), new MarkReadHandler(store, pushes))
        .route(new TokenFlyweight(FrameType.PUSH_ACK), pushAcks)
        .route(new PushAcksFlyweight(), pushAcks.batched())
        .route(new FeaturesFlyweight(), new FeaturesHandler())
        .route(new DeviceLoginFlyweight(), new LoginDeviceHandler(store, hasher, loginLimiter, sessions, pushes,
            new DeviceSecrets(), config))
        .route(new ResumeFlyweight(), new ResumeHandler(store, sessions, pushes, config))
        .route(new TokenFlyweight(FrameType.DEVICES), new DevicesHandler(store))
        .route(new RevokeDeviceFlyweight(), new RevokeDeviceHandler(store, sessions))
        .route(new SendKeyedFlyweight(), new SendKeyedHandler(store, pushes))
        .route(new SendPartFlyweight(), new SendPartHandler(store, pushes, longSends, longBodies))
        .route(new MessagePartFlyweight(), new MessagePartHandler(store, longBodies))
        .route(new HistoryFlyweight(FrameType.HISTORY_LONG), HistoryHandler.withLongStubs(store));
    RoomPushes roomPushes = RoomRoutes.install(dispatcher, store, loop, sessions, pushes, bus, config);
    PeerLinks peerLinks = new PeerLinks(config.maxPeerLinks(), config.maxPeerLinksPerSession());
    Presence presence = ContactRoutes.install(dispatcher, store, loop, sessions, pushes, bus, config, peerLinks);
    AccountRoutes.install(dispatcher, store, hasher, loginLimiter, sessions, bus);
    this.peers = PeerRoutes.install(dispatcher, store, loop, sessions, pushes, peerLinks, config, metrics,
        clock.millis());
    this.lastHousekeeping = clock.millis();
    bus.listen(new ClusterPushes(loop, store, pushes, roomPushes, presence, sessions));
    this.adminOperations = AdminOperations.of(loop, store, sessions, metrics, config.adminPollInterval().toMillis());
    adminOperations.start(lastHousekeeping);
  }

  /** Starts a server on {@code transport}, which it owns and closes; the store stays the caller's. */
  public static ServerEngine start(Transport transport, ChatStore store, ServerConfig config, Clock clock) {
    return start(transport, store, PushBus.NONE, config, clock, ServerMetrics.NONE);
  }

  /** As {@link #start(Transport, ChatStore, ServerConfig, Clock)}, telling {@code metrics} what it does. */
  public static ServerEngine start(Transport transport, ChatStore store, ServerConfig config, Clock clock,
      ServerMetrics metrics) {
    return start(transport, store, PushBus.NONE, config, clock, metrics);
  }

  /**
   * Starts a server node of a cluster: as {@link #start(Transport, ChatStore, ServerConfig, Clock)},
   * and it pushes to its sessions what the other nodes publish on {@code bus}, and publishes
   * there what it stores. The bus stays the caller's.
   */
  public static ServerEngine start(Transport transport, ChatStore store, PushBus bus, ServerConfig config,
      Clock clock) {
    return start(transport, store, bus, config, clock, ServerMetrics.NONE);
  }

  /** A node of a cluster on {@code bus}, telling {@code metrics} what it does. */
  public static ServerEngine start(Transport transport, ChatStore store, PushBus bus, ServerConfig config,
      Clock clock, ServerMetrics metrics) {
    ServerEngine engine = new ServerEngine(transport, store, bus, config, clock, null, metrics);
    engine.loop.start(false);
    return engine;
  }

  /**
   * A server whose loop does not run by itself: its caller drives {@link #loop()} with
   * {@link EventLoop#runOnce} from one thread, and ends it with {@link EventLoop#closeDriven}.
   * Password hashes run on {@code hashExecutor}, which the caller owns (one that queues them for
   * the driving thread makes the whole server run on that thread).
   */
  public static ServerEngine driven(Transport transport, ChatStore store, ServerConfig config,
      Clock clock, Executor hashExecutor) {
    return driven(transport, store, PushBus.NONE, config, clock, hashExecutor, ServerMetrics.NONE);
  }

  /** As {@link #driven(Transport, ChatStore, ServerConfig, Clock, Executor)}, telling {@code metrics} what it does. */
  public static ServerEngine driven(Transport transport, ChatStore store, ServerConfig config,
      Clock clock, Executor hashExecutor, ServerMetrics metrics) {
    return driven(transport, store, PushBus.NONE, config, clock, hashExecutor, metrics);
  }

  /** A driven server node on {@code bus}: {@link #driven(Transport, ChatStore, ServerConfig, Clock, Executor)} in a cluster. */
  public static ServerEngine driven(Transport transport, ChatStore store, PushBus bus, ServerConfig config,
      Clock clock, Executor hashExecutor) {
    return driven(transport, store, bus, config, clock, hashExecutor, ServerMetrics.NONE);
  }

  /** A driven server node on {@code bus}, telling {@code metrics} what it does. */
  public static ServerEngine driven(Transport transport, ChatStore store, PushBus bus, ServerConfig config,
      Clock clock, Executor hashExecutor, ServerMetrics metrics) {
    return new ServerEngine(transport, store, bus, config, clock, hashExecutor, metrics);
  }

  /** The loop, for a caller of {@link #driven} to run. */
  public EventLoop loop() {
    return loop;
  }

  @Override
  public InetSocketAddress localAddress() {
    return loop.localAddress();
  }

  @Override
  public void close() {
    loop.close();
  }

  /** A snapshot of the sizes of everything a peer can grow, for tests and monitoring. */
  public record Stats(int sessions, int cachedAnswers, long cachedAnswerBytes, int pendingPushes,
      int rateLimitEntries, int pendingOperations, int peerLinks, long relayedPackets, long relayedBytes) {}

  /** Takes a {@link Stats} snapshot on the event loop. Thread-safe. */
  public CompletableFuture<Stats> stats() {
    CompletableFuture<Stats> result = new CompletableFuture<>();
    loop.execute(() -> result.complete(new Stats(sessions.size(), answers.size(), answers.bytes(),
        pushes.size(), loginLimiter.size(), exchange.pendingOperations(),
        peers == null ? 0 : peers.links(), peers == null ? 0 : peers.relayedPackets(),
        peers == null ? 0 : peers.relayedBytes())));
    return result;
  }

  // ---------------------------------------------------------------- the loop's agent

  @Override
  public String roleName() {
    return "p2pchat-loop";
  }

  @Override
  public void onDatagram(ByteBuffer datagram, InetSocketAddress sender) {
    dispatcher.onDatagram(datagram, sender);
  }

  @Override
  public void onDuty(long nowMillis) {
    adminOperations.onDuty(nowMillis);
    if (nowMillis - lastHousekeeping >= HOUSEKEEPING_INTERVAL_MILLIS) {
      sessions.expire(nowMillis);
      answers.evict(nowMillis);
      longSends.expire(nowMillis);
      metrics.sample(sessions.size(), sessions.users(), exchange.pendingOperations(), pushes.size(),
          answers.size());
      lastHousekeeping = nowMillis;
    }
  }

  @Override
  public boolean isDrained() {
    return exchange.pendingOperations() == 0;
  }

  @Override
  public void onClose() {
    if (ownHashPool != null) {
      ownHashPool.shutdown();
    }
  }
}
