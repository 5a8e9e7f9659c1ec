package org.p2pchat.benchmarks;

import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.client.ExportSummary;
import org.p2pchat.api.server.ChatServer;
import org.p2pchat.api.store.NewMessage;
import org.p2pchat.protocol.ChatClients;
import org.p2pchat.protocol.ChatServers;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.store.sqlite.SqliteChatStore;

/**
 * The export of docs/protocol.md section 22.3 for a user with many messages: a SQLite store
 * filled directly (half sent, half received, bodies of 60-200 bytes), a server on loopback with
 * the secure channel, one client that exports to a file. Prints the time, the file's size and
 * the peak heap after collections (the JVM's own record of the heap pools), so a run with a
 * small {@code -Xmx} shows the export streams. Arguments: messages (default 100,000), rooms
 * messages per room in 4 rooms (default 2,500).
 *
 * <pre>
 * java -Xmx64m -cp benchmarks/target/benchmarks.jar org.p2pchat.benchmarks.ExportBenchmark 100000
 * </pre>
 */
public final class ExportBenchmark {
  private ExportBenchmark() {}

  /** Runs one export and prints what it measured. */
  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int perRoom = args.length > 1 ? Integer.parseInt(args[1]) : 2_500;
    Path dir = Files.createTempDirectory("p2pchat-export-bench");
    UserName alice = UserName.of("alice");
    UserName bob = UserName.of("bob");
    try (SqliteChatStore store = SqliteChatStore.builder(dir.resolve("chat.db")).open();
        ChatServer server = ChatServers.builder().store(store)
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .config(ServerConfig.builder().argon2MemoryKib(64).argon2Iterations(1).build()).build();
        ChatClient client = ChatClients.builder().server(server.localAddress())
            .serverKey(server.publicKey().orElseThrow()).build()) {
      client.register(alice, "alice-password").get();
      client.register(bob, "bob-password").get();
      Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
      List<NewMessage> batch = new ArrayList<>(1000);
      for (int i = 0; i < messages; i++) {
        String body = "message " + i + " " + "x".repeat(50 + i % 150);
        batch.add(i % 2 == 0 ? NewMessage.of(alice, bob, body, t0.plusMillis(i)) : NewMessage.of(bob, alice, body, t0.plusMillis(i)));
        if (batch.size() == 1000) {
          store.append(batch).get();
          batch.clear();
        }
      }
      if (!batch.isEmpty()) {
        store.append(batch).get();
      }
      for (int r = 0; r < 4; r++) {
        long room = store.rooms().createRoom(alice, "room " + r, t0).get().id();
        store.rooms().addMember(room, alice, bob).get();
        for (int i = 0; i < perRoom; i++) {
          store.rooms().appendToRoom(room, i % 2 == 0 ? alice : bob, "room message " + i, t0.plusMillis(i)).get();
        }
      }
      client.login(alice, "alice-password").get();
      System.gc();
      resetPeaks();
      Path out = dir.resolve("alice.json");
      long start = System.nanoTime();
      ExportSummary summary = client.exportTo(out).get(10, TimeUnit.MINUTES);
      long nanos = System.nanoTime() - start;
      System.out.printf("exported %,d messages and %,d room messages (%,d bytes) in %.2f s: %,.0f messages/s;"
              + " heap used at most %,d KiB during the export (max heap %,d KiB)%n",
          summary.messages(), summary.roomMessages(), Files.size(out), nanos / 1e9,
          (summary.messages() + summary.roomMessages()) / (nanos / 1e9), peakHeapKib(),
          Runtime.getRuntime().maxMemory() / 1024);
      Writer discard = Writer.nullWriter();
      start = System.nanoTime();
      client.exportTo(discard).get(10, TimeUnit.MINUTES);
      System.out.printf("again, into a null writer: %.2f s%n", (System.nanoTime() - start) / 1e9);
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void resetPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  private static long peakHeapKib() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum / 1024;
  }
}
