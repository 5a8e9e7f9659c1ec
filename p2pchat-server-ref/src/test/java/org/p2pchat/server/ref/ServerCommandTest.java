package org.p2pchat.server.ref;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.ServerPublicKey;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.secure.ServerKeyPair;

class ServerCommandTest {
  @TempDir Path dir;

  private CommandRun command = new CommandRun(ServerFactory.ENGINE, Map.of());

  private int run(String... args) {
    return command.run(args);
  }

  private String out() {
    return command.out.toString();
  }

  private String err() {
    return command.err.toString();
  }

  @Test
  void helpListsEveryOptionWithItsDefaultTheEnvironmentTheConfigFileAndTheExitCodes() {
    assertThat(run("--help")).isZero();
    assertThat(out())
        .contains("--config=FILE", "--bind=ADDRESS", "--port=PORT", "Default: 7777", "--db=FILE",
            "p2pchat-data", "--log-level=LEVEL", "--log-format=FORMAT", "Default: PLAIN",
            "--synchronous=MODE", "FULL", "--session-idle-timeout=DURATION", "Default: 120s",
            "--max-sessions=N", "--login-attempts-per-account=N", "--login-attempts-per-address=N",
            "P2PCHAT_PORT", "P2PCHAT_DB", "P2PCHAT_CONFIG", "session-idle-timeout = 2m",
            "The command line wins over the environment, which wins over the config file",
            "Exit codes:", "stopped cleanly");
  }

  @Test
  void versionNamesTheProgramAndTheBuildVersion() {
    assertThat(run("--version")).isZero();
    assertThat(out()).startsWith("p2pchat-server ").doesNotContain("unknown");
  }

  @Test
  void aBadOptionValueIsOneLineNamingTheOptionAndTheValue() {
    assertThat(run("--port", "70000")).isEqualTo(2);
    assertThat(err().lines()).containsExactly(
        "p2pchat-server: Invalid value for option '--port': '70000' is not a port number (0 to 65535) (see --help)");
  }

  @Test
  void anUnknownOptionIsOneLineAndExitsTwo() {
    assertThat(run("--prot", "1")).isEqualTo(2);
    assertThat(err().lines()).hasSize(1).first().asString()
        .startsWith("p2pchat-server: Unknown option").contains("--prot");
  }

  @Test
  void aNonPositiveDurationIsRefusedNamingTheOption() {
    assertThat(run("--login-window", "0s")).isEqualTo(2);
    assertThat(err()).contains("'--login-window'", "'0s'").hasLineCount(1);
  }

  @Test
  void aBadValueFromTheEnvironmentIsRefusedNamingTheOption() {
    command = new CommandRun(ServerFactory.ENGINE, Map.of("P2PCHAT_MAX_SESSIONS", "0"));
    assertThat(run()).isEqualTo(2);
    assertThat(err()).contains("'--max-sessions'", "'0'").hasLineCount(1);
  }

  @Test
  void aLogFormatIsOneOfPlainAndJsonInAnyCase() {
    assertThat(run("--log-format", "xml")).isEqualTo(2);
    assertThat(err()).contains("--log-format", "xml", "PLAIN", "JSON").hasLineCount(1);
  }

  @Test
  void startPrintsWhereItListensAndWhereItsDataLivesAndAStopClosesTheServerBeforeTheStore() throws Exception {
    FakeServerFactory factory = new FakeServerFactory();
    command = new CommandRun(factory, Map.of());
    Path db = dir.resolve("data").resolve("chat.db");

    assertThat(command.startAndStop("--bind", "127.0.0.1", "--port", "0", "--db", db.toString())).isZero();

    assertThat(out())
        .contains("listening on udp 127.0.0.1:" + FakeServerFactory.PORT)
        .contains("data in " + db + " (synchronous=FULL)")
        .doesNotContain("config from");
    assertThat(Files.isDirectory(db.getParent())).isTrue();
    assertThat(factory.events).containsExactly("bound", "started", "server closed while store open");
    assertThat(factory.storeUsable()).as("store closed after the server").isFalse();
  }

  @Test
  void theSocketIsBoundBeforeTheDataDirectoryIsCreated() throws Exception {
    Path data = dir.resolve("data");
    FakeServerFactory factory = new FakeServerFactory() {
      @Override
      public org.p2pchat.api.transport.Transport bind(InetSocketAddress address, boolean secure) {
        events.add(Files.exists(data) ? "bound after the data directory" : "bound before the data directory");
        return super.bind(address, secure);
      }
    };
    command = new CommandRun(factory, Map.of());

    assertThat(command.startAndStop("--bind", "127.0.0.1", "--port", "0", "--db", data.resolve("chat.db").toString()))
        .isZero();
    assertThat(factory.events).startsWith("bound before the data directory");
  }

  @Test
  void environmentVariablesSetTheEngineLimitsAndTheCommandLineWins() throws Exception {
    FakeServerFactory factory = new FakeServerFactory();
    command = new CommandRun(factory, Map.of(
        "P2PCHAT_SESSION_IDLE_TIMEOUT", "2m",
        "P2PCHAT_MAX_SESSIONS", "50",
        "P2PCHAT_PORT", "1",
        "P2PCHAT_DB", dir.resolve("from-env.db").toString()));

    assertThat(command.startAndStop("--bind", "127.0.0.1", "--port", "0", "--login-attempts-per-address", "7"))
        .isZero();

    assertThat(factory.bind.getPort()).isZero();
    assertThat(factory.config.sessionIdleTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(factory.config.maxSessions()).isEqualTo(50);
    assertThat(factory.config.loginAttemptsPerAddress()).isEqualTo(7);
    assertThat(factory.config.hashThreads()).isEqualTo(ServerConfig.defaults().hashThreads());
    assertThat(out()).contains("data in " + dir.resolve("from-env.db"));
  }

  @Test
  void helpSaysWhatTheRelayIsAndShowsItsBoundsDefaults() {
    assertThat(run("--help")).isZero();
    assertThat(out().replaceAll("\\s+", " ")).as("the help text, its lines joined")
        .contains("--relay-rate-per-user=RATE", "--relay-rate-total=RATE", "--max-peer-links=N",
            "contacts' devices that cannot reach each other", "mostly files", "0 turns the relay off",
            "Default: 2MiB", "Default: 32MiB", "Default: 65536");
  }

  @Test
  void relayRatesTakeBytesOrUnitsAndReachTheEngineWithThePeerLinkBound() throws Exception {
    FakeServerFactory factory = new FakeServerFactory();
    command = new CommandRun(factory, Map.of("P2PCHAT_RELAY_RATE_TOTAL", "10MB"));

    assertThat(command.startAndStop("--bind", "127.0.0.1", "--port", "0", "--db", dir.resolve("chat.db").toString(),
        "--relay-rate-per-user", "500KiB", "--max-peer-links", "100")).isZero();

    assertThat(factory.config.relayBytesPerSecondPerUser()).isEqualTo(500L * 1024);
    assertThat(factory.config.relayBytesPerSecondTotal()).isEqualTo(10_000_000L);
    assertThat(factory.config.maxPeerLinks()).isEqualTo(100);
    assertThat(factory.config.maxPeerLinksPerSession()).isEqualTo(ServerConfig.defaults().maxPeerLinksPerSession());
    assertThat(out()).contains("relay up to 500KiB/s per user, 10000000/s in all");
  }

  @Test
  void theRelayIsOnWithTheEngineDefaultsUnlessARateIsZero() throws Exception {
    FakeServerFactory factory = new FakeServerFactory();
    command = new CommandRun(factory, Map.of());
    assertThat(command.startAndStop("--bind", "127.0.0.1", "--port", "0", "--db", dir.resolve("a.db").toString()))
        .isZero();
    assertThat(factory.config.relayBytesPerSecondPerUser()).isEqualTo(ServerConfig.defaults().relayBytesPerSecondPerUser());
    assertThat(factory.config.relayBytesPerSecondTotal()).isEqualTo(ServerConfig.defaults().relayBytesPerSecondTotal());
    assertThat(factory.config.maxPeerLinks()).isEqualTo(ServerConfig.defaults().maxPeerLinks());
    assertThat(out()).contains("relay up to 2MiB/s per user, 32MiB/s in all");

    factory = new FakeServerFactory();
    command = new CommandRun(factory, Map.of());
    assertThat(command.startAndStop("--bind", "127.0.0.1", "--port", "0", "--db", dir.resolve("b.db").toString(),
        "--relay-rate-per-user", "0")).isZero();
    assertThat(factory.config.relayBytesPerSecondPerUser()).isZero();
    assertThat(out()).contains("relay off");
  }

  @Test
  void aBadRelayRateOrPeerLinkBoundIsRefusedNamingTheOptionAndTheValue() {
    assertThat(run("--relay-rate-per-user", "2Mbit")).isEqualTo(2);
    assertThat(err()).contains("'--relay-rate-per-user'", "'2Mbit'", "is not a rate in bytes a second").hasLineCount(1);

    command = new CommandRun(ServerFactory.ENGINE, Map.of());
    assertThat(run("--relay-rate-total", "-1")).isEqualTo(2);
    assertThat(err()).contains("'--relay-rate-total'", "'-1'").hasLineCount(1);

    command = new CommandRun(ServerFactory.ENGINE, Map.of());
    assertThat(run("--relay-rate-total", "99999999999999GiB")).isEqualTo(2);
    assertThat(err()).contains("'--relay-rate-total'", "too large").hasLineCount(1);

    command = new CommandRun(ServerFactory.ENGINE, Map.of("P2PCHAT_MAX_PEER_LINKS", "0"));
    assertThat(run()).isEqualTo(2);
    assertThat(err()).contains("'--max-peer-links'", "'0'", "at least 1").hasLineCount(1);
  }

  @Test
  void ratesAreReadInBytesKibibytesOrKilobytesAndFormattedBackInTheLargestBinaryUnit() {
    RateConverter rates = new RateConverter();
    assertThat(rates.convert("2097152")).isEqualTo(2L * 1024 * 1024);
    assertThat(rates.convert("2MiB")).isEqualTo(2L * 1024 * 1024);
    assertThat(rates.convert("2 mib/s")).isEqualTo(2L * 1024 * 1024);
    assertThat(rates.convert("500KiB")).isEqualTo(512_000L);
    assertThat(rates.convert("10MB")).isEqualTo(10_000_000L);
    assertThat(rates.convert("1GiB")).isEqualTo(1L << 30);
    assertThat(rates.convert("64B")).isEqualTo(64L);
    assertThat(rates.convert("0")).isZero();
    assertThat(RateConverter.format(2L * 1024 * 1024)).isEqualTo("2MiB");
    assertThat(RateConverter.format(32L * 1024 * 1024)).isEqualTo("32MiB");
    assertThat(RateConverter.format(512_000)).isEqualTo("500KiB");
    assertThat(RateConverter.format(10_000_000)).isEqualTo("10000000");
    assertThat(RateConverter.format(0)).isEqualTo("0");
    for (long r : new long[] {0, 1, 1000, 1024, 1536, 3L << 30}) {
      assertThat(rates.convert(RateConverter.format(r))).isEqualTo(r);
    }
  }

  @Test
  void theFirstStartCreatesAnOwnerOnlyKeyBesideTheDatabaseAndPrintsItsFingerprintAndARestartKeepsIt()
      throws Exception {
    Path db = dir.resolve("data").resolve("chat.db");
    String[] args = {"--bind", "127.0.0.1", "--port", "0", "--db", db.toString()};
    assertThat(command.startAndStop(args)).isZero();
    String first = out();
    Path keyFile = db.resolveSibling("server.key");
    assertThat(keyFile).isRegularFile();
    assertThat(Files.getPosixFilePermissions(keyFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    ServerPublicKey key = ServerKeyPair.load(keyFile).publicKey();
    assertThat(first).contains("server key " + key.base64() + " (fingerprint " + key.fingerprint() + ")");
    assertThat(first).doesNotContain(Files.readString(keyFile).strip());

    command = new CommandRun(ServerFactory.ENGINE, Map.of());
    assertThat(command.startAndStop(args)).isZero();
    assertThat(out()).contains("fingerprint " + key.fingerprint());
  }

  @Test
  void aKeyFileElsewhereIsCreatedThereAndTheDataDirectoryHoldsNone() throws Exception {
    Path db = dir.resolve("data").resolve("chat.db");
    Path keys = Files.createDirectory(dir.resolve("keys"));
    FakeServerFactory factory = new FakeServerFactory();
    command = new CommandRun(factory, Map.of());

    assertThat(command.startAndStop("--bind", "127.0.0.1", "--port", "0", "--db", db.toString(),
        "--key-file", keys.resolve("chat.key").toString())).isZero();

    assertThat(ServerKeyPair.load(keys.resolve("chat.key")).publicKey()).isEqualTo(factory.keys.publicKey());
    assertThat(db.resolveSibling("server.key")).doesNotExist();
  }

  @Test
  void plaintextIsRefusedUnlessTheServerBindsLoopback() {
    assertThat(run("--plaintext", "--bind", "*", "--port", "0", "--db", dir.resolve("x.db").toString())).isEqualTo(2);
    assertThat(err()).contains("--plaintext", "loopback").hasLineCount(1);
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
}
