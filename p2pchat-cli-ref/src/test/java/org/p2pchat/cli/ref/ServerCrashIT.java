package org.p2pchat.cli.ref;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.HistoryPage;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.protocol.ChatClients;
import org.p2pchat.api.ServerPublicKey;

/**
 * SIGKILL at random moments under load: the real server process, several clients sending,
 * the server killed and restarted on the same database and port again and again. Every
 * message whose acknowledgement a client received is in the store exactly once.
 *
 * <p>The ordinary run kills 3 times; {@code -Dp2pchat.crash.kills=20} (or more) is the long
 * mode of docs/reliability.md, {@code -Dp2pchat.crash.seed=N} picks other moments.
 */
class ServerCrashIT {
  private static final int KILLS = Integer.getInteger("p2pchat.crash.kills", 3);
  private static final long SEED = Long.getLong("p2pchat.crash.seed", 20261125L);
  private static final int CLIENTS = 4;
  private static final String PASSWORD = "crash-test-password";

  @TempDir Path dir;
  /** The server of the moment: each restart replaces it. */
  private ServerProcess server;

  @AfterEach
  void killTheServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void everyAcknowledgedMessageSurvivesRepeatedSigkillExactlyOnce() throws Exception {
    Path db = dir.resolve("crash.db");
    Path log = dir.resolve("server.log");
    Random random = new Random(SEED);
    List<String> users = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      users.add("crash" + i);
    }

    server = start(db, log, 0);
    int port = server.port;
    InetSocketAddress address = new InetSocketAddress(server.host, port);
    ServerPublicKey key = server.key; // kept beside the database, so the same after restarts
    register(address, key, users);

    AckLog acked = new AckLog();
    CountDownLatch stop = new CountDownLatch(1);
    List<AckedSender> senders = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (String user : users) {
      List<String> peers = new ArrayList<>(users);
      peers.remove(user);
      AckedSender sender = new AckedSender(address, key, user, PASSWORD, peers, stop, acked);
      senders.add(sender);
      Thread t = new Thread(sender, "load-" + user);
      threads.add(t);
      t.start();
    }

    List<Integer> acksAtKill = new ArrayList<>();
    try {
      for (int kill = 0; kill < KILLS; kill++) {
        // A random moment, measured in progress: after 20 to 400 more acknowledgements.
        awaitAcks(acked, acked.size() + 20 + random.nextInt(381), threads);
        server.kill();
        acksAtKill.add(acked.size());
        server = start(db, log, port);
      }
      awaitAcks(acked, acked.size() + 50, threads);
    } finally {
      stop.countDown();
      for (Thread t : threads) {
        t.join(TimeUnit.SECONDS.toMillis(60));
      }
    }

    Map<Long, Integer> seen = new HashMap<>();
    Map<String, Integer> bodies = new HashMap<>();
    for (String user : users) {
      for (ChatMessage m : receivedBy(address, key, user)) {
        seen.merge(m.id(), 1, Integer::sum);
        bodies.merge(m.sender().value() + ":" + m.body(), 1, Integer::sum);
      }
    }
    for (ChatMessage m : acked.messages()) {
      assertThat(seen.get(m.id())).as("copies of acknowledged message %d", m.id()).isEqualTo(1);
      assertThat(bodies.get(m.sender().value() + ":" + m.body()))
          .as("copies of acknowledged body '%s'", m.body()).isEqualTo(1);
    }
    assertThat(bodies.values()).as("no body stored twice").allMatch(n -> n == 1);
    System.out.printf("crash test: %d kills at %s acks, %d acknowledged messages all present once,"
        + " %d stored in all, %d client failures retried%n", KILLS, acksAtKill, acked.size(),
        seen.size(), senders.stream().mapToLong(AckedSender::failures).sum());
    assertThat(server.stop()).as("exit status after SIGTERM").isZero();
  }

  private static ServerProcess start(Path db, Path log, int port) throws Exception {
    return ServerProcess.start(List.of(), log, "--bind", "127.0.0.1", "--port", Integer.toString(port),
        "--db", db.toString(), "--synchronous", "FULL",
        "--login-attempts-per-address", "1000000", "--login-attempts-per-account", "1000000");
  }

  private static void register(InetSocketAddress server, ServerPublicKey key, List<String> users) throws Exception {
    try (ChatClient client = ChatClients.builder().server(server).serverKey(key).build()) {
      for (String user : users) {
        client.register(UserName.of(user), PASSWORD).get(30, TimeUnit.SECONDS);
      }
    }
  }

  /** Waits for the acknowledgement count to reach {@code target}, at most two minutes. */
  private static void awaitAcks(AckLog acked, int target, List<Thread> load) throws Exception {
    assertThat(acked.awaitAtLeast(target, TimeUnit.MINUTES.toMillis(2)))
        .as("%d acknowledgements within two minutes (at %d)", target, acked.size()).isTrue();
    assertThat(load).as("load threads").allMatch(Thread::isAlive);
  }

  /** Every message addressed to {@code user}, paged from the oldest. */
  private static List<ChatMessage> receivedBy(InetSocketAddress server, ServerPublicKey key, String user) throws Exception {
    List<ChatMessage> received = new ArrayList<>();
    try (ChatClient client = ChatClients.builder().server(server).serverKey(key).build()) {
      client.login(UserName.of(user), PASSWORD).get(30, TimeUnit.SECONDS);
      long cursor = 0;
      while (true) {
        HistoryPage page = client.history(HistoryQuery.builder()
            .direction(HistoryQuery.Direction.AFTER).cursor(cursor).limit(HistoryQuery.MAX_LIMIT).build())
            .get(30, TimeUnit.SECONDS);
        for (ChatMessage m : page.messages()) {
          if (m.recipient().value().equals(user)) {
            received.add(m);
          }
        }
        if (page.nextCursor().isEmpty()) {
          return received;
        }
        cursor = page.nextCursor().getAsLong();
      }
    }
  }
}
