package org.p2pchat.server.ref;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.p2pchat.api.server.ChatServer;
import org.p2pchat.api.server.PushBus;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.api.transport.Transport;
import org.p2pchat.protocol.ChatServers;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.ServerMetrics;
import org.p2pchat.protocol.secure.ServerKeyPair;
import org.p2pchat.store.sqlite.CommitListener;
import org.p2pchat.store.sqlite.SqliteChatStore;
import org.p2pchat.store.postgres.PostgresChatStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code p2pchat-server} command: reads the options (command line, environment, config
 * file, defaults: {@link EnvDefaults}), sets up logging, binds the socket, opens the store,
 * starts the engine, prints where it listens and where its data lives, and runs until the
 * process is asked to stop. A start that fails leaves no files behind ({@link #call}).
 *
 * <p>One instance runs once, on one thread.
 */
@Command(
    name = "p2pchat-server",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Runs a p2pchat server: accounts, login, 1:1 messages and history over UDP, stored in an "
          + "embedded SQLite database, or in a PostgreSQL database that several nodes share (--store postgres).",
      "Stop it with Ctrl-C or SIGTERM: it finishes the requests in flight, flushes the database "
          + "and exits 0.",
      ""
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped cleanly (Ctrl-C or SIGTERM)",
      "1:could not start (port in use, database not writable, key file open to others, ...) or did not stop cleanly",
      "2:bad option or option value"
    },
    footerHeading = "%nEnvironment and config file:%n",
    footer = {
      "Every option can be set from the environment: P2PCHAT_ and the option's name in upper "
          + "case with '-' as '_', for example P2PCHAT_PORT, P2PCHAT_BIND, P2PCHAT_DB, "
          + "P2PCHAT_LOG_LEVEL, P2PCHAT_SESSION_IDLE_TIMEOUT.",
      "Every option but --config can also be set in the --config file (P2PCHAT_CONFIG), a "
          + "properties file whose keys are the option names without '--': port = 7777, "
          + "session-idle-timeout = 2m. A key that names no option is an error.",
      "The command line wins over the environment, which wins over the config file, which wins "
          + "over the defaults shown above.",
      "Durations are written like 500ms, 30s, 2m or 1h."
    })
public final class ServerCommand implements Callable<Integer> {

  /** What {@code --bind} takes to mean every interface, IPv4 and IPv6. */
  public static final String ALL_INTERFACES = "*";

  @Spec CommandSpec spec;

  @Mixin StoreOptions storeOptions = new StoreOptions();

  @Option(names = "--db-wait", paramLabel = "DURATION", converter = StoreOptions.WaitConverter.class, defaultValue = "60s",
      description = "With --store postgres: how long a starting node keeps trying a database that does not "
          + "answer, answering 'server busy' meanwhile, before it gives up (exit 1); 0s gives up at once. "
          + "Default: ${DEFAULT-VALUE}")
  Duration dbWait;

  @Option(names = EnvDefaults.CONFIG_OPTION, paramLabel = "FILE",
      description = "Read options from this properties file (keys are the option names without '--'); "
          + "the command line and the environment win over it.")
  Path configFile;

  @Option(names = "--bind", paramLabel = "ADDRESS",
      description = "IP address to listen on; * is every interface. Default: ${DEFAULT-VALUE}")
  String bind;

  @Option(names = "--port", paramLabel = "PORT",
      description = "UDP port to listen on; 0 picks a free one (printed at start). Default: ${DEFAULT-VALUE}")
  int port;

  @Option(names = "--db", paramLabel = "FILE",
      description = "SQLite database file, created with its directory on first start. Default: ${DEFAULT-VALUE}")
  Path database;

  @Option(names = "--key-file", paramLabel = "FILE",
      description = "The server's static key pair (X25519), generated owner-only on first start. "
          + "Default: server.key beside the database")
  Path keyFile;

  @Option(names = "--plaintext",
      description = "Speak without the secure channel, to measure its cost; refused unless --bind is a loopback address.")
  boolean plaintext;

  @Option(names = "--synchronous", paramLabel = "MODE",
      description = "FULL: an acknowledged message survives a power cut; NORMAL: it survives a "
          + "server crash, and writes are faster. Default: ${DEFAULT-VALUE}")
  SyncMode syncMode;

  @Option(names = "--metrics", paramLabel = "[HOST:]PORT",
      description = "Serve Prometheus metrics at http://HOST:PORT/metrics; a bare port listens on "
          + "127.0.0.1 only (" + MetricsEndpoint.DEFAULT_PORT + " is usual). Default: off")
  String metrics;

  @Option(names = "--retention", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Delete messages and room messages sent longer ago than this, in the background in small batches "
          + "(such as 90d). Default: keep every message")
  Duration retention;

  @Option(names = "--log-level", paramLabel = "LEVEL",
      description = "One of ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}")
  LogLevel logLevel;

  @Option(names = "--log-format", paramLabel = "FORMAT",
      description = "PLAIN: a line a person reads; JSON: one JSON object per line, for log shippers. "
          + "Logs go to stderr. Default: ${DEFAULT-VALUE}")
  LogFormat logFormat;

  @Option(names = "--session-idle-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "A session ends after this long without a request from its client. Default: ${DEFAULT-VALUE}")
  Duration sessionIdleTimeout;

  @Option(names = "--keepalive-interval", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How often clients are asked to ping. Default: ${DEFAULT-VALUE}")
  Duration keepaliveInterval;

  @Option(names = "--max-sessions", paramLabel = "N",
      description = "Most sessions at once; logins beyond get 'server busy'. Default: ${DEFAULT-VALUE}")
  int maxSessions;

  @Option(names = "--max-sessions-per-user", paramLabel = "N",
      description = "Most sessions of one user; a new login ends the oldest. Default: ${DEFAULT-VALUE}")
  int maxSessionsPerUser;

  @Option(names = "--login-attempts-per-account", paramLabel = "N",
      description = "Failed logins allowed per account per login window. Default: ${DEFAULT-VALUE}")
  int loginAttemptsPerAccount;

  @Option(names = "--login-attempts-per-address", paramLabel = "N",
      description = "Failed logins (and registrations) allowed per source address per login window. Default: ${DEFAULT-VALUE}")
  int loginAttemptsPerAddress;

  @Option(names = "--login-window", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "The window of the login limits. Default: ${DEFAULT-VALUE}")
  Duration loginWindow;

  @Option(names = "--name-quarantine", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How long the name of an account its user deleted stays taken. Default: ${DEFAULT-VALUE}")
  Duration nameQuarantine;

  @Option(names = "--max-pending-operations", paramLabel = "N",
      description = "Most requests waiting for the database at once; beyond, 'server busy'. Default: ${DEFAULT-VALUE}")
  int maxPendingOperations;

  @Option(names = "--hash-threads", paramLabel = "N",
      description = "Threads hashing passwords (each hash holds ~19 MiB for ~50 ms). Default: ${DEFAULT-VALUE}")
  int hashThreads;

  @Option(names = "--relay-rate-per-user", paramLabel = "RATE", converter = RateConverter.class,
      description = "The relay forwards sealed packets between contacts' devices that cannot reach each other "
          + "directly (behind strict NATs or firewalls), mostly files; the server cannot read them. The most bytes a "
          + "second it forwards for one user, all their devices together; beyond, packets are dropped and the peers "
          + "slow down. Bytes a second, or 500KiB, 2MiB, 10MB; 0 turns the relay off. Default: ${DEFAULT-VALUE}")
  long relayRatePerUser;

  @Option(names = "--relay-rate-total", paramLabel = "RATE", converter = RateConverter.class,
      description = "The most bytes a second the relay forwards for everyone together, so that relaying never "
          + "starves the chat; 0 turns the relay off. Default: ${DEFAULT-VALUE}")
  long relayRateTotal;

  @Option(names = "--max-peer-links", paramLabel = "N",
      description = "Most peer links (pairs of contacts' devices the server introduced, direct or relayed) kept at "
          + "once; a new one beyond ends the oldest. Default: ${DEFAULT-VALUE}")
  int maxPeerLinks;

  private final ServerFactory serverFactory;
  private final ShutdownHooks shutdownHooks;

  /**
   * A command that starts servers with {@code serverFactory} and registers its stop action
   * with {@code shutdownHooks}.
   */
  public ServerCommand(ServerFactory serverFactory, ShutdownHooks shutdownHooks) {
    this.serverFactory = serverFactory;
    this.shutdownHooks = shutdownHooks;
  }

  /**
   * The built-in defaults by long option name, taken from {@link ServerConfig#defaults()} so the
   * help text never disagrees with the engine.
   */
  public static Map<String, String> builtInDefaults() {
    ServerConfig d = ServerConfig.defaults();
    Map<String, String> m = new LinkedHashMap<>();
    m.put("--bind", ALL_INTERFACES);
    m.put("--port", Integer.toString(ChatServers.DEFAULT_PORT));
    m.put("--db", Path.of("p2pchat-data", "p2pchat.db").toString());
    m.put("--synchronous", SyncMode.FULL.name());
    m.put("--log-level", LogLevel.INFO.name());
    m.put("--log-format", LogFormat.PLAIN.name());
    m.put("--session-idle-timeout", DurationConverter.format(d.sessionIdleTimeout()));
    m.put("--keepalive-interval", DurationConverter.format(d.keepaliveInterval()));
    m.put("--max-sessions", Integer.toString(d.maxSessions()));
    m.put("--max-sessions-per-user", Integer.toString(d.maxSessionsPerUser()));
    m.put("--login-attempts-per-account", Integer.toString(d.loginAttemptsPerAccount()));
    m.put("--login-attempts-per-address", Integer.toString(d.loginAttemptsPerAddress()));
    m.put("--login-window", DurationConverter.format(d.loginWindow()));
    m.put("--name-quarantine", DurationConverter.largestUnit(d.nameQuarantine()));
    m.put("--max-pending-operations", Integer.toString(d.maxPendingOperations()));
    m.put("--hash-threads", Integer.toString(d.hashThreads()));
    m.put("--relay-rate-per-user", RateConverter.format(d.relayBytesPerSecondPerUser()));
    m.put("--relay-rate-total", RateConverter.format(d.relayBytesPerSecondTotal()));
    m.put("--max-peer-links", Integer.toString(d.maxPeerLinks()));
    return m;
  }

  /**
   * Starts the server and blocks until it has stopped. Everything that can be checked without
   * writing is checked first, and the socket is bound before the first file is created; should
   * a later step fail after all, what this start created is removed again. A start that fails
   * leaves the disk as it found it.
   */
  @Override
  public Integer call() throws StartupException {
    Logging.configure(logLevel, logFormat);
    Logger log = LoggerFactory.getLogger(ServerCommand.class);
    InetSocketAddress address = new InetSocketAddress(bindAddress(), checkedPort());
    ServerConfig config = engineConfig();
    if (plaintext && !address.getAddress().isLoopbackAddress()) {
      throw invalid("--plaintext", "true", "is refused on " + format(address)
          + ": it is allowed on a loopback address only (--bind 127.0.0.1 or ::1), as passwords would cross the network in the clear");
    }
    Path db = database.toAbsolutePath().normalize();
    PostgresChatStore.Builder postgres = storeOptions.isPostgres() ? storeOptions.postgres(spec, this::env) : null;
    StoreOpener.check(db);
    ServerKeyFile key = plaintext ? null : ServerKeyFile.prepare(keyFile(db), db.getParent());
    InetSocketAddress metricsAddress = metricsAddress();

    Transport transport = bind(address);
    CreatedFiles created = new CreatedFiles();
    CompletableFuture<String> gaveUp = new CompletableFuture<>();
    ChatStore[] opened = new ChatStore[1];
    java.util.concurrent.atomic.AtomicReference<PostgresChatStore> postgresOpened =
        new java.util.concurrent.atomic.AtomicReference<>();
    PrometheusMetrics prometheus = null;
    MetricsEndpoint endpoint = null;
    ChatStore store = null;
    PushBus bus = postgres != null ? postgres.openPushBus() : PushBus.NONE;
    ChatServer server;
    try {
      if (metricsAddress != null) {
        prometheus = new PrometheusMetrics(() -> opened[0] instanceof SqliteChatStore s ? s.pendingWrites()
            : postgresOpened.get() != null ? postgresOpened.get().pendingWrites() : 0);
        endpoint = MetricsEndpoint.start(metricsAddress, prometheus.registry());
      }
      if (postgres == null) {
        store = StoreOpener.open(db, syncMode, created, prometheus != null ? prometheus : CommitListener.NONE);
      } else {
        if (key != null && key.isNew()) {
          StoreOpener.createDirectory(db.getParent(), created);
        }
        if (prometheus != null) {
          postgres.commitListener(prometheus);
        }
        store = PostgresStoreOpener.open(postgres, dbWait, gaveUp::complete, postgresOpened::set);
      }
      opened[0] = store;
      if (key != null) {
        key.storeIfNew(created);
      }
      server = start(transport, store, bus, config, key == null ? null : key.keys(),
          prometheus != null ? prometheus : ServerMetrics.NONE);
    } catch (StartupException | RuntimeException e) {
      if (endpoint != null) {
        endpoint.close();
      }
      bus.close();
      undo(log, transport, store, created);
      throw e;
    }
    MetricsEndpoint metricsEndpoint = endpoint;
    Retention purge = retention == null ? null : new Retention(store.admin(), retention, java.time.Clock.systemUTC());
    ServerLifecycle lifecycle = new ServerLifecycle(server, store, () -> {
      if (purge != null) {
        purge.close();
      }
    }, () -> {
      if (metricsEndpoint != null) {
        metricsEndpoint.close();
      }
    });
    shutdownHooks.register(lifecycle::stop);
    gaveUp.thenAccept(why -> {
      log.error("giving up: {}", why);
      spec.commandLine().getErr().println(ServerMain.NAME + ": " + why);
      spec.commandLine().getErr().flush();
      lifecycle.stop();
    });

    // Logged before the banner, whose last line tells that the start is over: a SIGTERM after
    // it can no longer cut a start-up line in half.
    if (key != null) {
      log.info("{} server key {}, fingerprint {}", key.isNew() ? "created the" : "loaded the", key.file(),
          key.keys().publicKey().fingerprint());
    }
    String data = postgres != null ? postgres.target() + " (PostgreSQL)" : db + " (synchronous=" + syncMode + ")";
    log.info("started: udp {}, database {}, synchronous={}, {}", format(server.localAddress()),
        postgres != null ? postgres.target() : db, postgres != null ? "on (PostgreSQL)" : syncMode, config);
    PrintWriter out = spec.commandLine().getOut();
    out.println("p2pchat server " + VersionProvider.version());
    out.println("listening on udp " + format(server.localAddress()));
    if (key != null) {
      out.println("server key " + key.keys().publicKey().base64() + " (fingerprint " + key.keys().publicKey().fingerprint() + ")");
    } else {
      out.println("PLAINTEXT: no secure channel (loopback only, for measurements)");
    }
    out.println("data in " + data);
    if (endpoint != null) {
      out.println("metrics on " + endpoint.url());
      log.info("metrics on {}", endpoint.url());
    }
    out.println(config.relayBytesPerSecondPerUser() == 0 || config.relayBytesPerSecondTotal() == 0 ? "relay off"
        : "relay up to " + RateConverter.format(config.relayBytesPerSecondPerUser()) + "/s per user, "
            + RateConverter.format(config.relayBytesPerSecondTotal()) + "/s in all");
    if (configFile != null) {
      out.println("config from " + configFile.toAbsolutePath().normalize());
    }
    if (purge != null) {
      purge.start();
      out.println("retention " + DurationConverter.largestUnit(retention)
          + ": older messages and room messages are deleted every "
          + DurationConverter.largestUnit(Retention.interval(retention)));
    }
    out.println("stop with Ctrl-C");
    out.flush();
    int status = lifecycle.awaitStopped();
    bus.close();
    return gaveUp.isDone() ? 1 : status;
  }

  /** An environment variable, from the environment the command line was given (tests pass their own). */
  private String env(String name) {
    return spec.commandLine().getDefaultValueProvider() instanceof EnvDefaults d ? d.variable(name) : System.getenv(name);
  }

  /** Where the key lives: --key-file, else server.key beside the database. */
  private Path keyFile(Path db) {
    return keyFile != null ? keyFile.toAbsolutePath().normalize() : db.resolveSibling("server.key");
  }

  private Transport bind(InetSocketAddress address) throws StartupException {
    try {
      return serverFactory.bind(address, !plaintext);
    } catch (BindException e) {
      String why = String.valueOf(e.getMessage());
      String lower = why.toLowerCase(Locale.ROOT);
      String where = "cannot listen on udp " + format(address) + ": ";
      if (lower.contains("in use")) {
        throw new StartupException(where + "the port is already in use (another server running?)", e);
      }
      if (lower.contains("assign")) {
        throw new StartupException(where + address.getAddress().getHostAddress()
            + " is not an address of this machine (--bind * listens on all of them)", e);
      }
      if (lower.contains("permission") || lower.contains("access")) {
        throw new StartupException(where + "permission denied (ports below 1024 need privileges)", e);
      }
      throw new StartupException(where + why, e);
    } catch (IOException e) {
      throw new StartupException("cannot listen on udp " + format(address) + ": " + e.getMessage(), e);
    }
  }

  private ChatServer start(Transport transport, ChatStore store, PushBus bus, ServerConfig config,
      ServerKeyPair keys, ServerMetrics metrics) throws StartupException {
    try {
      return serverFactory.start(transport, store, bus, config, keys, metrics);
    } catch (IOException e) {
      throw new StartupException("cannot start the server on udp " + format(transport.localAddress()) + ": " + e.getMessage(), e);
    } catch (UnsupportedOperationException e) {
      throw new StartupException("this build has no server engine: " + e.getMessage(), e);
    }
  }

  /** After a failed start: releases the socket and the store, and removes what this start created. */
  private static void undo(Logger log, Transport transport, ChatStore store, CreatedFiles created) {
    if (store != null) {
      try {
        store.close();
      } catch (RuntimeException e) {
        log.debug("closing the store after a failed start failed: {}", e.toString());
      }
    }
    try {
      transport.close();
    } catch (IOException | RuntimeException e) {
      log.debug("closing the socket after a failed start failed: {}", e.toString());
    }
    List<Path> left = created.deleteAll();
    if (!left.isEmpty()) {
      log.warn("could not remove what the failed start created: {}", left);
    }
  }

  /** Where --metrics serves, or null when it is off. */
  private InetSocketAddress metricsAddress() {
    if (metrics == null || metrics.isBlank()) {
      return null;
    }
    try {
      return MetricsEndpoint.parse(metrics);
    } catch (IllegalArgumentException e) {
      throw invalid("--metrics", metrics, e.getMessage());
    }
  }

  private InetAddress bindAddress() {
    if (ALL_INTERFACES.equals(bind.strip())) {
      return new InetSocketAddress(0).getAddress();
    }
    try {
      return InetAddress.getByName(bind.strip());
    } catch (UnknownHostException e) {
      throw invalid("--bind", bind, "is not an IP address or host name of this machine");
    }
  }

  private int checkedPort() {
    if (port < 0 || port > 65_535) {
      throw invalid("--port", Integer.toString(port), "is not a port number (0 to 65535)");
    }
    return port;
  }

  private ServerConfig engineConfig() {
    atLeast("--max-sessions", maxSessions, 1);
    atLeast("--max-sessions-per-user", maxSessionsPerUser, 1);
    atLeast("--login-attempts-per-account", loginAttemptsPerAccount, 1);
    atLeast("--login-attempts-per-address", loginAttemptsPerAddress, 1);
    atLeast("--max-pending-operations", maxPendingOperations, 1);
    atLeast("--hash-threads", hashThreads, 1);
    atLeast("--max-peer-links", maxPeerLinks, 1);
    try {
      return ServerConfig.builder()
          .sessionIdleTimeout(sessionIdleTimeout)
          .keepaliveInterval(keepaliveInterval)
          .maxSessions(maxSessions)
          .maxSessionsPerUser(maxSessionsPerUser)
          .loginAttemptsPerAccount(loginAttemptsPerAccount)
          .loginAttemptsPerAddress(loginAttemptsPerAddress)
          .loginWindow(loginWindow)
          .nameQuarantine(nameQuarantine)
          .maxPendingOperations(maxPendingOperations)
          .hashThreads(hashThreads)
          .relayBytesPerSecondPerUser(relayRatePerUser)
          .relayBytesPerSecondTotal(relayRateTotal)
          .maxPeerLinks(maxPeerLinks)
          .build();
    } catch (IllegalArgumentException e) {
      // A combination the engine rejects; its message names the setting.
      throw new ParameterException(spec.commandLine(), "Invalid settings: " + e.getMessage());
    }
  }

  private void atLeast(String option, int value, int min) {
    if (value < min) {
      throw invalid(option, Integer.toString(value), "must be at least " + min);
    }
  }

  private ParameterException invalid(String option, String value, String why) {
    return new ParameterException(spec.commandLine(),
        "Invalid value for option '" + option + "': '" + value + "' " + why);
  }

  /** An address as people write it: {@code 127.0.0.1:7777}, {@code [::1]:7777}. */
  static String format(InetSocketAddress a) {
    InetAddress ip = a.getAddress();
    String host = ip == null ? a.getHostString() : ip.getHostAddress();
    if (ip != null && ip.isAnyLocalAddress()) {
      host = ip instanceof Inet6Address ? "[::]" : "0.0.0.0";
    } else if (ip instanceof Inet6Address) {
      int zone = host.indexOf('%');
      host = "[" + (zone < 0 ? host : host.substring(0, zone)) + "]";
    }
    String s = host + ":" + a.getPort();
    return ip != null && ip.isAnyLocalAddress() ? s + " (all interfaces)" : s;
  }
}
