package org.p2pchat.server.ref;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The shipped unit file agrees with the server it starts. (Its syntax is checked with
 * {@code systemd-analyze verify}; see docs/operations.md.)
 */
class SystemdUnitTest {
  private static final Path UNIT = Path.of("src", "main", "dist", "p2pchat-server.service");

  private static Map<String, String> settings() throws Exception {
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : Files.readAllLines(UNIT)) {
      int eq = line.indexOf('=');
      if (!line.startsWith("#") && eq > 0) {
        m.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return m;
  }

  @Test
  void everyOptionOnItsCommandLineIsAnOptionOfTheServer() throws Exception {
    List<String> exec = Arrays.asList(settings().get("ExecStart").split(" "));
    CommandSpec spec = new CommandLine(new ServerCommand(new FakeServerFactory(), stop -> { })).getCommandSpec();

    assertThat(exec.get(exec.indexOf("-jar") + 1)).endsWith("/p2pchat-server.jar");
    List<String> options = exec.stream().filter(a -> a.startsWith("--")).collect(Collectors.toList());
    assertThat(options).contains("--config", "--db");
    assertThat(options).allSatisfy(o -> assertThat(spec.findOption(o)).as(o).isNotNull());
  }

  @Test
  void theDataLivesInItsStateDirectoryAndTheConfigInItsConfigurationDirectory() throws Exception {
    Map<String, String> unit = settings();
    String exec = unit.get("ExecStart");

    assertThat(exec).contains("--db /var/lib/" + unit.get("StateDirectory") + "/")
        .contains("--config /etc/" + unit.get("ConfigurationDirectory") + "/server.properties");
    assertThat(unit.get("StateDirectoryMode")).isEqualTo("0700");
    assertThat(unit.get("User")).isNotBlank().isNotEqualTo("root");
  }

  @Test
  void sigtermStopsItAndTheStopTimeoutCoversTheDrain() throws Exception {
    Map<String, String> unit = settings();

    assertThat(unit.get("KillSignal")).isEqualTo("SIGTERM");
    // The engine drains requests in flight for up to 10 s, then the store commits and closes.
    assertThat(new DurationConverter().convert(unit.get("TimeoutStopSec"))).isGreaterThanOrEqualTo(Duration.ofSeconds(20));
    assertThat(unit).containsKeys("LimitNOFILE", "NoNewPrivileges", "ProtectSystem", "PrivateTmp");
    assertThat(unit.get("RestartPreventExitStatus")).as("a bad option fails the same way again").isEqualTo("2");
  }
}
