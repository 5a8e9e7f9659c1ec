package org.p2pchat.benchmarks;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.p2pchat.api.ServerPublicKey;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.protocol.ChatClients;
import org.p2pchat.protocol.ClientConfig;

/**
 * What a cluster costs, measured on one machine: server nodes as processes of the server jar
 * ({@code --store postgres}) on one PostgreSQL this benchmark starts (embedded, {@code fsync=on},
 * {@code synchronous_commit=on}), in one run so that only its ratios are compared:
 *
 * <ol>
 *   <li>acknowledged sends per second, 1 node against 3 nodes, the same clients spread over the
 *       nodes, each keeping sends in flight; with PostgreSQL's commits per second meanwhile
 *       (messages per commit is the group commit's batch);
 *   <li>push latency, from the send call to the recipient's listener, for a recipient on the
 *       sender's node and one on another node (through LISTEN/NOTIFY), at a modest rate, as
 *       HdrHistogram percentiles.
 * </ol>
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar org.p2pchat.benchmarks.ClusterLoad
 * p2pchat-server-ref/target/p2pchat-server.jar [seconds] [clients] [inFlightPerClient]}.
 */
public final class ClusterLoad {
  private static final Pattern LISTENING = Pattern.compile("listening on udp (\\S+):(\\d+)");
  private static final Pattern KEY = Pattern.compile("server key (\\S+)");
  private static final String PASSWORD = "cluster-load-password";
  private static final ClientConfig CLIENT = ClientConfig.builder().build();

  private ClusterLoad() {}

  /**
   * Runs both measurements and prints them.
   *
   * @param args the server jar, then optional seconds per measurement (default 10), clients
   *     (default 12) and sends in flight per client (default 16)
   * @throws Exception when a node does not start or a send fails
   */
  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]);
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int clients = args.length > 2 ? Integer.parseInt(args[2]) : 12;
    int inFlight = args.length > 3 ? Integer.parseInt(args[3]) : 16;
    PrintStream out = System.out;
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
        .setServerConfig("listen_addresses", "localhost")
        .setServerConfig("fsync", "on")
        .setServerConfig("synchronous_commit", "on")
        .start()) {
      out.printf("cluster load: JDK %s, %d cores, %d s per measurement, %d clients x %d in flight%n",
          System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), seconds, clients, inFlight);
      int db = 0;
      for (int nodes : new int[] {1, 3, 1, 3}) { // twice, alternating: only same-run ratios mean anything
        String name = "load" + db++;
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
          s.execute("CREATE DATABASE " + name);
        }
        List<Node> cluster = start(jar, nodes, "jdbc:postgresql://localhost:" + pg.getPort() + "/" + name);
        try {
          throughput(out, pg, name, cluster, seconds, clients, inFlight);
          if (nodes == 3) {
            latency(out, cluster, seconds);
          }
        } finally {
          cluster.forEach(Node::close);
        }
      }
    }
  }

  private record Node(Process process, InetSocketAddress address, ServerPublicKey key) implements AutoCloseable {
    ChatClient client() throws Exception {
      return ChatClients.builder().server(address).serverKey(key).config(CLIENT).build();
    }

    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static List<Node> start(Path jar, int n, String url) throws Exception {
    Path dir = Files.createTempDirectory("p2pchat-cluster-load");
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-jar", jar.toAbsolutePath().toString(), "--bind", "127.0.0.1", "--port", "0",
          "--store", "postgres", "--jdbc-url", url, "--db-user", "postgres", "--log-level", "WARN",
          "--key-file", dir.resolve("node" + i + ".key").toString(), "--db", dir.resolve("node" + i + "/x.db").toString(),
          "--login-attempts-per-address", "1000000").redirectErrorStream(true);
      pb.environment().keySet().removeIf(k -> k.startsWith("P2PCHAT_"));
      Process p = pb.start();
      BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      InetSocketAddress address = null;
      for (String line = r.readLine(); ; line = r.readLine()) {
        if (line == null) {
          throw new IllegalStateException("node " + i + " did not start");
        }
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          address = new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2)));
        }
        Matcher k = KEY.matcher(line);
        if (k.find() && address != null) {
          nodes.add(new Node(p, address, ServerPublicKey.parse(k.group(1))));
          break;
        }
      }
      Thread drain = new Thread(() -> r.lines().forEach(l -> { }), "node-output");
      drain.setDaemon(true);
      drain.start();
    }
    return nodes;
  }

  private static List<ChatClient> loggedIn(List<Node> cluster, String prefix, int n,
      List<org.p2pchat.api.client.ChatListener> listeners) throws Exception {
    try (ChatClient admin = cluster.get(0).client()) {
      for (int i = 0; i < n; i++) {
        admin.register(UserName.of(prefix + i), PASSWORD).get(60, TimeUnit.SECONDS);
      }
    }
    List<ChatClient> clients = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Node node = cluster.get(i % cluster.size());
      ChatClients.Builder b = ChatClients.builder().server(node.address()).serverKey(node.key()).config(CLIENT);
      if (listeners != null) {
        b.listener(listeners.get(i));
      }
      ChatClient c = b.build();
      c.login(UserName.of(prefix + i), PASSWORD).get(60, TimeUnit.SECONDS);
      clients.add(c);
    }
    return clients;
  }

  /** Acknowledged sends per second: each client sends to the next, keeping {@code inFlight} unanswered. */
  private static void throughput(PrintStream out, EmbeddedPostgres pg, String db, List<Node> cluster, int seconds,
      int n, int inFlight) throws Exception {
    List<ChatClient> clients = loggedIn(cluster, "load", n, null);
    try {
      run(clients, inFlight, 2); // warm-up
      long[] before = walStats(pg);
      long start = System.nanoTime();
      long acked = run(clients, inFlight, seconds);
      double elapsed = (System.nanoTime() - start) / 1e9;
      long[] after = walStats(pg);
      long syncs = after[0] - before[0];
      out.printf(Locale.ROOT, "%d node(s): %,.0f acknowledged sends/s; PostgreSQL %,.0f WAL flushes/s (%.1f messages per flush),"
              + " %,.0f WAL records/s%n",
          cluster.size(), acked / elapsed, syncs / elapsed, acked / (double) Math.max(1, syncs),
          (after[1] - before[1]) / elapsed);
    } finally {
      clients.forEach(ChatClient::close);
    }
  }

  private static long run(List<ChatClient> clients, int inFlight, int seconds) throws Exception {
    AtomicLong acked = new AtomicLong();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failed = new ArrayList<>();
    for (int i = 0; i < clients.size(); i++) {
      ChatClient c = clients.get(i);
      UserName to = UserName.of("load" + ((i + 1) % clients.size()));
      Thread t = new Thread(() -> {
        Semaphore window = new Semaphore(inFlight);
        try {
          while (System.nanoTime() < end) {
            window.acquire();
            c.send(to, "load").whenComplete((m, e) -> {
              window.release();
              if (e == null) {
                acked.incrementAndGet();
              } else {
                synchronized (failed) {
                  failed.add(e);
                }
              }
            });
          }
          window.acquire(inFlight);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    if (!failed.isEmpty()) {
      System.out.println("  (" + failed.size() + " sends failed, first: " + failed.get(0) + ")");
    }
    return acked.get();
  }

  /**
   * Push latency at 200 sends/s from a sender on node 0, alternately to a recipient on node 0
   * and one on node 1: the send call's time travels in the body, the recipient's listener
   * records the difference.
   */
  private static void latency(PrintStream out, List<Node> cluster, int seconds) throws Exception {
    Recorder local = new Recorder(3);
    Recorder remote = new Recorder(3);
    List<org.p2pchat.api.client.ChatListener> listeners = new ArrayList<>();
    listeners.add(m -> { });
    listeners.add(m -> remote.recordValue((System.nanoTime() - Long.parseLong(m.body())) / 1000));
    listeners.add(m -> { });
    listeners.add(m -> local.recordValue((System.nanoTime() - Long.parseLong(m.body())) / 1000));
    // lat0 and lat3 on node 0, lat1 on node 1 (clients are spread round-robin over 3 nodes).
    List<ChatClient> clients = loggedIn(cluster, "lat", 4, listeners);
    try {
      ChatClient sender = clients.get(0);
      for (int pass = 0; pass < 2; pass++) { // the first pass warms up
        local.getIntervalHistogram();
        remote.getIntervalHistogram();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long next = System.nanoTime();
        List<CompletableFuture<?>> sends = new ArrayList<>();
        for (int i = 0; System.nanoTime() < end; i++) {
          next += 5_000_000;
          LockSupport.parkNanos(next - System.nanoTime()); // pacing: 200 sends/s
          sends.add(sender.send(UserName.of(i % 2 == 0 ? "lat3" : "lat1"), Long.toString(System.nanoTime())));
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        Thread.sleep(2000); // the last pushes land; a benchmark's pause, not a test's timing
      }
      Histogram l = local.getIntervalHistogram();
      Histogram r = remote.getIntervalHistogram();
      out.printf(Locale.ROOT, "push latency, send call to listener, 200 sends/s: same node p50 %.2f ms p99 %.2f ms (n=%d);"
              + " other node p50 %.2f ms p99 %.2f ms (n=%d)%n",
          l.getValueAtPercentile(50) / 1000.0, l.getValueAtPercentile(99) / 1000.0, l.getTotalCount(),
          r.getValueAtPercentile(50) / 1000.0, r.getValueAtPercentile(99) / 1000.0, r.getTotalCount());
    } finally {
      clients.forEach(ChatClient::close);
    }
  }

  /** PostgreSQL's WAL flushes (each durable commit waits for one; group commit shares them) and WAL records so far. */
  private static long[] walStats(EmbeddedPostgres pg) throws Exception {
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT wal_sync, wal_records FROM pg_stat_wal")) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2)};
    }
  }
}
