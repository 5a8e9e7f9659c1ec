package org.p2pchat.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.ServerPublicKey;
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
import org.p2pchat.testing.InMemoryChatStore;

/**
 * {@link FileTransferBench} with the server, the sender and the receivers in three processes, which
 * {@code benchmarks/netns/files.sh} starts in three network namespaces joined by a bridge: the
 * packets cross veth pairs and a bridge rather than loopback. Roles:
 *
 * <ul>
 *   <li>{@code server ADDRESS PORT}: the server (relay bounds 1 GiB/s), with alice, bob and carol
 *       registered and alice a mutual contact of the other two; prints its key; answers
 *       {@code mark} on PORT+1 (UDP) with the relay's counters and its loop thread's CPU time.
 *   <li>{@code receivers SERVER PORT KEY DIR PLAIN_ADDRESS PLAIN_PORT}: bob (direct connections
 *       allowed) and carol (relay only), accepting every file into DIR and deleting it once
 *       checked, and the plain copy's receiver.
 *   <li>{@code sender SERVER PORT KEY MIB ROUNDS DIR PLAIN_RECEIVER PLAIN_PORT}: alice, who runs
 *       the warm-up and the rounds P D P R ... P as {@link FileTransferBench} does and prints the
 *       same table.
 * </ul>
 *
 * <p>The receiver's loop is in another process, so its busy share is not printed; the server
 * loop's CPU comes from the server process, asked before and after each transfer.
 */
public final class FileTransferNetns {
  private static final String PASSWORD = "file-bench-password";
  private static final UserName ALICE = UserName.of("alice");
  private static final UserName BOB = UserName.of("bob");
  private static final UserName CAROL = UserName.of("carol");

  private FileTransferNetns() {}

  /** Runs one role; see the class comment. */
  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "server" -> server(args[1], Integer.parseInt(args[2]));
      case "receivers" -> receivers(new InetSocketAddress(args[1], Integer.parseInt(args[2])), ServerPublicKey.parse(args[3]),
          Path.of(args[4]), new InetSocketAddress(args[5], Integer.parseInt(args[6])));
      case "sender" -> sender(new InetSocketAddress(args[1], Integer.parseInt(args[2])), ServerPublicKey.parse(args[3]),
          Integer.parseInt(args[4]), Integer.parseInt(args[5]), Path.of(args[6]),
          new InetSocketAddress(args[7], Integer.parseInt(args[8])));
      default -> throw new IllegalArgumentException("role server, receivers or sender, not " + args[0]);
    }
  }

  private static ChatClient client(InetSocketAddress server, ServerPublicKey key, boolean direct, ChatListener listener)
      throws Exception {
    return ChatClients.builder().server(server).serverKey(key)
        .config(ClientConfig.builder().directConnections(direct).build()).listener(listener).build();
  }

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(60, TimeUnit.SECONDS);
  }

  private static void server(String address, int port) throws Exception {
    FileTransferBench.RelayCounts relay = new FileTransferBench.RelayCounts();
    ServerConfig config = ServerConfig.builder().argon2MemoryKib(64).argon2Iterations(1)
        .relayBytesPerSecondPerUser(1L << 30).relayBytesPerSecondTotal(1L << 30).build();
    try (InMemoryChatStore store = new InMemoryChatStore();
         ChatServer server = ChatServers.builder().store(store).bind(new InetSocketAddress(address, port))
             .config(config).metrics(relay).build();
         DatagramSocket control = new DatagramSocket(new InetSocketAddress(address, port + 1))) {
      ServerPublicKey key = server.publicKey().orElseThrow();
      try (ChatClient alice = client(server.localAddress(), key, true, m -> {});
           ChatClient bob = client(server.localAddress(), key, true, m -> {});
           ChatClient carol = client(server.localAddress(), key, false, m -> {})) {
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
      String name = "p2pchat-loop-" + server.localAddress().getPort();
      long loop = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name))
          .findFirst().orElseThrow().getId();
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      System.out.println("key " + key.base64());
      System.out.flush();
      byte[] buffer = new byte[64];
      while (true) {
        DatagramPacket request = new DatagramPacket(buffer, buffer.length);
        control.receive(request);
        byte[] answer = (relay.bytes.sum() + " " + relay.packets.sum() + " " + relay.dropped.sum() + " "
            + threads.getThreadCpuTime(loop)).getBytes(StandardCharsets.US_ASCII);
        control.send(new DatagramPacket(answer, answer.length, request.getSocketAddress()));
      }
    }
  }

  /** bytes, packets, dropped, loop CPU ns: the server's counters now. */
  private static long[] mark(DatagramSocket control, InetSocketAddress server) throws Exception {
    InetSocketAddress to = new InetSocketAddress(server.getAddress(), server.getPort() + 1);
    byte[] buffer = new byte[128];
    for (int attempt = 0; attempt < 10; attempt++) {
      control.send(new DatagramPacket(new byte[] {'m'}, 1, to));
      DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
      try {
        control.receive(answer);
      } catch (SocketTimeoutException e) {
        continue;
      }
      String[] f = new String(buffer, 0, answer.getLength(), StandardCharsets.US_ASCII).split(" ");
      long[] v = new long[4];
      for (int i = 0; i < 4; i++) {
        v[i] = Long.parseLong(f[i]);
      }
      return v;
    }
    throw new IllegalStateException("the server's control port does not answer");
  }

  /** A receiving device that accepts every file into {@code into} and deletes it once checked. */
  private static ChatListener deleting(Path into) {
    return new ChatListener() {
      @Override
      public void onMessage(ChatMessage message) {}

      @Override
      public void onFileOffered(IncomingFile file) {
        file.accept(into);
      }

      @Override
      public void onFileReceived(FileTransfer transfer, Path file, String sha256) {
        try {
          Files.deleteIfExists(file);
        } catch (java.io.IOException e) {
          System.err.println("could not delete " + file + ": " + e);
        }
      }
    };
  }

  private static void receivers(InetSocketAddress server, ServerPublicKey key, Path dir, InetSocketAddress plain)
      throws Exception {
    Path bobs = Files.createDirectories(dir.resolve("in-bob"));
    Path carols = Files.createDirectories(dir.resolve("in-carol"));
    try (ChatClient bob = client(server, key, true, deleting(bobs));
         ChatClient carol = client(server, key, false, deleting(carols))) {
      await(bob.login(BOB, PASSWORD, "bob's laptop"));
      await(carol.login(CAROL, PASSWORD, "carol's laptop"));
      System.out.println("receivers ready");
      System.out.flush();
      PlainUdpCopy.serve(plain, dir.resolve("plain-copy.bin"));
    }
  }

  private static void sender(InetSocketAddress server, ServerPublicKey key, int mib, int rounds, Path dir,
      InetSocketAddress plainReceiver) throws Exception {
    Files.createDirectories(dir);
    System.out.printf(Locale.ROOT, "file transfer between network namespaces: %d MiB, %d rounds, %d cores (%s), load %s,"
        + " Java %s; server %s, plain receiver %s%n", mib, rounds, Runtime.getRuntime().availableProcessors(),
        FileTransferBench.cpuModel(), FileTransferBench.loadAverage(), System.getProperty("java.version"), server,
        plainReceiver);
    Path file = FileTransferBench.randomFile(dir.resolve("file.bin"), (long) mib << 20);
    InetSocketAddress local = new InetSocketAddress(0);
    List<FileTransferBench.Sample> samples = new ArrayList<>();
    List<FileTransferBench.Ratio> ratios = new ArrayList<>();
    boolean directRelayedNothing = true;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (DatagramSocket control = new DatagramSocket()) {
      control.setSoTimeout(1000);

      Transfer plain = round -> {
        long cpu0 = os.getProcessCpuTime();
        long overflows = FileTransferBench.udpOverflows();
        PlainUdpCopy.Result r = PlainUdpCopy.sendTo(local, plainReceiver, file);
        return new FileTransferBench.Sample("plain", round, Files.size(file), r.nanos(), 0, os.getProcessCpuTime() - cpu0,
            0, 0, 0, FileTransferBench.udpOverflows() - overflows,
            FileTransferBench.busy(r.senderCpuNanos(), -1, 0, r.nanos()).replaceFirst("0%$", "-"));
      };
      Transfer direct = round -> chat(server, key, BOB, "direct", round, file, control, threads, os);
      Transfer relayed = round -> chat(server, key, CAROL, "relayed", round, file, control, threads, os);

      System.out.println("warm-up (untimed) ...");
      plain.run(0);
      direct.run(0);
      relayed.run(0);
      System.out.println();
      FileTransferBench.printHeader();
      samples.add(FileTransferBench.print(plain.run(1), null));
      for (int round = 1; round <= rounds; round++) {
        for (Transfer chat : List.of(direct, relayed)) {
          FileTransferBench.Sample s = chat.run(round);
          FileTransferBench.Sample after = plain.run(round + (chat == relayed ? 1 : 0));
          ratios.add(FileTransferBench.print(s, FileTransferBench.mean(samples.get(samples.size() - 1), after)));
          samples.add(s);
          samples.add(FileTransferBench.print(after, null));
          if (chat == direct) {
            directRelayedNothing &= s.relayedBytes() == 0;
          }
        }
      }
    }
    FileTransferBench.summarize(samples, ratios);
    if (!directRelayedNothing) {
      System.out.println("FAILED: the server relayed bytes during a direct transfer");
      System.exit(1);
    }
  }

  /** One measurement. */
  private interface Transfer {
    FileTransferBench.Sample run(int round) throws Exception;
  }

  private static void waitForPath(ChatClient alice, UserName to, PeerPath expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!alice.peers().path(to).equals(Optional.of(expected))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("alice's path to " + to + " is " + alice.peers().path(to) + ", not " + expected);
      }
      Thread.sleep(10);
    }
  }

  /**
   * One chat transfer, from a session of alice's of its own: its new link to the receiver is
   * introduced and probed afresh, as the loopback benchmark's are. (A link kept from one
   * measurement to the next loses its direct path when it sends after 3 to 5 s of quiet; see
   * docs/benchmarks.md, issue 19.)
   */
  private static FileTransferBench.Sample chat(InetSocketAddress server, ServerPublicKey key, UserName to, String kind,
      int round, Path file, DatagramSocket control, ThreadMXBean threads,
      com.sun.management.OperatingSystemMXBean os) throws Exception {
    java.util.Set<Long> existing = new java.util.HashSet<>();
    for (long id : threads.getAllThreadIds()) {
      existing.add(id);
    }
    try (ChatClient alice = client(server, key, true, m -> {})) {
      long aliceLoop = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> !existing.contains(t.getId()) && t.getName().startsWith("p2pchat-client-")
              && !t.getName().startsWith("p2pchat-client-events"))
          .findFirst().orElseThrow().getId();
      await(alice.login(ALICE, PASSWORD, "alice's laptop"));
      await(alice.peers().connect(to));
      return chat(alice, to, kind, round, file, control, server, threads, aliceLoop, os);
    }
  }

  private static FileTransferBench.Sample chat(ChatClient alice, UserName to, String kind, int round, Path file,
      DatagramSocket control, InetSocketAddress server, ThreadMXBean threads, long aliceLoop,
      com.sun.management.OperatingSystemMXBean os) throws Exception {
    PeerPath expected = kind.equals("direct") ? PeerPath.DIRECT : PeerPath.RELAYED;
    waitForPath(alice, to, expected);
    long[] before = mark(control, server);
    long cpu0 = os.getProcessCpuTime();
    long sender0 = threads.getThreadCpuTime(aliceLoop);
    long overflows = FileTransferBench.udpOverflows();
    long start = System.nanoTime();
    alice.peers().sendFile(to, file).get(10, TimeUnit.MINUTES);
    long nanos = System.nanoTime() - start;
    long sender = threads.getThreadCpuTime(aliceLoop) - sender0;
    long processCpu = os.getProcessCpuTime() - cpu0;
    long[] after = mark(control, server);
    String busy = FileTransferBench.busy(sender, after[3] - before[3], 0, nanos).replaceFirst("0%$", "-");
    return new FileTransferBench.Sample(kind, round, Files.size(file), nanos, after[3] - before[3], processCpu,
        after[0] - before[0], after[1] - before[1], after[2] - before[2], FileTransferBench.udpOverflows() - overflows, busy);
  }
}
