package org.p2pchat.server.ref;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --config FILE}: every option, with the command line, then the environment, winning over it. */
class ConfigFileTest {
  @TempDir Path dir;

  private final FakeServerFactory factory = new FakeServerFactory();

  private Path config(String... lines) throws Exception {
    return Files.writeString(dir.resolve("server.properties"), String.join("\n", lines) + "\n");
  }

  @Test
  void theFileSetsOptionsTheEnvironmentWinsOverItAndTheCommandLineWinsOverBoth() throws Exception {
    Path file = config(
        "# the chat server",
        "bind = 127.0.0.1",
        "port = 1111",
        "db = " + dir.resolve("from-file.db"),
        "max-sessions = 10",
        "max-sessions-per-user = 3",
        "session-idle-timeout = 5m",
        "login-window = 90s");
    CommandRun command = new CommandRun(factory, Map.of(
        "P2PCHAT_MAX_SESSIONS", "20",
        "P2PCHAT_MAX_SESSIONS_PER_USER", "4",
        "P2PCHAT_PORT", "2222"));

    assertThat(command.startAndStop("--config", file.toString(), "--max-sessions-per-user", "5", "--port", "0"))
        .isZero();

    assertThat(factory.bind.getAddress().getHostAddress()).as("file").isEqualTo("127.0.0.1");
    assertThat(factory.config.sessionIdleTimeout()).as("file").isEqualTo(Duration.ofMinutes(5));
    assertThat(factory.config.loginWindow()).as("file").isEqualTo(Duration.ofSeconds(90));
    assertThat(factory.config.maxSessions()).as("environment over file").isEqualTo(20);
    assertThat(factory.config.maxSessionsPerUser()).as("command line over environment and file").isEqualTo(5);
    assertThat(factory.bind.getPort()).as("command line over environment and file").isZero();
    assertThat(factory.config.hashThreads()).as("default").isEqualTo(org.p2pchat.protocol.ServerConfig.defaults().hashThreads());
    assertThat(command.out.toString())
        .contains("data in " + dir.resolve("from-file.db"))
        .contains("config from " + file);
  }

  @Test
  void theEnvironmentCanNameTheFileAndTheCommandLineWinsOverIt() throws Exception {
    Path fromEnv = Files.writeString(dir.resolve("env.properties"), "bind = 127.0.0.1\nport = 0\nmax-sessions = 11\n");
    Path fromArgs = Files.writeString(dir.resolve("args.properties"), "bind = 127.0.0.1\nport = 0\nmax-sessions = 12\n");
    Map<String, String> env = Map.of("P2PCHAT_CONFIG", fromEnv.toString(), "P2PCHAT_DB", dir.resolve("c.db").toString());

    assertThat(new CommandRun(factory, env).startAndStop()).isZero();
    assertThat(factory.config.maxSessions()).isEqualTo(11);

    assertThat(new CommandRun(factory, env).startAndStop("--config", fromArgs.toString())).isZero();
    assertThat(factory.config.maxSessions()).isEqualTo(12);
  }

  @Test
  void flagsAndEnumsAreWrittenAsOnTheCommandLine() throws Exception {
    Path file = config("bind = 127.0.0.1", "port = 0", "db = " + dir.resolve("c.db"), "plaintext = true",
        "synchronous = normal", "log-level = warn", "log-format = plain");
    CommandRun command = new CommandRun(factory, Map.of());

    assertThat(command.startAndStop("--config", file.toString())).isZero();

    assertThat(factory.keys).as("plaintext: no key").isNull();
    assertThat(command.out.toString()).contains("PLAINTEXT", "(synchronous=NORMAL)");
  }

  @Test
  void anUnknownKeyIsAnErrorNamingTheKeyAndTheFileAndNothingIsCreated() throws Exception {
    Path file = config("port = 0", "sesion-idle-timeout = 2m");
    CommandRun command = new CommandRun(factory, Map.of());

    assertThat(command.run("--config", file.toString(), "--db", dir.resolve("data").resolve("c.db").toString()))
        .isEqualTo(2);

    assertThat(command.err.toString().lines()).containsExactly("p2pchat-server: unknown key 'sesion-idle-timeout' "
        + "in the config file " + file + " (its keys are the long option names without '--', such as port or db)"
        + " (see --help)");
    assertThat(dir.resolve("data")).doesNotExist();
    assertThat(factory.events).isEmpty();
  }

  @Test
  void keysAreTheBareOptionNamesNotTheDashedOnesNorHelpVersionOrConfig() throws Exception {
    for (String line : new String[] {"--port = 0", "help = true", "version = true", "config = other.properties"}) {
      CommandRun command = new CommandRun(factory, Map.of());
      assertThat(command.run("--config", config(line).toString())).as(line).isEqualTo(2);
      assertThat(command.err.toString()).as(line).contains("config file").hasLineCount(1);
    }
  }

  @Test
  void aMissingFileIsAnError() {
    Path missing = dir.resolve("nope.properties");
    CommandRun command = new CommandRun(factory, Map.of());

    assertThat(command.run("--config", missing.toString())).isEqualTo(2);

    assertThat(command.err.toString().lines()).containsExactly(
        "p2pchat-server: the config file " + missing + " does not exist (see --help)");
  }

  @Test
  void aBadValueInTheFileIsRefusedNamingTheOptionAndTheValue() throws Exception {
    CommandRun command = new CommandRun(factory, Map.of());

    assertThat(command.run("--config", config("max-sessions = 0").toString())).isEqualTo(2);

    assertThat(command.err.toString()).contains("'--max-sessions'", "'0'").hasLineCount(1);
  }

  @Test
  void aBlankValueCountsAsNotSet() throws Exception {
    Path file = config("bind = 127.0.0.1", "port = 0", "db = " + dir.resolve("c.db"), "max-sessions =");

    assertThat(new CommandRun(factory, Map.of()).startAndStop("--config", file.toString())).isZero();

    assertThat(factory.config.maxSessions()).isEqualTo(org.p2pchat.protocol.ServerConfig.defaults().maxSessions());
  }

  @Test
  void theSampleConfigFileShippedWithTheServerNamesEveryOptionAndParses() throws Exception {
    Path sample = Path.of("src", "main", "dist", "server.properties");
    String text = Files.readString(sample);
    Set<String> keys = EnvDefaults.keys(new CommandLine(new ServerCommand(factory, stop -> { })).getCommandSpec());

    // Every option appears in it, commented out with its default.
    Properties commentedIn = new Properties();
    commentedIn.load(new java.io.StringReader(text.lines()
        .map(l -> l.startsWith("#") && l.contains(" = ") ? l.substring(1).strip() : "")
        .collect(Collectors.joining("\n"))));
    assertThat(commentedIn.stringPropertyNames()).containsExactlyInAnyOrderElementsOf(keys);
    ServerCommand.builtInDefaults().forEach((option, value) ->
        assertThat(commentedIn.getProperty(ConfigFile.key(option))).as(option).isEqualTo(value));

    // As shipped, it sets nothing and is accepted.
    assertThat(ConfigFile.load(sample, keys).value("--port")).isNull();
  }
}
