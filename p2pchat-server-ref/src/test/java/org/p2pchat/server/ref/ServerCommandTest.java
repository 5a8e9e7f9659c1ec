package org.p2pchat.server.ref;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.UserName;
import org.p2pchat.api.server.ChatServer;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.protocol.ServerConfig;
import picocli.CommandLine;

class ServerCommandTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final CompletableFuture<IntSupplier> stopAction = new CompletableFuture<>();

  private int run(ServerFactory factory, Map<String, String> env, String... args) {
    CommandLine cl = ServerMain.commandLine(new ServerCommand(factory, stopAction::complete), env);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private int run(String... args) {
    return run(ServerFactory.ENGINE, Map.of(), args);
  }

  @Test
  void helpListsEveryOptionWithItsDefaultTheEnvironmentAndTheExitCodes() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString())
        .contains("--bind=ADDRESS", "--port=PORT", "Default: 7777", "--db=FILE",
            "p2pchat-data", "--log-level=LEVEL", "--synchronous=MODE", "FULL",
            "--session-idle-timeout=DURATION", "Default: 120s", "--max-sessions=N",
            "--login-attempts-per-account=N", "--login-attempts-per-address=N",
            "P2PCHAT_PORT", "P2PCHAT_DB", "Exit codes:", "stopped cleanly");
  }

  @Test
  void versionNamesTheProgramAndTheBuildVersion() {
    assertThat(run("--version")).isZero();
    assertThat(out.toString()).startsWith("p2pchat-server ").doesNotContain("unknown");
  }

  @Test
  void aBadOptionValueIsOneLineNamingTheOptionAndTheValue() {
    assertThat(run("--port", "70000")).isEqualTo(2);
    assertThat(err.toString().lines()).containsExactly(
        "p2pchat-server: Invalid value for option '--port': '70000' is not a port number (0 to 65535) (see --help)");
  }

  @Test
  void anUnknownOptionIsOneLineAndExitsTwo() {
    assertThat(run("--prot", "1")).isEqualTo(2);
    assertThat(err.toString().lines()).hasSize(1).first().asString()
        .startsWith("p2pchat-server: Unknown option").contains("--prot");
  }

  @Test
  void aNonPositiveDurationIsRefusedNamingTheOption() {
    assertThat(run("--login-window", "0s")).isEqualTo(2);
    assertThat(err.toString()).contains("'--login-window'", "'0s'").hasLineCount(1);
  }

  @Test
  void aBadValueFromTheEnvironmentIsRefusedNamingTheOption() {
    assertThat(run(ServerFactory.ENGINE, Map.of("P2PCHAT_MAX_SESSIONS", "0"))).isEqualTo(2);
    assertThat(err.toString()).contains("'--max-sessions'", "'0'").hasLineCount(1);
  }

  @Test
  void aPortInUseIsOneClearLineAndExitsOne() throws Exception {
    try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      int status = run("--bind", "127.0.0.1", "--port", Integer.toString(taken.getLocalPort()),
          "--db", dir.resolve("p2pchat.db").toString());

      assertThat(status).isEqualTo(1);
      assertThat(err.toString().lines()).containsExactly("p2pchat-server: cannot listen on udp 127.0.0.1:"
          + taken.getLocalPort() + ": the port is already in use (another server running?)");
    }
  }

  @Test
  void aDatabasePathThatCannotBeCreatedIsOneClearLineAndExitsOne() throws Exception {
    Path blocker = Files.createFile(dir.resolve("not-a-directory"));

    int status = run("--bind", "127.0.0.1", "--port", "0", "--db", blocker.resolve("p2pchat.db").toString());

    assertThat(status).isEqualTo(1);
    assertThat(err.toString().lines()).containsExactly("p2pchat-server: cannot create the data directory "
        + blocker + ": a file of that name is in the way");
  }

  @Test
  void aDatabasePathThatIsADirectoryIsOneClearLineAndExitsOne() throws Exception {
    Path db = Files.createDirectories(dir.resolve("p2pchat.db"));

    assertThat(run("--port", "0", "--bind", "127.0.0.1", "--db", db.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("is a directory").hasLineCount(1);
  }

  @Test
  void startPrintsWhereItListensAndWhereItsDataLivesAndAStopClosesTheServerBeforeTheStore() throws Exception {
    FakeServerFactory factory = new FakeServerFactory();
    Path db = dir.resolve("data").resolve("chat.db");

    CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() -> run(factory, Map.of(),
        "--bind", "127.0.0.1", "--port", "0", "--db", db.toString()));
    IntSupplier stop = stopAction.get(10, TimeUnit.SECONDS);
    assertThat(stop.getAsInt()).isZero();

    assertThat(status.get(10, TimeUnit.SECONDS)).isZero();
    assertThat(out.toString())
        .contains("listening on udp 127.0.0.1:" + FakeServerFactory.PORT)
        .contains("data in " + db + " (synchronous=FULL)");
    assertThat(Files.isDirectory(db.getParent())).isTrue();
    assertThat(factory.events).containsExactly("started", "server closed while store open");
    assertThat(factory.storeUsable()).as("store closed after the server").isFalse();
  }

  @Test
  void environmentVariablesSetTheEngineLimitsAndTheCommandLineWins() throws Exception {
    FakeServerFactory factory = new FakeServerFactory();
    Map<String, String> env = Map.of(
        "P2PCHAT_SESSION_IDLE_TIMEOUT", "2m",
        "P2PCHAT_MAX_SESSIONS", "50",
        "P2PCHAT_PORT", "1",
        "P2PCHAT_DB", dir.resolve("from-env.db").toString());

    CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() -> run(factory, env,
        "--bind", "127.0.0.1", "--port", "0", "--login-attempts-per-address", "7"));
    stopAction.get(10, TimeUnit.SECONDS).getAsInt();

    assertThat(status.get(10, TimeUnit.SECONDS)).isZero();
    assertThat(factory.bind.getPort()).isZero();
    assertThat(factory.config.sessionIdleTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(factory.config.maxSessions()).isEqualTo(50);
    assertThat(factory.config.loginAttemptsPerAddress()).isEqualTo(7);
    assertThat(factory.config.hashThreads()).isEqualTo(ServerConfig.defaults().hashThreads());
    assertThat(out.toString()).contains("data in " + dir.resolve("from-env.db"));
  }

  @Test
  void theFirstStartCreatesAnOwnerOnlyKeyBesideTheDatabaseAndPrintsItsFingerprintAndARestartKeepsIt()
      throws Exception {
    Path db = dir.resolve("data").resolve("chat.db");
    String first = startAndStop(db);
    Path keyFile = db.resolveSibling("server.key");
    assertThat(keyFile).isRegularFile();
    assertThat(java.nio.file.Files.getPosixFilePermissions(keyFile))
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    org.p2pchat.api.ServerPublicKey key =
        org.p2pchat.protocol.secure.ServerKeyPair.load(keyFile).publicKey();
    assertThat(first).contains("server key " + key.base64() + " (fingerprint " + key.fingerprint() + ")");
    assertThat(first).doesNotContain(java.nio.file.Files.readString(keyFile).strip());

    out.getBuffer().setLength(0);
    assertThat(startAndStop(db)).contains("fingerprint " + key.fingerprint());
  }

  private String startAndStop(Path db) throws Exception {
    CompletableFuture<IntSupplier> stopped = new CompletableFuture<>();
    CommandLine cl = ServerMain.commandLine(new ServerCommand(ServerFactory.ENGINE, stopped::complete), Map.of());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() -> cl.execute(
        "--bind", "127.0.0.1", "--port", "0", "--db", db.toString()));
    assertThat(stopped.get(20, TimeUnit.SECONDS).getAsInt()).isZero();
    assertThat(status.get(20, TimeUnit.SECONDS)).isZero();
    return out.toString();
  }

  @Test
  void plaintextIsRefusedUnlessTheServerBindsLoopback() {
    assertThat(run("--plaintext", "--bind", "*", "--port", "0", "--db", dir.resolve("x.db").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--plaintext", "loopback").hasLineCount(1);
  }

  @Test
  void addressesArePrintedAsPeopleWriteThem() throws Exception {
    assertThat(ServerCommand.format(new InetSocketAddress("127.0.0.1", 7777))).isEqualTo("127.0.0.1:7777");
    assertThat(ServerCommand.format(new InetSocketAddress("::1", 7777))).isEqualTo("[0:0:0:0:0:0:0:1]:7777");
    assertThat(ServerCommand.format(new InetSocketAddress(InetAddress.getByName("::"), 7777)))
        .isEqualTo("[::]:7777 (all interfaces)");
    assertThat(ServerCommand.format(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 7777)))
        .isEqualTo("0.0.0.0:7777 (all interfaces)");
  }

  /** Starts a fake server that records what it was given and in which order things close. */
  private static final class FakeServerFactory implements ServerFactory {
    static final int PORT = 45_678;
    final List<String> events = new ArrayList<>();
    volatile ChatStore store;
    volatile InetSocketAddress bind;
    volatile ServerConfig config;

    @Override
    public ChatServer start(ChatStore store, InetSocketAddress bind, ServerConfig config) {
      this.store = store;
      this.bind = bind;
      this.config = config;
      events.add("started");
      return new ChatServer() {
        @Override
        public InetSocketAddress localAddress() {
          return new InetSocketAddress(bind.getAddress(), PORT);
        }

        @Override
        public void close() {
          events.add(storeUsable() ? "server closed while store open" : "server closed after store");
        }
      };
    }

    boolean storeUsable() {
      try {
        store.findUser(UserName.of("probe")).get(5, TimeUnit.SECONDS);
        return true;
      } catch (Exception e) {
        return false;
      }
    }
  }
}
