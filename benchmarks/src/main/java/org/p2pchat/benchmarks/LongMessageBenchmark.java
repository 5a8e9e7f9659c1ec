package org.p2pchat.benchmarks;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.ProtocolLimits;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.client.ChatListener;
import org.p2pchat.api.server.ChatServer;
import org.p2pchat.protocol.ChatClients;
import org.p2pchat.protocol.ChatServers;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.store.sqlite.SqliteChatStore;

/**
 * A 64 KiB message from one user to another who is online, until the recipient's listener has
 * it whole (docs/protocol.md section 23), against the same bytes sent as 66 messages of at most
 * 1000 bytes (what the reference client did before long messages: all in flight at once, done
 * when the last arrived), and one 1000-byte message, in alternating rounds of one run. SQLite
 * with {@code synchronous=FULL}, loopback UDP, the secure channel on. Arguments: rounds
 * (default 3), messages per phase and round (default 30).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.p2pchat.benchmarks.LongMessageBenchmark 3 30
 * </pre>
 */
public final class LongMessageBenchmark {
  private LongMessageBenchmark() {}

  /** What the recipient has seen: bodies of each numbered send, by its tag. */
  private static final class Arrivals implements ChatListener {
    final Map<String, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> pieces = new ConcurrentHashMap<>();
    final Map<String, Integer> expected = new ConcurrentHashMap<>();

    CompletableFuture<Void> expect(String tag, int count) {
      CompletableFuture<Void> f = new CompletableFuture<>();
      expected.put(tag, count);
      pieces.put(tag, new AtomicInteger());
      waiting.put(tag, f);
      return f;
    }

    @Override
    public void onMessage(ChatMessage m) {
      String tag = m.body().substring(0, m.body().indexOf(' '));
      AtomicInteger got = pieces.get(tag);
      if (got != null && got.incrementAndGet() == expected.get(tag)) {
        waiting.remove(tag).complete(null);
      }
    }
  }

  /** Runs the rounds and prints each phase's latency and rate. */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int perPhase = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    Path dir = Files.createTempDirectory("p2pchat-long-bench");
    UserName alice = UserName.of("alice");
    UserName bob = UserName.of("bob");
    Arrivals arrivals = new Arrivals();
    try (SqliteChatStore store = SqliteChatStore.builder(dir.resolve("chat.db")).open();
        ChatServer server = ChatServers.builder().store(store)
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .config(ServerConfig.builder().argon2MemoryKib(64).argon2Iterations(1).build()).build();
        ChatClient sender = ChatClients.builder().server(server.localAddress())
            .serverKey(server.publicKey().orElseThrow()).build();
        ChatClient recipient = ChatClients.builder().server(server.localAddress())
            .serverKey(server.publicKey().orElseThrow()).listener(arrivals).build()) {
      sender.register(alice, "alice-password").get();
      sender.register(bob, "bob-password").get();
      sender.login(alice, "alice-password").get();
      recipient.login(bob, "bob-password").get();
      System.out.printf("long messages: %d rounds x %d messages a phase, 2 cores, Java %s, SQLite synchronous=FULL,"
          + " secure channel%n", rounds, perPhase, System.getProperty("java.version"));
      int[] counter = {0};
      for (int r = 0; r <= rounds; r++) { // round 0 warms up and is not printed
        boolean print = r > 0;
        phase("one 64 KiB message", print, perPhase, () -> {
          String tag = "#" + counter[0]++;
          CompletableFuture<Void> done = arrivals.expect(tag, 1);
          sender.send(bob, body(tag, ProtocolLimits.MAX_LONG_BODY_BYTES)).get(60, TimeUnit.SECONDS);
          done.get(60, TimeUnit.SECONDS);
          return ProtocolLimits.MAX_LONG_BODY_BYTES;
        });
        phase("64 KiB as 66 messages", print, perPhase, () -> {
          String tag = "#" + counter[0]++;
          int parts = (ProtocolLimits.MAX_LONG_BODY_BYTES + 999) / 1000;
          CompletableFuture<Void> done = arrivals.expect(tag, parts);
          List<CompletableFuture<ChatMessage>> sends = new ArrayList<>();
          for (int i = 0; i < parts; i++) {
            sends.add(sender.send(bob, body(tag, ProtocolLimits.MAX_BODY_BYTES)));
          }
          CompletableFuture.allOf(sends.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
          done.get(60, TimeUnit.SECONDS);
          return parts * ProtocolLimits.MAX_BODY_BYTES;
        });
        phase("one 1000-byte message", print, perPhase, () -> {
          String tag = "#" + counter[0]++;
          CompletableFuture<Void> done = arrivals.expect(tag, 1);
          sender.send(bob, body(tag, ProtocolLimits.MAX_BODY_BYTES)).get(60, TimeUnit.SECONDS);
          done.get(60, TimeUnit.SECONDS);
          return ProtocolLimits.MAX_BODY_BYTES;
        });
      }
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** One send, done when the recipient has it all; returns the bytes it carried. */
  private interface Send {
    int run() throws Exception;
  }

  private static void phase(String name, boolean print, int times, Send send) throws Exception {
    Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    long bytes = 0;
    long start = System.nanoTime();
    for (int i = 0; i < times; i++) {
      long t0 = System.nanoTime();
      bytes += send.run();
      latency.recordValue((System.nanoTime() - t0) / 1000);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (print) {
      System.out.printf("%-24s p50 %8.2f ms  p99 %8.2f ms  max %8.2f ms  %,8.0f KB/s%n", name,
          latency.getValueAtPercentile(50) / 1000.0, latency.getValueAtPercentile(99) / 1000.0,
          latency.getMaxValue() / 1000.0, bytes / 1000.0 / seconds);
    }
  }

  /** A body of {@code bytes} ASCII bytes that starts with its tag and a space. */
  private static String body(String tag, int bytes) {
    StringBuilder b = new StringBuilder(bytes).append(tag).append(' ');
    while (b.length() < bytes) {
      b.append((char) ('a' + b.length() % 26));
    }
    return b.toString();
  }
}
