package org.p2pchat.cli.ref;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.p2pchat.protocol.ChatClients;
import org.p2pchat.api.ServerPublicKey;

/**
 * The server jar as a process that a test may kill: started with any command prefix (such as
 * {@code ip netns exec NS}) and arguments, ready once it prints where it listens.
 */
final class ServerProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on udp (\\S+):(\\d+)");
  private static final Pattern KEY = Pattern.compile("server key (\\S+)");
  private static final String EOF = "\u0000eof";

  final Process process;
  final String host;
  final int port;
  /** The server's public key as it printed it; clients pin it. */
  final ServerPublicKey key;

  private ServerProcess(Process process, String host, int port, ServerPublicKey key) {
    this.process = process;
    this.host = host;
    this.port = port;
    this.key = key;
  }

  /** A client builder for this server, pinned to its key. */
  ChatClients.Builder client() {
    return ChatClients.builder().server(new InetSocketAddress(host, port)).serverKey(key);
  }

  /** The java launcher of the JVM running the tests. */
  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * Runs {@code prefix} + {@code java -jar SERVER_JAR} + {@code args} and waits up to 30 s for
   * the lines that say where it listens and what its key is. Its output goes to {@code log}.
   */
  static ServerProcess start(List<String> prefix, Path log, String... args) throws Exception {
    List<String> command = new ArrayList<>(prefix);
    command.addAll(List.of(java(), "-jar", Jars.serverJar().toAbsolutePath().toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("P2PCHAT_"));
    Process p = pb.start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
          var out = java.nio.file.Files.newBufferedWriter(log, StandardCharsets.UTF_8,
              java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          lines.add(line);
          out.write(line);
          out.newLine();
          out.flush();
        }
      } catch (IOException e) {
        // A killed server's pipe closes under the reader: its output simply ends here.
        lines.add("(server output ended: " + e.getMessage() + ")");
      } finally {
        lines.add(EOF);
      }
    }, "server-output");
    reader.setDaemon(true);
    reader.start();
    StringBuilder seen = new StringBuilder();
    String host = null;
    int port = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line == null || line.equals(EOF)) {
        p.destroyForcibly();
        throw new AssertionError("the server did not start: " + command + "\nit printed:\n" + seen);
      }
      seen.append(line).append('\n');
      Matcher m = LISTENING.matcher(line);
      if (m.find()) {
        host = m.group(1);
        port = Integer.parseInt(m.group(2));
      }
      Matcher k = KEY.matcher(line);
      if (k.find() && host != null) {
        return new ServerProcess(p, host, port, ServerPublicKey.parse(k.group(1)));
      }
    }
  }

  /** SIGKILL (on Linux, {@code destroyForcibly} is SIGKILL), and waits until it is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("the server outlived SIGKILL by 30 s");
    }
  }

  /** SIGTERM, and waits for the exit status. */
  int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the server did not stop within 30 s of SIGTERM");
    }
    return process.exitValue();
  }

  /** Kills the server if it still runs, without waiting. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
