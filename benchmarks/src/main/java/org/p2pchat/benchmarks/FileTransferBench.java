package org.p2pchat.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.client.ChatListener;
import org.p2pchat.api.client.FileTransfer;
import org.p2pchat.api.client.IncomingFile;
import org.p2pchat.api.client.PeerPath;
import org.p2pchat.api.server.ChatServer;
import org.p2pchat.protocol.ChatClients;
import org.p2pchat.protocol.ChatServers;
import org.p2pchat.protocol.ClientConfig;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.ServerMetrics;
import org.p2pchat.testing.InMemoryChatStore;

/**
 * File transfer rates on loopback, in one run: a plain copy of the file over one UDP socket pair
 * ({@link PlainUdpCopy}), a file between two contacts' devices on a direct peer link, and the
 * same file through the server's relay, with the server's CPU time per MiB relayed.
 *
 * <p>One server (the real engine, secure channel on, the in-memory store) and three users:
 * alice sends; bob receives with direct connections allowed; carol receives with
 * {@code directConnections(false)}, so her link runs through the relay. The relay's bounds are
 * set to 1 GiB/s so that they are not what limits it. Each measurement logs the two devices in,
 * brings their link up (untimed: {@code connect}, then waits for the path it should have), times
 * {@code sendFile} from the call to its future's completion (the receiver has written the file
 * and checked its SHA-256; the sender's hashing of the file before its offer is inside the time,
 * as a user waits for it too), then logs both out, so that no other link is alive to relay a
 * keepalive during the next measurement.
 *
 * <p>The order is P D P R P D P R ... P (P plain, D direct, R relayed): each chat figure is
 * divided by the mean of the plain copies right before and after it, so that what the other
 * tenants of a shared machine do drifts out of the ratio. One untimed warm-up of each, with a
 * file of the same size, comes first.
 *
 * <p>Server CPU: the CPU time of the server's event loop thread ({@code p2pchat-loop-PORT}, from
 * {@link ThreadMXBean#getThreadCpuTime}) during the transfer, divided by the MiB the relay
 * forwarded. The loop does all of the relay's work: the receive and send system calls, opening
 * each RELAY on the client's secure channel, the link and budget look-ups, sealing the RELAYED for
 * the other end. The process's CPU ({@code OperatingSystemMXBean.getProcessCpuTime}) is printed
 * beside it, but it holds both clients, the garbage collector and the JIT, which a server does
 * not pay for the clients, so it is not the server's figure.
 *
 * <p>Also printed: the relay's packets and drops (its bound), and the datagrams the kernel dropped
 * for a full socket buffer during the measurement, machine-wide ({@link #udpOverflows}), which
 * tells a transfer that lost packets on the way from one that did not; and how busy the sending
 * thread, the server's loop and the receiving thread were (CPU time over the transfer's time): a
 * thread near 100% is what the transfer waits for. In the plain copy the sender is the main
 * thread and the receiver a thread of its own; in the chat's, each is its client's event loop
 * ({@code p2pchat-client-PORT}), which seals, opens, reads and writes the file.
 *
 * <p>Sizes are in MiB (2^20 bytes), rates in MiB/s.
 *
 * <p>Run (arguments optional: file size in MiB, rounds, a directory for the files):
 * {@code java -cp benchmarks/target/benchmarks.jar org.p2pchat.benchmarks.FileTransferBench 64 3}.
 */
public final class FileTransferBench {
  /**
   * {@code -Dp2pchat.files.kinds=direct} (or {@code relayed}) measures only that one beside the
   * plain copy, for profiling it alone; {@code bounded} (in the default) adds, after the rounds, one
   * relayed transfer of up to 16 MiB under the relay's default bounds, on a server of its own.
   */
  private static final List<String> KINDS =
      List.of(System.getProperty("p2pchat.files.kinds", "direct,relayed,bounded").split(","));
  private static final String PASSWORD = "file-bench-password";
  private static final double MIB = 1024.0 * 1024.0;
  private static final long GIB = 1L << 30;
  private static final UserName ALICE = UserName.of("alice");
  private static final UserName BOB = UserName.of("bob");
  private static final UserName CAROL = UserName.of("carol");

  private FileTransferBench() {}

  /** One measurement. */
  record Sample(String kind, int round, long bytes, long nanos, long loopCpuNanos, long processCpuNanos,
      long relayedBytes, long relayedPackets, long relayDropped, long udpOverflows, String busy) {
    double mibPerSecond() {
      return bytes / MIB / (nanos / 1e9);
    }
  }

  /** A chat transfer's rate over the mean of the plain copies right before and after it. */
  record Ratio(String kind, double value) {}

  /** Counts what the relay did. */
  static final class RelayCounts implements ServerMetrics {
    final LongAdder bytes = new LongAdder();
    final LongAdder packets = new LongAdder();
    final LongAdder dropped = new LongAdder();

    @Override
    public void relayed(int n) {
      bytes.add(n);
      packets.increment();
    }

    @Override
    public void relayDropped() {
      dropped.increment();
    }
  }

  /** A receiving device's listener: accepts every file into its directory and reports where it went. */
  static final class Receiver implements ChatListener {
    final Path into;
    volatile CompletableFuture<Path> received = new CompletableFuture<>();

    Receiver(Path into) {
      this.into = into;
    }

    @Override
    public void onMessage(ChatMessage message) {}

    @Override
    public void onFileOffered(IncomingFile file) {
      file.accept(into);
    }

    @Override
    public void onFileReceived(FileTransfer transfer, Path file, String sha256) {
      received.complete(file);
    }
  }

  /**
   * Runs the warm-up and the rounds and prints the table.
   *
   * @param args file size in MiB (default 64), rounds (3), directory for the files (a temporary one)
   */
  public static void main(String[] args) throws Exception {
    int mib = args.length > 0 ? Integer.parseInt(args[0]) : 64;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path dir = args.length > 2 ? Files.createDirectories(Path.of(args[2])) : Files.createTempDirectory("p2pchat-files");
    System.out.printf(Locale.ROOT, "file transfer: %d MiB, %d rounds, %d cores (%s), load %s, Java %s, files in %s%n",
        mib, rounds, Runtime.getRuntime().availableProcessors(), cpuModel(), loadAverage(),
        System.getProperty("java.version"), dir);

    Path file = randomFile(dir.resolve("file.bin"), (long) mib << 20);
    Path warmFile = randomFile(dir.resolve("warm.bin"), (long) mib << 20);
    sha256(warmFile);
    long hashStart = System.nanoTime();
    sha256(file);
    double hashRate = (mib) / ((System.nanoTime() - hashStart) / 1e9);
    System.out.printf(Locale.ROOT, "SHA-256 of the file alone, one thread: %.0f MiB/s%n", hashRate);

    RelayCounts relay = new RelayCounts();
    ServerConfig config = ServerConfig.builder()
        .argon2MemoryKib(64).argon2Iterations(1)
        .relayBytesPerSecondPerUser(GIB).relayBytesPerSecondTotal(GIB)
        .build();
    List<Sample> samples = new ArrayList<>();
    List<Ratio> ratios = new ArrayList<>();
    boolean directRelayedNothing = true;
    try (InMemoryChatStore store = new InMemoryChatStore();
         ChatServer server = ChatServers.builder().store(store).bind(new InetSocketAddress("127.0.0.1", 0))
             .config(config).metrics(relay).build()) {
      Bench bench = new Bench(server, relay, dir);
      bench.registerContacts();
      System.out.println("warm-up (untimed) ...");
      bench.plain(warmFile, 0);
      if (KINDS.contains("direct")) {
        bench.peer(warmFile, BOB, PeerPath.DIRECT, "direct", 0);
      }
      if (KINDS.contains("relayed")) {
        bench.peer(warmFile, CAROL, PeerPath.RELAYED, "relayed", 0);
      }

      System.out.println();
      printHeader();
      samples.add(print(bench.plain(file, 1), null));
      for (int round = 1; round <= rounds; round++) {
        if (KINDS.contains("direct")) {
          Sample direct = bench.peer(file, BOB, PeerPath.DIRECT, "direct", round);
          Sample plainAfter = bench.plain(file, round);
          ratios.add(print(direct, mean(samples.get(samples.size() - 1), plainAfter)));
          samples.add(direct);
          samples.add(print(plainAfter, null));
          directRelayedNothing &= direct.relayedBytes() == 0;
        }
        if (KINDS.contains("relayed")) {
          Sample relayed = bench.peer(file, CAROL, PeerPath.RELAYED, "relayed", round);
          Sample plainAfter = bench.plain(file, round + 1);
          ratios.add(print(relayed, mean(samples.get(samples.size() - 1), plainAfter)));
          samples.add(relayed);
          samples.add(print(plainAfter, null));
        }
      }
    }
    summarize(samples, ratios);
    if (KINDS.contains("bounded")) {
      bounded(dir, Math.min(mib, 16));
    }
    if (!directRelayedNothing) {
      System.out.println("FAILED: the server relayed bytes during a direct transfer");
      System.exit(1);
    }
  }

  /**
   * A relayed transfer under the relay's default bounds (2 MiB/s per user): the rate the peers'
   * congestion control reaches against the server's token bucket, and the packets it dropped.
   */
  private static void bounded(Path dir, int mib) throws Exception {
    Path file = randomFile(dir.resolve("bounded.bin"), (long) mib << 20);
    RelayCounts relay = new RelayCounts();
    ServerConfig config = ServerConfig.builder().argon2MemoryKib(64).argon2Iterations(1).build();
    try (InMemoryChatStore store = new InMemoryChatStore();
         ChatServer server = ChatServers.builder().store(store).bind(new InetSocketAddress("127.0.0.1", 0))
             .config(config).metrics(relay).build()) {
      Bench bench = new Bench(server, relay, dir);
      bench.registerContacts();
      Sample s = bench.peer(file, CAROL, PeerPath.RELAYED, "bounded", 1);
      double bound = config.relayBytesPerSecondPerUser() / MIB;
      System.out.println();
      System.out.printf(Locale.ROOT, "relayed under the default bound of %.0f MiB/s a user: %d MiB in %.1f s, %.2f MiB/s of"
          + " file (%.2f MiB/s relayed, %.0f%% of the bound), %d packets relayed, %d dropped (%.1f%%)%n", bound, mib,
          s.nanos() / 1e9, s.mibPerSecond(), s.relayedBytes() / MIB / (s.nanos() / 1e9),
          100 * s.relayedBytes() / MIB / (s.nanos() / 1e9) / bound, s.relayedPackets(), s.relayDropped(),
          100.0 * s.relayDropped() / (s.relayedPackets() + s.relayDropped()));
    }
  }

  /** The server, the users, and the three ways to move a file. */
  private static final class Bench {
    final ChatServer server;
    final RelayCounts relay;
    final Path dir;
    final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    final com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    final long loopThread;

    Bench(ChatServer server, RelayCounts relay, Path dir) {
      this.server = server;
      this.relay = relay;
      this.dir = dir;
      String name = "p2pchat-loop-" + server.localAddress().getPort();
      this.loopThread = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name))
          .findFirst().orElseThrow(() -> new IllegalStateException("no thread named " + name)).getId();
    }

    ChatClient client(boolean direct, ChatListener listener) throws Exception {
      return ChatClients.builder().server(server.localAddress()).serverKey(server.publicKey().orElseThrow())
          .config(ClientConfig.builder().directConnections(direct).build()).listener(listener).build();
    }

    void registerContacts() throws Exception {
      try (ChatClient alice = client(true, m -> {}); ChatClient bob = client(true, m -> {});
           ChatClient carol = client(false, m -> {})) {
        await(alice.register(ALICE, PASSWORD));
        await(bob.register(BOB, PASSWORD));
        await(carol.register(CAROL, PASSWORD));
        await(alice.login(ALICE, PASSWORD));
        await(bob.login(BOB, PASSWORD));
        await(carol.login(CAROL, PASSWORD));
        await(alice.contacts().add(BOB));
        await(alice.contacts().add(CAROL));
        await(bob.contacts().add(ALICE));
        await(carol.contacts().add(ALICE));
      }
    }

    Sample plain(Path file, int round) throws IOException, InterruptedException {
      Path target = dir.resolve("plain-copy.bin");
      long cpu = os.getProcessCpuTime();
      long overflows = udpOverflows();
      PlainUdpCopy.Result copy = PlainUdpCopy.copy(file, target);
      long nanos = copy.nanos();
      String busy = busy(copy.senderCpuNanos(), -1, copy.receiverCpuNanos(), nanos);
      long processCpu = os.getProcessCpuTime() - cpu;
      if (Files.mismatch(file, target) != -1) {
        throw new IllegalStateException("the plain copy differs from the file");
      }
      Files.delete(target);
      return new Sample("plain", round, Files.size(file), nanos, 0, processCpu, 0, 0, 0, udpOverflows() - overflows, busy);
    }

    Sample peer(Path file, UserName to, PeerPath expected, String kind, int round) throws Exception {
      Path into = Files.createDirectories(dir.resolve("in-" + to.value()));
      Receiver receiver = new Receiver(into);
      java.util.Set<Long> existing = ids();
      try (ChatClient alice = client(true, m -> {})) {
        long senderLoop = newClientLoop(existing);
        existing = ids();
        try (ChatClient them = client(expected == PeerPath.DIRECT, receiver)) {
          long receiverLoop = newClientLoop(existing);
          return transfer(alice, them, senderLoop, receiverLoop, receiver, file, to, expected, kind, round);
        }
      }
    }

    private Sample transfer(ChatClient alice, ChatClient them, long senderLoop, long receiverLoop, Receiver receiver,
        Path file, UserName to, PeerPath expected, String kind, int round) throws Exception {
      await(alice.login(ALICE, PASSWORD, "alice's laptop"));
      await(them.login(to, PASSWORD, to.value() + "'s laptop"));
      await(alice.peers().connect(to));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!alice.peers().path(to).equals(java.util.Optional.of(expected))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("alice's path to " + to + " is " + alice.peers().path(to) + ", not " + expected);
        }
        Thread.sleep(10);
      }
      long bytes0 = relay.bytes.sum();
      long packets0 = relay.packets.sum();
      long dropped0 = relay.dropped.sum();
      long loop0 = threads.getThreadCpuTime(loopThread);
      long cpu0 = os.getProcessCpuTime();
      long overflows = udpOverflows();
      long sender0 = threads.getThreadCpuTime(senderLoop);
      long receiver0 = threads.getThreadCpuTime(receiverLoop);
      long start = System.nanoTime();
      String sha = alice.peers().sendFile(to, file).get(10, TimeUnit.MINUTES);
      long nanos = System.nanoTime() - start;
      long loop = threads.getThreadCpuTime(loopThread) - loop0;
      String busy = busy(threads.getThreadCpuTime(senderLoop) - sender0, loop,
          threads.getThreadCpuTime(receiverLoop) - receiver0, nanos);
      long processCpu = os.getProcessCpuTime() - cpu0;
      Sample s = new Sample(kind, round, Files.size(file), nanos, loop, processCpu, relay.bytes.sum() - bytes0,
          relay.packets.sum() - packets0, relay.dropped.sum() - dropped0, udpOverflows() - overflows, busy);
      Path got = receiver.received.get(30, TimeUnit.SECONDS);
      if (!sha.equals(sha256(file)) || Files.mismatch(file, got) != -1) {
        throw new IllegalStateException("the " + kind + " transfer's file differs from the one sent");
      }
      Files.delete(got);
      return s;
    }

    java.util.Set<Long> ids() {
      java.util.Set<Long> ids = new java.util.HashSet<>();
      for (long id : threads.getAllThreadIds()) {
        ids.add(id);
      }
      return ids;
    }

    /** The event loop thread ({@code p2pchat-client-PORT}) of the client built since {@code existing} was taken. */
    long newClientLoop(java.util.Set<Long> existing) {
      for (long id : threads.getAllThreadIds()) {
        java.lang.management.ThreadInfo info = threads.getThreadInfo(id);
        if (!existing.contains(id) && info != null && info.getThreadName().startsWith("p2pchat-client-")
            && !info.getThreadName().startsWith("p2pchat-client-events")) {
          return id;
        }
      }
      throw new IllegalStateException("no new client event loop thread");
    }
  }

  /** How busy the sending loop, the server's loop and the receiving loop were, as shares of the transfer's time. */
  static String busy(long senderCpu, long serverCpu, long receiverCpu, long nanos) {
    return String.format(Locale.ROOT, "%3.0f%% %4s %4.0f%%", 100.0 * senderCpu / nanos,
        serverCpu < 0 ? "-" : String.format(Locale.ROOT, "%.0f%%", 100.0 * serverCpu / nanos), 100.0 * receiverCpu / nanos);
  }

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(60, TimeUnit.SECONDS);
  }

  static void printHeader() {
    System.out.printf(Locale.ROOT, "%-5s %-8s %9s %9s %13s %13s %11s %9s %6s %9s  %s%n", "round", "kind", "MiB/s",
        "vs plain", "loop ms/MiB", "proc ms/MiB", "relayed MiB", "packets", "drops", "overflows", "busy: sender server receiver");
  }

  static double mean(Sample a, Sample b) {
    return (a.mibPerSecond() + b.mibPerSecond()) / 2;
  }

  static Ratio print(Sample s, double plainRate) {
    print(s, Double.valueOf(plainRate));
    return new Ratio(s.kind(), s.mibPerSecond() / plainRate);
  }

  static Sample print(Sample s, Double plainRate) {
    double mibs = s.bytes() / MIB;
    double relayedMib = s.relayedBytes() / MIB;
    String loop = s.kind().equals("plain") ? "-"
        : s.relayedBytes() > 0 ? String.format(Locale.ROOT, "%.2f", s.loopCpuNanos() / 1e6 / relayedMib)
        : String.format(Locale.ROOT, "(%.0f ms)", s.loopCpuNanos() / 1e6);
    System.out.printf(Locale.ROOT, "%-5d %-8s %9.1f %9s %13s %13.2f %11.1f %9d %6d %9d  %s%n", s.round(), s.kind(),
        s.mibPerSecond(), plainRate == null ? "-" : String.format(Locale.ROOT, "%.3f", s.mibPerSecond() / plainRate),
        loop, s.processCpuNanos() / 1e6 / mibs, relayedMib, s.relayedPackets(), s.relayDropped(), s.udpOverflows(), s.busy());
    return s;
  }

  static void summarize(List<Sample> samples, List<Ratio> ratios) {
    System.out.println();
    System.out.println("medians:");
    for (String kind : List.of("plain", "direct", "relayed")) {
      List<Sample> of = samples.stream().filter(s -> s.kind().equals(kind)).toList();
      if (of.isEmpty()) {
        continue;
      }
      double rate = median(of.stream().mapToDouble(Sample::mibPerSecond).toArray());
      double proc = median(of.stream().mapToDouble(s -> s.processCpuNanos() / 1e6 / (s.bytes() / MIB)).toArray());
      double[] vsPlain = ratios.stream().filter(r -> r.kind().equals(kind)).mapToDouble(Ratio::value).toArray();
      String extra = vsPlain.length == 0 ? ""
          : String.format(Locale.ROOT, ", %.3f x the plain copy (median of %d ratios)", median(vsPlain), vsPlain.length);
      if (kind.equals("relayed")) {
        double loop = median(of.stream().mapToDouble(s -> s.loopCpuNanos() / 1e6 / (s.relayedBytes() / MIB)).toArray());
        double overhead = median(of.stream().mapToDouble(s -> (double) s.relayedBytes() / s.bytes()).toArray());
        double perPacket = median(of.stream().mapToDouble(s -> (double) s.relayedBytes() / s.relayedPackets()).toArray());
        extra += String.format(Locale.ROOT, ", server loop %.2f ms CPU per MiB relayed (%.1f µs per packet),"
            + " relayed bytes %.3f x the file's, %.0f bytes per packet", loop,
            median(of.stream().mapToDouble(s -> s.loopCpuNanos() / 1e3 / s.relayedPackets()).toArray()),
            overhead, perPacket);
      }
      System.out.printf(Locale.ROOT, "  %-8s %8.1f MiB/s, process %.2f ms CPU per MiB%s%n", kind, rate, proc, extra);
    }
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    java.util.Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  static Path randomFile(Path path, long bytes) throws IOException {
    Random random = new Random(bytes);
    byte[] block = new byte[1 << 20];
    try (var out = Files.newOutputStream(path)) {
      for (long left = bytes; left > 0; left -= block.length) {
        random.nextBytes(block);
        out.write(block, 0, (int) Math.min(block.length, left));
      }
    }
    return path;
  }

  static String sha256(Path file) throws IOException {
    try (var in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Datagrams the kernel dropped for a full socket receive buffer, machine-wide (RcvbufErrors in
   * /proc/net/snmp): other processes' sockets count too, so it is a hint of loss, not a measure.
   * -1 where the file is not there.
   */
  static long udpOverflows() {
    try {
      List<String> udp = Files.readAllLines(Path.of("/proc/net/snmp")).stream().filter(l -> l.startsWith("Udp:")).toList();
      List<String> names = List.of(udp.get(0).split("\\s+"));
      return Long.parseLong(udp.get(1).split("\\s+")[names.indexOf("RcvbufErrors")]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "unknown";
    }
  }
}
