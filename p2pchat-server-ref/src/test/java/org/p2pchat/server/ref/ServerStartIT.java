package org.p2pchat.server.ref;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.protocol.secure.ServerKeyPair;

/** The shaded jar as an operator runs it: its log lines on stderr, plain or JSON, and nothing secret in them. */
class ServerStartIT {
  private static final String EOF = "\u0000eof";

  @TempDir Path dir;

  @Test
  void jsonLogLinesParseCarryLevelLoggerMessageAndTimestampAndTheStartLogsNoKeyMaterial() throws Exception {
    Run run = startAndTerm("--log-format", "json", "--log-level", "trace");

    assertThat(run.exitCode).as(run.toString()).isZero();
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : run.err.lines().toList()) {
      JsonNode node = json.readTree(line);
      assertThat(node.isObject()).as(line).isTrue();
      for (String field : new String[] {"timestamp", "level", "loggerName", "message", "formattedMessage"}) {
        assertThat(node.has(field)).as(field + " in " + line).isTrue();
      }
      lines.add(node);
    }
    assertThat(lines).anySatisfy(l -> {
      assertThat(l.get("level").asText()).isEqualTo("INFO");
      assertThat(l.get("loggerName").asText()).isEqualTo(ServerCommand.class.getName());
      assertThat(l.get("formattedMessage").asText()).startsWith("started: udp 127.0.0.1:");
      assertThat(l.get("timestamp").asLong()).isPositive();
    });
    assertThat(lines).anySatisfy(l -> assertThat(l.get("formattedMessage").asText()).isEqualTo("stopped"));

    ServerKeyPair keys = ServerKeyPair.load(dir.resolve("data").resolve("server.key"));
    byte[] secret = keys.privateKey();
    for (String form : new String[] {Base64.getEncoder().encodeToString(secret),
        Base64.getUrlEncoder().withoutPadding().encodeToString(secret), HexFormat.of().formatHex(secret)}) {
      assertThat(run.err).as("stderr").doesNotContainIgnoringCase(form);
      assertThat(run.out).as("stdout").doesNotContainIgnoringCase(form);
    }
    assertThat(run.out).contains("server key " + keys.publicKey().base64());
  }

  @Test
  void plainLogLinesAreTheDefault() throws Exception {
    Run run = startAndTerm();

    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.err.lines().toList()).isNotEmpty().allSatisfy(line -> assertThat(line).matches(
        "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) \\[[^]]+\\] (INFO|WARN) \\w+ - .+"));
    assertThat(run.err).contains(" INFO ServerCommand - started: udp 127.0.0.1:", " INFO ServerLifecycle - stopped");
  }

  /** What a server process printed before and after SIGTERM, and how it exited. */
  private static final class Run {
    final int exitCode;
    final String out;
    final String err;

    Run(int exitCode, String out, String err) {
      this.exitCode = exitCode;
      this.out = out;
      this.err = err;
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\nstdout:\n" + out + "stderr:\n" + err;
    }
  }

  /**
   * Runs the jar on loopback, a free port and a new data directory, waits until it says it
   * listens, sends SIGTERM and waits for it to exit.
   */
  private Run startAndTerm(String... extraArgs) throws Exception {
    Path jar = Path.of(System.getProperty("p2pchat.server.jar", "target/p2pchat-server.jar"));
    assertThat(jar).as("built by mvn package").isRegularFile();
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", jar.toString(), "--bind", "127.0.0.1", "--port", "0", "--db", dir.resolve("data").resolve("chat.db").toString()));
    command.addAll(List.of(extraArgs));
    Path err = dir.resolve("stderr.txt");
    ProcessBuilder pb = new ProcessBuilder(command).redirectError(err.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("P2PCHAT_"));
    Process p = pb.start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          lines.add(line);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        lines.add(EOF);
      }
    }, "server-stdout");
    reader.setDaemon(true);
    reader.start();
    StringBuilder out = new StringBuilder();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (true) {
        String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null || line.equals(EOF)) {
          throw new AssertionError("the server did not start; stdout:\n" + out + "stderr:\n" + Files.readString(err));
        }
        out.append(line).append('\n');
        if (line.startsWith("stop with")) {
          break;
        }
      }
      // SIGTERM through the handle: Process.destroy() would also close the pipes the reader reads.
      p.toHandle().destroy();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
      reader.join(TimeUnit.SECONDS.toMillis(10));
    } finally {
      p.destroyForcibly();
    }
    for (String line = lines.poll(); line != null && !line.equals(EOF); line = lines.poll()) {
      out.append(line).append('\n');
    }
    return new Run(p.exitValue(), out.toString(), Files.readString(err));
  }
}
