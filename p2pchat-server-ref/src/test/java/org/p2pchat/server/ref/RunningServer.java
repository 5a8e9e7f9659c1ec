package org.p2pchat.server.ref;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.p2pchat.api.ServerPublicKey;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.protocol.ChatClients;
import picocli.CommandLine;

/**
 * The real server command (engine, SQLite store, secure channel) running in this JVM on a
 * loopback port, until {@link #close} stops it as SIGTERM would; with clients that pin its key.
 */
final class RunningServer implements AutoCloseable {
  private static final Pattern PORT = Pattern.compile("listening on udp 127\\.0\\.0\\.1:(\\d+)");
  private static final Pattern KEY = Pattern.compile("server key (\\S+) ");
  private static final Pattern METRICS = Pattern.compile("metrics on (\\S+)");

  /** Completes once the banner's last line is out: the start is over. */
  private final CompletableFuture<Void> started = new CompletableFuture<>();
  final StringWriter out = new StringWriter() {
    @Override
    public void flush() {
      if (toString().contains("stop with Ctrl-C")) {
        started.complete(null);
      }
    }
  };
  final StringWriter err = new StringWriter();
  private final CompletableFuture<IntSupplier> stop = new CompletableFuture<>();
  private final CompletableFuture<Integer> status;
  final InetSocketAddress address;
  final ServerPublicKey key;

  /** Starts {@code p2pchat-server --bind 127.0.0.1 --port 0} with {@code args} after. */
  RunningServer(String... args) throws Exception {
    String[] all = new String[args.length + 4];
    all[0] = "--bind";
    all[1] = "127.0.0.1";
    all[2] = "--port";
    all[3] = "0";
    System.arraycopy(args, 0, all, 4, args.length);
    CommandLine cl = ServerMain.commandLine(new ServerCommand(ServerFactory.ENGINE, stop::complete), Map.of());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    status = CompletableFuture.supplyAsync(() -> cl.execute(all));
    CompletableFuture.anyOf(started, status).get(60, TimeUnit.SECONDS);
    assertThat(started).as("started; stderr: %s", err).isDone();
    address = new InetSocketAddress("127.0.0.1", Integer.parseInt(find(PORT)));
    key = ServerPublicKey.parse(find(KEY));
  }

  private String find(Pattern p) {
    Matcher m = p.matcher(out.toString());
    assertThat(m.find()).as("%s in %s", p, out).isTrue();
    return m.group(1);
  }

  /** The metrics URL the server printed. */
  String metricsUrl() {
    return find(METRICS);
  }

  /** A client of this server that pins its key. */
  ChatClient client() throws Exception {
    return ChatClients.builder().server(address).serverKey(key).build();
  }

  /** A client of this server that keeps its device credential in {@code credentials}. */
  ChatClient client(org.p2pchat.api.client.CredentialStore credentials) throws Exception {
    return ChatClients.builder().server(address).serverKey(key).credentials(credentials).build();
  }

  /** A client of this server that pins its key, with these settings and this listener. */
  ChatClient client(org.p2pchat.protocol.ClientConfig config, org.p2pchat.api.client.ChatListener listener)
      throws Exception {
    return ChatClients.builder().server(address).serverKey(key).config(config).listener(listener).build();
  }

  /** Stops the server and returns its exit status. */
  int stop() throws Exception {
    int stopped = stop.get().getAsInt();
    assertThat(status.get(60, TimeUnit.SECONDS)).isEqualTo(stopped);
    return stopped;
  }

  @Override
  public void close() {
    if (!status.isDone()) {
      try {
        stop();
      } catch (Exception e) {
        throw new IllegalStateException("the server did not stop", e);
      }
    }
  }
}
