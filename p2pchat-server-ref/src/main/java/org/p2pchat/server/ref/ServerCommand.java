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
import java.util.Map;
import java.util.concurrent.Callable;
import org.p2pchat.api.server.ChatServer;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.protocol.ChatServers;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.secure.ServerKeyPair;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code p2pchat-server} command: reads the options, opens the store, starts the engine,
 * prints where it listens and where its data lives, and runs until the process is asked to
 * stop.
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
          + "embedded SQLite database.",
      "Stop it with Ctrl-C or SIGTERM: it finishes the requests in flight, flushes the database "
          + "and exits 0.",
      ""
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped cleanly (Ctrl-C or SIGTERM)",
      "1:could not start (port in use, database not writable, ...) or did not stop cleanly",
      "2:bad option or option value"
    },
    footerHeading = "%nEnvironment:%n",
    footer = {
      "Every option can be set from the environment: P2PCHAT_ and the option's name in upper "
          + "case with '-' as '_', for example P2PCHAT_PORT, P2PCHAT_BIND, P2PCHAT_DB, "
          + "P2PCHAT_LOG_LEVEL, P2PCHAT_SESSION_IDLE_TIMEOUT. An option on the command line wins.",
      "Durations are written like 500ms, 30s, 2m or 1h."
    })
public final class ServerCommand implements Callable<Integer> {

  /** What {@code --bind} takes to mean every interface, IPv4 and IPv6. */
  public static final String ALL_INTERFACES = "*";

  @Spec CommandSpec spec;

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

  @Option(names = "--log-level", paramLabel = "LEVEL",
      description = "One of ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}")
  LogLevel logLevel;

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

  @Option(names = "--max-pending-operations", paramLabel = "N",
      description = "Most requests waiting for the database at once; beyond, 'server busy'. Default: ${DEFAULT-VALUE}")
  int maxPendingOperations;

  @Option(names = "--hash-threads", paramLabel = "N",
      description = "Threads hashing passwords (each hash holds ~19 MiB for ~50 ms). Default: ${DEFAULT-VALUE}")
  int hashThreads;

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
    m.put("--session-idle-timeout", DurationConverter.format(d.sessionIdleTimeout()));
    m.put("--keepalive-interval", DurationConverter.format(d.keepaliveInterval()));
    m.put("--max-sessions", Integer.toString(d.maxSessions()));
    m.put("--max-sessions-per-user", Integer.toString(d.maxSessionsPerUser()));
    m.put("--login-attempts-per-account", Integer.toString(d.loginAttemptsPerAccount()));
    m.put("--login-attempts-per-address", Integer.toString(d.loginAttemptsPerAddress()));
    m.put("--login-window", DurationConverter.format(d.loginWindow()));
    m.put("--max-pending-operations", Integer.toString(d.maxPendingOperations()));
    m.put("--hash-threads", Integer.toString(d.hashThreads()));
    return m;
  }

  @Override
  public Integer call() throws StartupException {
    logLevel.apply();
    InetSocketAddress address = new InetSocketAddress(bindAddress(), checkedPort());
    ServerConfig config = engineConfig();
    Logger log = LoggerFactory.getLogger(ServerCommand.class);

    if (plaintext && !address.getAddress().isLoopbackAddress()) {
      throw invalid("--plaintext", "true", "is refused on " + format(address)
          + ": it is allowed on a loopback address only (--bind 127.0.0.1 or ::1), as passwords would cross the network in the clear");
    }
    Path db = database.toAbsolutePath().normalize();
    ChatStore store = StoreOpener.open(db, syncMode);
    ServerKeyPair keys = plaintext ? null : keys(store, db);
    ChatServer server = start(store, address, config, keys);
    ServerLifecycle lifecycle = new ServerLifecycle(server, store);
    shutdownHooks.register(lifecycle::stop);

    PrintWriter out = spec.commandLine().getOut();
    out.println("p2pchat server " + VersionProvider.version());
    out.println("listening on udp " + format(server.localAddress()));
    if (keys != null) {
      out.println("server key " + keys.publicKey().base64() + " (fingerprint " + keys.publicKey().fingerprint() + ")");
    } else {
      out.println("PLAINTEXT: no secure channel (loopback only, for measurements)");
    }
    out.println("data in " + db + " (synchronous=" + syncMode + ")");
    out.println("stop with Ctrl-C");
    out.flush();
    log.info("started: udp {}, database {}, synchronous={}, {}", format(server.localAddress()), db, syncMode, config);
    return lifecycle.awaitStopped();
  }

  /** The key pair in --key-file (server.key beside the database by default), made on first start. */
  private ServerKeyPair keys(ChatStore store, Path db) throws StartupException {
    Path file = keyFile != null ? keyFile.toAbsolutePath().normalize() : db.resolveSibling("server.key");
    try {
      return ServerKeyPair.loadOrGenerate(file);
    } catch (IOException | RuntimeException e) {
      store.close();
      throw new StartupException("cannot load or create the server key " + file + ": " + e.getMessage(), e);
    }
  }

  private ChatServer start(ChatStore store, InetSocketAddress address, ServerConfig config, ServerKeyPair keys)
      throws StartupException {
    try {
      return serverFactory.start(store, address, config, keys);
    } catch (BindException e) {
      store.close();
      String why = String.valueOf(e.getMessage());
      if (why.toLowerCase(java.util.Locale.ROOT).contains("in use")) {
        throw new StartupException("cannot listen on udp " + format(address)
            + ": the port is already in use (another server running?)", e);
      }
      throw new StartupException("cannot listen on udp " + format(address) + ": " + why, e);
    } catch (IOException e) {
      store.close();
      throw new StartupException("cannot listen on udp " + format(address) + ": " + e.getMessage(), e);
    } catch (UnsupportedOperationException e) {
      store.close();
      throw new StartupException("this build has no server engine: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      store.close();
      throw e;
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
    try {
      return ServerConfig.builder()
          .sessionIdleTimeout(sessionIdleTimeout)
          .keepaliveInterval(keepaliveInterval)
          .maxSessions(maxSessions)
          .maxSessionsPerUser(maxSessionsPerUser)
          .loginAttemptsPerAccount(loginAttemptsPerAccount)
          .loginAttemptsPerAddress(loginAttemptsPerAddress)
          .loginWindow(loginWindow)
          .maxPendingOperations(maxPendingOperations)
          .hashThreads(hashThreads)
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
