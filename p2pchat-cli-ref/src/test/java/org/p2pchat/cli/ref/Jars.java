package org.p2pchat.cli.ref;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the two shaded jars as separate processes, as a user would: the server until it is
 * stopped, the CLI once per command. The jars' paths come from the failsafe configuration.
 */
final class Jars {
  private static final Pattern LISTENING = Pattern.compile("listening on udp (\\S+):(\\d+)");
  private static final String EOF = "\u0000eof";

  private Jars() {}

  static Path serverJar() {
    return jar("p2pchat.server.jar", "../p2pchat-server-ref/target/p2pchat-server.jar");
  }

  static Path cliJar() {
    return jar("p2pchat.cli.jar", "target/p2pchat-cli.jar");
  }

  private static Path jar(String property, String fallback) {
    Path jar = Path.of(System.getProperty(property, fallback));
    assertThat(jar).as("built by mvn package").isRegularFile();
    return jar;
  }

  private static List<String> java(Path jar, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    return command;
  }

  /** What a finished process printed, and how it exited. */
  static final class Result {
    final int exitCode;
    final String out;
    final String err;

    Result(int exitCode, String out, String err) {
      this.exitCode = exitCode;
      this.out = out;
      this.err = err;
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\nstdout:\n" + out + "stderr:\n" + err;
    }
  }

  /** Runs a jar to completion (at most a minute) with {@code env} added to the environment. */
  static Result run(Path jar, Path workDir, Map<String, String> env, String... args) throws Exception {
    Path out = Files.createTempFile(workDir, "out", ".txt");
    Path err = Files.createTempFile(workDir, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(java(jar, args))
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .redirectOutput(out.toFile())
        .redirectError(err.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("P2PCHAT_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("still running after 60 s: " + pb.command());
    }
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  /**
   * Runs the CLI, with its known hosts file in {@code workDir} (unless {@code env} names one)
   * so that no test touches the user's own.
   */
  static Result cli(Path workDir, Map<String, String> env, String... args) throws Exception {
    Map<String, String> withKnownHosts = new java.util.HashMap<>(env);
    withKnownHosts.putIfAbsent("P2PCHAT_KNOWN_HOSTS", workDir.resolve("known_hosts").toString());
    return run(cliJar(), workDir, withKnownHosts, args);
  }

  /** A running server process. */
  static final class Server implements AutoCloseable {
    final Process process;
    final InetSocketAddress address;
    private final StringBuilder stdout = new StringBuilder();

    private Server(Process process, InetSocketAddress address) {
      this.process = process;
      this.address = address;
    }

    /** {@code host:port}, for the CLI's --server. */
    String hostPort() {
      return address.getHostString() + ":" + address.getPort();
    }

    /**
     * Starts the server jar on 127.0.0.1, a free port and {@code db}, and waits for the line
     * that says where it listens.
     */
    static Server start(Path db, String... extraArgs) throws Exception {
      List<String> args = new ArrayList<>(List.of("--bind", "127.0.0.1", "--port", "0", "--db", db.toString()));
      args.addAll(List.of(extraArgs));
      ProcessBuilder pb = new ProcessBuilder(java(serverJar(), args.toArray(new String[0])))
          .redirectErrorStream(true);
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
      StringBuilder seen = new StringBuilder();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (true) {
        String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null || line.equals(EOF)) {
          p.destroyForcibly();
          throw new AssertionError("the server did not start; it printed:\n" + seen);
        }
        seen.append(line).append('\n');
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          Server s = new Server(p, new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2))));
          s.stdout.append(seen);
          return s;
        }
      }
    }

    /** Sends SIGTERM and waits for the exit status. */
    int stop() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("the server did not stop within 30 s of SIGTERM");
      }
      return process.exitValue();
    }

    @Override
    public void close() {
      if (process.isAlive()) {
        process.destroyForcibly();
      }
    }
  }
}
