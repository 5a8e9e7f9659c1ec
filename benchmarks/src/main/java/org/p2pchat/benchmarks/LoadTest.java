package org.p2pchat.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.server.ChatServer;
import org.p2pchat.protocol.ChatClients;
import org.p2pchat.protocol.ChatServers;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.api.ServerPublicKey;
import org.p2pchat.store.sqlite.SqliteChatStore;

/**
 * End-to-end load test over loopback UDP: the real server on its SQLite store with
 * {@code synchronous=FULL}, many client sessions, and in the same run the ceiling, a raw UDP
 * echo server on the same socket setup ({@link EchoCeiling}). Phases, each a warm-up then a
 * measurement:
 *
 * <ol>
 *   <li>echo ceiling: as many echo clients as chat clients, each with the same window in flight;
 *   <li>one transaction per message: one client, one send in flight, so every message is its
 *       own commit;
 *   <li>closed loop: every client keeps its window of sends in flight (the maximum rate);
 *   <li>online delivery with receipts: {@value #PAIRS} pairs of a sender and its own online
 *       recipient, each pair with the clients' window in flight, a message done when its sender
 *       hears it was delivered (stored, pushed, acknowledged by the recipient's client, marked
 *       delivered, receipt pushed);
 *   <li>send and wait until the recipient has it: one pair, one message at a time;
 *   <li>open loop: sends issued at a fixed rate, 80%, then 50% and 25% of the closed loop's,
 *       latency measured from each send's intended start (coordinated omission corrected), with
 *       the generator's own account of the rate it kept.
 * </ol>
 *
 * <p>Afterwards every acknowledged message id is looked up in the database file, every body
 * (each send's is unique) is checked to be stored exactly once, and every message of the online
 * phases to have arrived once and be marked delivered. Passwords are
 * hashed with a cheap Argon2 setting (8 KiB, 1 pass) and the per-address login limit is raised,
 * since every client registers and logs in from 127.0.0.1; neither is on the measured path.
 *
 * <p>Run (arguments optional: seconds per measurement, clients, sends in flight per client,
 * directory for the database):
 * {@code java -cp benchmarks/target/benchmarks.jar org.p2pchat.benchmarks.LoadTest 10 8 64}.
 */
public final class LoadTest {
  /** {@code -Dp2pchat.plaintext=true} measures without the secure channel (loopback only). */
  private static final boolean PLAINTEXT = Boolean.getBoolean("p2pchat.plaintext");
  /**
   * {@code -Dp2pchat.load.warmupCurve=N} first runs N windows of online delivery, each measured
   * alone with no warm-up (how long a fresh server takes to reach its steady rate).
   * {@code -Dp2pchat.load.skip=echo,closed,online,pair,open,history} leaves phases out, for profiling
   * one workload; the one-transaction phase always runs. A skipped phase reports nothing.
   */
  private static final List<String> SKIP = List.of(System.getProperty("p2pchat.load.skip", "").split(","));

  static final String BODY = SendCodecBenchmark.BODY;
  private static final String PASSWORD = "load-test-password";
  /** Open-loop rates as shares of the closed loop's: the target is at 80%, the rest show the curve. */
  private static final double[] OPEN_LOOP_SHARES = {0.8, 0.5, 0.25};
  /** How many stored messages the history phase reads after a login. */
  static final int HISTORY_MESSAGES = 10_000;
  /** Sender-recipient pairs of the online-delivery phase. */
  static final int PAIRS = 8;
  private static final java.util.concurrent.atomic.AtomicLong BODIES = new java.util.concurrent.atomic.AtomicLong();

  /**
   * A body as long as {@link #BODY} that no other send of the run has: its last 12 characters
   * count the sends, so the store check can find a message stored twice.
   */
  static String uniqueBody() {
    // Not String.format: in a JFR profile the generator's formatting was a fifth of all the
    // process allocated, which the server's GC pauses then paid for.
    char[] body = BODY.toCharArray();
    long n = BODIES.incrementAndGet();
    for (int i = body.length - 1; i >= body.length - 12; i--, n >>>= 4) {
      body[i] = Character.forDigit((int) (n & 0xf), 16);
    }
    return new String(body);
  }

  private LoadTest() {}

  /**
   * Runs every phase and prints the figures.
   *
   * @param args seconds per measurement (default 10), clients (8), sends in flight per client
   *     (64), directory for the database (a temporary one)
   */
  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int window = args.length > 2 ? Integer.parseInt(args[2]) : 64;
    Path dir = args.length > 3 ? Files.createDirectories(Path.of(args[3]))
        : Files.createTempDirectory("p2pchat-load");
    Duration measure = Duration.ofSeconds(seconds);
    Duration warmup = Duration.ofSeconds(Math.max(2, seconds / 3));
    System.out.printf(Locale.ROOT, "load test: %d clients x %d in flight, %d s per measurement, "
        + "%d cores, Java %s, database in %s%n", clients, window, seconds,
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), dir);

    PhaseResult echo = SKIP.contains("echo") ? PhaseResult.SKIPPED : EchoCeiling.run(clients, window, warmup, measure);
    print("echo ceiling (raw UDP)", echo);

    Path db = dir.resolve("chat.db");
    ServerConfig config = ServerConfig.builder()
        .argon2MemoryKib(8)
        .argon2Iterations(1)
        .loginAttemptsPerAddress(100_000)
        .build();
    AckLog acks = new AckLog();
    PhaseResult serial;
    PhaseResult closed;
    PhaseResult online;
    PhaseResult onePair;
    List<UserName> receivers = new ArrayList<>();
    List<PhaseResult> open = new ArrayList<>();
    try (SqliteChatStore store = SqliteChatStore.builder(db)
        .synchronous(SqliteChatStore.Synchronous.FULL).open()) {
      ChatServers.Builder serverBuilder = ChatServers.builder().store(store)
          .bind(new InetSocketAddress("127.0.0.1", 0)).config(config);
      if (PLAINTEXT) {
        serverBuilder.plaintext();
      }
      ChatServer server = serverBuilder.build();
      ServerPublicKey key = PLAINTEXT ? null : server.publicKey().orElseThrow();
      System.out.println(PLAINTEXT ? "channel: plaintext (-Dp2pchat.plaintext=true)" : "channel: encrypted (Noise NK)");
      List<ChatClient> senders = new ArrayList<>();
      try {
        InetSocketAddress address = server.localAddress();
        UserName sink = UserName.of("sink");
        // The recipient never logs in: each send is stored for later, no push on the path.
        connect(address, key, sink, false).close();
        for (int i = 0; i < clients; i++) {
          senders.add(connect(address, key, UserName.of("load" + i), true));
        }
        serial = new ClosedLoop(senders.subList(0, 1), sink, 1, acks).run(warmup, measure);
        print("one transaction per message (1 client, 1 in flight)", serial);
        closed = SKIP.contains("closed") ? PhaseResult.SKIPPED
            : new ClosedLoop(senders, sink, window, acks).run(warmup, measure);
        print("closed loop (full speed)", closed);

        List<OnlineDelivery.Pair> pairs = new ArrayList<>();
        for (int i = 0; i < PAIRS; i++) {
          pairs.add(pair(address, key, i, receivers));
        }
        // -Dp2pchat.load.warmupCurve=N: N back-to-back windows of online delivery before the
        // phases, no warm-up, each measured alone: how long a fresh server takes to warm up.
        int curve = Integer.getInteger("p2pchat.load.warmupCurve", 0);
        for (int w = 0; w < curve; w++) {
          OnlineDelivery d = new OnlineDelivery(pairs, window, OnlineDelivery.Completion.RECEIPT, acks);
          PhaseResult r = d.run(Duration.ZERO, measure);
          print(String.format(Locale.ROOT, "warm-up curve, window %d of %d s, online with receipts", w + 1,
              measure.toSeconds()), r);
          System.out.println("  check: " + d.check());
        }
        online = PhaseResult.SKIPPED;
        if (!SKIP.contains("online")) {
          OnlineDelivery delivery = new OnlineDelivery(pairs, window, OnlineDelivery.Completion.RECEIPT, acks);
          online = delivery.run(warmup, measure);
          print(String.format(Locale.ROOT, "online, %d pairs x %d, until the sender's receipt", PAIRS, window), online);
          System.out.println("  check: " + delivery.check());
        }
        onePair = PhaseResult.SKIPPED;
        if (!SKIP.contains("pair")) {
          OnlineDelivery waiting = new OnlineDelivery(pairs.subList(0, 1), 1, OnlineDelivery.Completion.ARRIVAL, acks);
          onePair = waiting.run(warmup, measure);
          print("online, 1 pair x 1, until the recipient has it", onePair);
          System.out.println("  check: " + waiting.check());
        }

        for (double share : SKIP.contains("open") || SKIP.contains("closed") ? new double[0] : OPEN_LOOP_SHARES) {
          double rate = closed.perSecond() * share;
          OpenLoop loop = new OpenLoop(senders, sink, rate, acks);
          PhaseResult r = loop.run(warmup, measure);
          print(String.format(Locale.ROOT, "open loop at %.0f/s (%.0f%% of closed loop)", rate,
              share * 100), r);
          System.out.println("  " + loop.generatorReport());
          open.add(r);
        }
        if (!SKIP.contains("history")) {
          if (SKIP.contains("closed")) {
            topUp(store, sink, HISTORY_MESSAGES);
          }
          // both ways in the same run, alternating which goes first, each on a fresh client
          List<Long> paged = null;
          List<Long> parallel = null;
          for (int round = 0; round < 3; round++) {
            for (int way = 0; way < 2; way++) {
              boolean many = (round + way) % 2 == 1;
              List<Long> ids = readHistoryAfterLogin(address, key, sink, HISTORY_MESSAGES, many);
              if (many) {
                parallel = ids;
              } else {
                paged = ids;
              }
            }
          }
          System.out.println("  check: readHistory returned " + (paged.equals(parallel) ? "the same"
              : "NOT the same") + " " + parallel.size() + " messages as paging");
        }
      } finally {
        for (ChatClient c : senders) {
          c.close();
        }
        server.close();
      }
    }
    verify(db, acks, receivers);

    System.out.println();
    System.out.printf(Locale.ROOT, "closed loop / echo ceiling: %.1f%% (target >= 50%%)%n",
        100.0 * closed.perSecond() / echo.perSecond());
    while (open.size() < 2) {
      open.add(PhaseResult.SKIPPED);
    }
    System.out.printf(Locale.ROOT, "open loop p99 at 80%% of max: %.3f ms (target <= 5 ms)%n",
        open.get(0).latency().getValueAtPercentile(99) / 1e6);
    System.out.printf(Locale.ROOT, "open loop p99 at 50%% of max: %.3f ms (target <= 2 ms)%n",
        open.get(1).latency().getValueAtPercentile(99) / 1e6);
    System.out.printf(Locale.ROOT, "closed loop / one transaction per message: %.1fx%n",
        closed.perSecond() / serial.perSecond());
    System.out.printf(Locale.ROOT, "online delivery with receipts / one transaction per message: %.1fx;"
        + " / echo ceiling: %.1f%%%n", online.perSecond() / serial.perSecond(),
        100.0 * online.perSecond() / echo.perSecond());
    System.out.printf(Locale.ROOT, "one pair until the recipient has it: %.0f/s, p50 %.3f ms;"
        + " one in flight until acknowledged: %.0f/s, p50 %.3f ms%n", onePair.perSecond(),
        onePair.latency().getValueAtPercentile(50) / 1e6, serial.perSecond(),
        serial.latency().getValueAtPercentile(50) / 1e6);
    if (args.length <= 3) {
      deleteTree(dir);
    }
  }

  /** The server's key, or null to talk plaintext. */
  private static ChatClient connect(InetSocketAddress server, ServerPublicKey key, UserName user, boolean login)
      throws IOException {
    return connect(server, key, user, login, null);
  }

  private static ChatClient connect(InetSocketAddress server, ServerPublicKey key, UserName user, boolean login,
      org.p2pchat.api.client.ChatListener listener) throws IOException {
    ChatClients.Builder builder = ChatClients.builder().server(server);
    if (listener != null) {
      builder.listener(listener);
    }
    ChatClient client = (key == null ? builder.plaintext() : builder.serverKey(key)).build();
    client.register(user, PASSWORD).orTimeout(30, TimeUnit.SECONDS).join();
    if (login) {
      client.login(user, PASSWORD).orTimeout(30, TimeUnit.SECONDS).join();
    }
    return client;
  }

  /**
   * Stores {@code count} more messages to {@code sink} straight into the store, for a history
   * phase run without the closed loop (which otherwise leaves the sink a long history).
   */
  private static void topUp(SqliteChatStore store, UserName sink, int count) {
    List<org.p2pchat.api.store.NewMessage> batch = new ArrayList<>();
    java.time.Instant now = java.time.Instant.now();
    for (int i = 0; i < count; i++) {
      batch.add(org.p2pchat.api.store.NewMessage.of(UserName.of("load0"), sink, uniqueBody(), now));
      if (batch.size() == 1000 || i == count - 1) {
        store.append(batch).orTimeout(60, TimeUnit.SECONDS).join();
        batch.clear();
      }
    }
  }

  /**
   * Logs in as {@code user} (who has a long history by now) on a fresh client and reads its
   * newest {@code want} messages: page after page as {@code history()} offers (each page's cursor
   * comes from the one before), or with one {@code readHistory()} that reads many pages at once;
   * prints how long from the login call.
   *
   * @return the ids read, in increasing order, so that the two ways can be compared
   */
  private static List<Long> readHistoryAfterLogin(InetSocketAddress server, ServerPublicKey key, UserName user,
      int want, boolean many) throws IOException {
    ChatClients.Builder builder = ChatClients.builder().server(server);
    try (ChatClient client = (key == null ? builder.plaintext() : builder.serverKey(key)).build()) {
      long start = System.nanoTime();
      client.login(user, PASSWORD).orTimeout(30, TimeUnit.SECONDS).join();
      long loggedIn = System.nanoTime();
      List<org.p2pchat.api.ChatMessage> read = new ArrayList<>();
      int pages = 0;
      if (many) {
        read = client.readHistory(org.p2pchat.api.HistoryQuery.latest(), want).orTimeout(30, TimeUnit.SECONDS).join();
      } else {
        List<List<org.p2pchat.api.ChatMessage>> got = new ArrayList<>();
        int held = 0;
        long cursor = 0;
        while (held < want) {
          org.p2pchat.api.HistoryPage page = client.history(org.p2pchat.api.HistoryQuery.builder()
              .cursor(cursor).limit(org.p2pchat.api.HistoryQuery.MAX_LIMIT).build())
              .orTimeout(30, TimeUnit.SECONDS).join();
          got.add(page.messages());
          held += page.messages().size();
          pages++;
          if (page.nextCursor().isEmpty()) {
            break;
          }
          cursor = page.nextCursor().getAsLong();
        }
        for (int i = got.size() - 1; i >= 0; i--) {
          read.addAll(got.get(i));
        }
        read = read.subList(Math.max(0, read.size() - want), read.size());
      }
      long end = System.nanoTime();
      System.out.printf(Locale.ROOT, "history after login, %s: %,d messages%s, %.3f s from the login call"
          + " (login %.3f s), %.0f messages/s%n", many ? "readHistory (many pages at once)" : "page after page",
          read.size(), many ? "" : " in " + pages + " pages", (end - start) / 1e9, (loggedIn - start) / 1e9,
          read.size() / ((end - loggedIn) / 1e9));
      return read.stream().map(org.p2pchat.api.ChatMessage::id).toList();
    }
  }

  /** A logged-in sender and its own logged-in recipient, their listeners routed to the running phase. */
  private static OnlineDelivery.Pair pair(InetSocketAddress server, ServerPublicKey key, int i,
      List<UserName> receivers) throws IOException {
    OnlineDelivery.Listeners listeners = new OnlineDelivery.Listeners();
    UserName recipient = UserName.of("online-to" + i);
    receivers.add(recipient);
    ChatClient to = connect(server, key, recipient, true, listeners::arrived);
    ChatClient from = connect(server, key, UserName.of("online-from" + i), true,
        new org.p2pchat.api.client.ChatListener() {
          @Override
          public void onMessage(org.p2pchat.api.ChatMessage message) {}

          @Override
          public void onStateChanged(long messageId, UserName r, org.p2pchat.api.DeliveryState state) {
            listeners.stateChanged(messageId, state);
          }
        });
    return new OnlineDelivery.Pair(from, to, recipient, listeners);
  }

  private static void print(String phase, PhaseResult r) {
    if (r == PhaseResult.SKIPPED) {
      return;
    }
    System.out.printf(Locale.ROOT, "%-55s %,10.0f /s  p50 %7.3f ms  p99 %7.3f ms  p99.9 %7.3f ms"
        + "  max %7.3f ms  cpu %6.1f us/op  (%d done, %d failed)%n", phase, r.perSecond(),
        r.latency().getValueAtPercentile(50) / 1e6, r.latency().getValueAtPercentile(99) / 1e6,
        r.latency().getValueAtPercentile(99.9) / 1e6, r.latency().getMaxValue() / 1e6,
        r.cpuMicrosPerOp(), r.latency().getTotalCount(), r.failures());
  }

  /**
   * Checks that every acknowledged message id is a row of the database, that no message is
   * stored twice (every send's body is unique), and that every message to an online recipient
   * is marked delivered.
   */
  private static void verify(Path db, AckLog acks, List<UserName> onlineRecipients) throws SQLException {
    BitSet stored = new BitSet();
    long rows = 0;
    long distinctBodies;
    long undelivered;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      try (ResultSet r = s.executeQuery("SELECT id FROM messages")) {
        while (r.next()) {
          stored.set(Math.toIntExact(r.getLong(1)));
          rows++;
        }
      }
      try (ResultSet r = s.executeQuery("SELECT COUNT(DISTINCT body) FROM messages")) {
        r.next();
        distinctBodies = r.getLong(1);
      }
      StringBuilder names = new StringBuilder();
      for (UserName u : onlineRecipients) {
        names.append(names.length() == 0 ? "'" : ",'").append(u.value()).append("'");
      }
      try (ResultSet r = s.executeQuery("SELECT COUNT(*) FROM messages m JOIN users u ON u.id = m.recipient_id"
          + " WHERE m.state < 2 AND u.name IN (" + (names.length() == 0 ? "''" : names) + ")")) {
        r.next();
        undelivered = r.getLong(1);
      }
    }
    long[] ids = acks.ids();
    long missing = 0;
    BitSet seen = new BitSet();
    long ackedTwice = 0;
    for (long id : ids) {
      if (id > Integer.MAX_VALUE || !stored.get((int) id)) {
        missing++;
      } else if (seen.get((int) id)) {
        ackedTwice++;
      } else {
        seen.set((int) id);
      }
    }
    System.out.printf(Locale.ROOT, "%nverified: %,d acknowledged sends, %,d rows in the store, "
        + "%d acknowledged but missing, %d stored twice, %d acknowledged twice, %d to online "
        + "recipients not marked delivered%n", ids.length, rows, missing, rows - distinctBodies,
        ackedTwice, undelivered);
    if (missing > 0 || rows != distinctBodies || ackedTwice > 0 || undelivered > 0) {
      throw new IllegalStateException("the store check failed");
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
