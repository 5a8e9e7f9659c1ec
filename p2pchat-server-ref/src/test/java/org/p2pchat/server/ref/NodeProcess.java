package org.p2pchat.server.ref;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.p2pchat.api.ServerPublicKey;

/**
 * The server jar as a process of its own, as an operator runs it: one node of a cluster, which a
 * test may SIGKILL. Ready once it printed where it listens and its key; its output goes to a log.
 */
final class NodeProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on udp (\\S+):(\\d+)");
  private static final Pattern KEY = Pattern.compile("server key (\\S+)");
  private static final String EOF = "\u0000eof";

  final Process process;
  final InetSocketAddress address;
  final ServerPublicKey key;

  private NodeProcess(Process process, InetSocketAddress address, ServerPublicKey key) {
    this.process = process;
    this.address = address;
    this.key = key;
  }

  /** The server jar the build made (the failsafe plugin names it). */
  static Path jar() {
    String jar = System.getProperty("p2pchat.server.jar");
    return jar != null ? Path.of(jar) : Path.of("target", "p2pchat-server.jar");
  }

  /**
   * Starts {@code java -jar p2pchat-server.jar args} with {@code env} as its only P2PCHAT_
   * variables, and waits up to 60 s (a loaded machine) for it to say where it listens.
   */
  static NodeProcess start(Path log, Map<String, String> env, List<String> jvm, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvm);
    command.addAll(List.of("-jar", jar().toAbsolutePath().toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("P2PCHAT_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
          var out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
              StandardOpenOption.APPEND)) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          lines.add(line);
          out.write(line);
          out.newLine();
          out.flush();
        }
      } catch (IOException e) {
        lines.add("(output ended: " + e.getMessage() + ")");
      } finally {
        lines.add(EOF);
      }
    }, "node-output");
    reader.setDaemon(true);
    reader.start();
    StringBuilder seen = new StringBuilder();
    InetSocketAddress address = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line == null || line.equals(EOF)) {
        p.destroyForcibly();
        throw new AssertionError("the node did not start: " + command + "\nit printed:\n" + seen);
      }
      seen.append(line).append('\n');
      Matcher m = LISTENING.matcher(line);
      if (m.find()) {
        address = new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2)));
      }
      Matcher k = KEY.matcher(line);
      if (k.find() && address != null) {
        return new NodeProcess(p, address, ServerPublicKey.parse(k.group(1)));
      }
    }
  }

  /** The node as a client's list entry names it. */
  FailoverClient.Server server() {
    return new FailoverClient.Server(address, key);
  }

  /** SIGKILL, and waits until the process is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("the node outlived SIGKILL by 30 s");
    }
  }

  /** SIGTERM, and the exit status. */
  int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the node did not stop within 60 s of SIGTERM");
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
