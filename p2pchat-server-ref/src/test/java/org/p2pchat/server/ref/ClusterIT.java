package org.p2pchat.server.ref;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.HistoryPage;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.RoomMessage;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.client.ChatListener;
import org.p2pchat.api.client.RoomClient;
import org.p2pchat.protocol.ChatClients;

/**
 * Three server nodes, each a process of its own running the server jar, on one (embedded)
 * PostgreSQL: clients spread over them chat across nodes, one to one and in a room, a node SIGKILLed under load loses
 * nothing acknowledged while its clients move on, and a node started while the database does
 * not answer says "server busy" until it does.
 */
class ClusterIT {
  private static final String PASSWORD = "cluster-test-password";
  /** Small JVMs: three nodes, the test and PostgreSQL share two cores. */
  private static final List<String> JVM = List.of("-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  @TempDir Path dir;
  private final List<NodeProcess> nodes = new ArrayList<>();
  private final List<FailoverClient> clients = new ArrayList<>();

  @AfterEach
  void stopEverything() {
    clients.forEach(FailoverClient::close);
    nodes.forEach(NodeProcess::close);
  }

  private NodeProcess node(int n, String jdbcUrl, String... more) throws Exception {
    List<String> args = new ArrayList<>(List.of("--bind", "127.0.0.1", "--port", "0",
        "--store", "postgres", "--jdbc-url", jdbcUrl, "--db-user", TestPostgres.USER,
        "--key-file", dir.resolve("node" + n + ".key").toString(), "--db", dir.resolve("node" + n).resolve("x.db").toString(),
        "--login-attempts-per-address", "1000000", "--login-attempts-per-account", "1000000"));
    args.addAll(List.of(more));
    NodeProcess p = NodeProcess.start(dir.resolve("node" + n + ".log"),
        Map.of(StoreOptions.PASSWORD_VARIABLE, TestPostgres.PASSWORD), JVM, args.toArray(String[]::new));
    nodes.add(p);
    return p;
  }

  private List<FailoverClient.Server> cluster(int n, String jdbcUrl) throws Exception {
    List<FailoverClient.Server> servers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      servers.add(node(i, jdbcUrl).server());
    }
    return servers;
  }

  private static void register(FailoverClient.Server on, List<String> users) throws Exception {
    try (ChatClient c = ChatClients.builder().server(on.address()).serverKey(on.key()).config(FailoverClient.TOLERANT).build()) {
      for (String u : users) {
        c.register(UserName.of(u), PASSWORD).get(60, TimeUnit.SECONDS);
      }
    }
  }

  /** Messages pushed to (or caught up by) one client: how often each id arrived. */
  private static final class Received {
    final Map<Long, Integer> times = new ConcurrentHashMap<>();
    final Map<Long, ChatMessage> byId = new ConcurrentHashMap<>();
  }

  @Test
  void clientsOnThreeNodesChatAcrossNodesOneToOneAndInARoomAndEveryMessageIsDeliveredOnce() throws Exception {
    List<FailoverClient.Server> servers = cluster(3, TestPostgres.url(TestPostgres.newDatabase()));
    int users = 6;
    int perUser = 10;
    List<String> names = new ArrayList<>();
    for (int i = 0; i < users; i++) {
      names.add("user" + i);
    }
    register(servers.get(1), names);
    CountDownLatch allDelivered = new CountDownLatch(users * perUser);
    int roomPerUser = 3;
    CountDownLatch allRoomDelivered = new CountDownLatch(users * (users - 1) * roomPerUser);
    List<Received> received = new ArrayList<>();
    List<Map<Long, Integer>> roomReceived = new ArrayList<>();
    for (int i = 0; i < users; i++) {
      Received r = new Received();
      received.add(r);
      Map<Long, Integer> inRoom = new ConcurrentHashMap<>();
      roomReceived.add(inRoom);
      FailoverClient c = new FailoverClient(servers, i % 3, names.get(i), PASSWORD, new ChatListener() {
        @Override
        public void onMessage(ChatMessage m) {
          if (r.times.merge(m.id(), 1, Integer::sum) == 1) {
            r.byId.put(m.id(), m);
            allDelivered.countDown();
          }
        }

        @Override
        public void onRoomMessage(RoomMessage m) {
          if (inRoom.merge(m.id(), 1, Integer::sum) == 1) {
            allRoomDelivered.countDown();
          }
        }
      });
      c.connected();
      clients.add(c);
    }

    // u_i (on node i % 3) writes to u_(i+1) (on the next node): every message crosses nodes.
    Map<Integer, List<Long>> sentTo = new HashMap<>();
    for (int k = 0; k < perUser; k++) {
      for (int i = 0; i < users; i++) {
        int to = (i + 1) % users;
        ChatMessage m = clients.get(i).send(names.get(to), names.get(i) + " #" + k);
        assertThat(m).as("send %s #%d acknowledged", names.get(i), k).isNotNull();
        sentTo.computeIfAbsent(to, x -> new ArrayList<>()).add(m.id());
      }
    }

    assertThat(allDelivered.await(2, TimeUnit.MINUTES)).as("every message pushed within two minutes").isTrue();
    for (int i = 0; i < users; i++) {
      assertThat(received.get(i).byId.keySet()).as("pushed to %s", names.get(i))
          .containsExactlyInAnyOrderElementsOf(sentTo.get(i));
      assertThat(received.get(i).times.values()).as("each once").allMatch(t -> t == 1);
    }

    // One room whose six members sit two to a node: every member gets every other member's
    // room messages once, whichever node stored them.
    RoomClient owner = clients.get(0).connected().rooms();
    long room = owner.create("across nodes").get(60, TimeUnit.SECONDS).id();
    for (int i = 1; i < users; i++) {
      owner.add(room, UserName.of(names.get(i))).get(60, TimeUnit.SECONDS);
    }
    Map<Integer, List<Long>> roomSentBy = new HashMap<>();
    for (int k = 0; k < roomPerUser; k++) {
      for (int i = 0; i < users; i++) {
        RoomMessage m = clients.get(i).connected().rooms().send(room, names.get(i) + " in the room #" + k)
            .get(60, TimeUnit.SECONDS);
        roomSentBy.computeIfAbsent(i, x -> new ArrayList<>()).add(m.id());
      }
    }
    assertThat(allRoomDelivered.await(2, TimeUnit.MINUTES)).as("every room message pushed within two minutes").isTrue();
    for (int i = 0; i < users; i++) {
      List<Long> fromOthers = new ArrayList<>();
      for (int j = 0; j < users; j++) {
        if (j != i) {
          fromOthers.addAll(roomSentBy.get(j));
        }
      }
      assertThat(roomReceived.get(i).keySet()).as("room messages pushed to %s", names.get(i))
          .containsExactlyInAnyOrderElementsOf(fromOthers);
      assertThat(roomReceived.get(i).values()).as("each once").allMatch(t -> t == 1);
      assertThat(clients.get(i).online()).isTrue();
    }
  }

  @Test
  void aNodeKilledUnderLoadLosesNothingAcknowledgedAndItsClientsMoveOn() throws Exception {
    List<FailoverClient.Server> servers = cluster(3, TestPostgres.url(TestPostgres.newDatabase()));
    int users = 6;
    List<String> names = new ArrayList<>();
    for (int i = 0; i < users; i++) {
      names.add("kill" + i);
    }
    register(servers.get(1), names);
    Map<Long, ChatMessage> acked = new ConcurrentHashMap<>();
    Count ackCount = new Count();
    AtomicBoolean stop = new AtomicBoolean();
    List<Count> ackedBy = new ArrayList<>();
    List<Thread> load = new ArrayList<>();
    List<Throwable> failures = new ArrayList<>();
    for (int i = 0; i < users; i++) {
      FailoverClient c = new FailoverClient(servers, i % 3, names.get(i), PASSWORD, m -> { });
      clients.add(c);
      Count mine = new Count();
      ackedBy.add(mine);
      int me = i;
      Thread t = new Thread(() -> {
        try {
          for (int k = 0; !stop.get(); k++) {
            ChatMessage m = c.send(names.get((me + 1 + k % (users - 1)) % users), names.get(me) + " #" + k);
            if (m != null) {
              assertThat(acked.putIfAbsent(m.id(), m)).as("id %d acknowledged twice", m.id()).isNull();
              ackCount.increment();
              mine.increment();
            }
          }
        } catch (Throwable e) {
          synchronized (failures) {
            failures.add(e);
          }
        }
      }, "load-" + names.get(i));
      load.add(t);
      t.start();
    }

    ackCount.await(150);
    nodes.get(0).kill();
    List<Integer> wereOnIt = new ArrayList<>();
    Map<Integer, Integer> acksAtKill = new HashMap<>();
    for (int i = 0; i < users; i++) {
      acksAtKill.put(i, ackedBy.get(i).get());
      if (clients.get(i).firstNode() == 0) {
        wereOnIt.add(i);
      }
    }
    assertThat(wereOnIt).as("clients on the node killed").isNotEmpty();
    for (int i : wereOnIt) {
      ackedBy.get(i).await(acksAtKill.get(i) + 20); // the SDK moved it to another node, and it sends there
    }
    stop.set(true);
    for (Thread t : load) {
      t.join(TimeUnit.MINUTES.toMillis(2));
    }
    assertThat(failures).isEmpty();
    for (int i : wereOnIt) {
      assertThat(clients.get(i).online()).as("%s online again, on another node", names.get(i)).isTrue();
    }

    // Every history, read on a surviving node: each acknowledged message exactly once, in id
    // order, and each sender's messages to a peer in the order sent.
    Map<Long, Integer> copies = new HashMap<>();
    Map<String, Integer> bodies = new HashMap<>();
    for (String u : names) {
      List<ChatMessage> history = historyOf(servers.get(2), u);
      for (int i = 1; i < history.size(); i++) {
        assertThat(history.get(i).id()).isGreaterThan(history.get(i - 1).id());
      }
      Map<String, Integer> lastSeq = new HashMap<>();
      for (ChatMessage m : history) {
        if (m.recipient().value().equals(u)) {
          copies.merge(m.id(), 1, Integer::sum);
          bodies.merge(m.body(), 1, Integer::sum);
          int seq = Integer.parseInt(m.body().substring(m.body().indexOf('#') + 1));
          Integer before = lastSeq.put(m.sender().value(), seq);
          assertThat(before == null || before < seq).as("%s's messages to %s in order", m.sender(), u).isTrue();
        }
      }
    }
    for (ChatMessage m : acked.values()) {
      assertThat(copies.get(m.id())).as("copies of acknowledged message %d", m.id()).isEqualTo(1);
    }
    assertThat(bodies.values()).as("no body stored twice").allMatch(n -> n == 1);
    System.out.printf("cluster kill test: %d acknowledged, %d stored, %d clients moved off the killed node%n",
        acked.size(), copies.size(), wereOnIt.size());
    assertThat(nodes.get(1).stop()).isZero();
    assertThat(nodes.get(2).stop()).isZero();
  }

  @Test
  void aNodeStartedWhileTheDatabaseDoesNotAnswerSaysServerBusyAndRecoversByItself() throws Exception {
    String db = TestPostgres.newDatabase();
    try (TcpGate gate = new TcpGate(TestPostgres.port())) {
      NodeProcess node = node(0, TestPostgres.url(gate.port(), db), "--db-wait", "5m");
      try (ChatClient c = ChatClients.builder().server(node.address).serverKey(node.key)
          .config(FailoverClient.TOLERANT).build()) {
        assertThat(codeOf(() -> c.register(UserName.of("early"), PASSWORD).get(60, TimeUnit.SECONDS)))
            .isEqualTo(ErrorCode.SERVER_BUSY);

        gate.open();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        ErrorCode code;
        while ((code = codeOf(() -> c.register(UserName.of("early"), PASSWORD).get(60, TimeUnit.SECONDS))) != null) {
          assertThat(code).isEqualTo(ErrorCode.SERVER_BUSY);
          assertThat(System.nanoTime()).as("the node recovered within two minutes").isLessThan(deadline);
        }
        c.login(UserName.of("early"), PASSWORD).get(60, TimeUnit.SECONDS);
        assertThat(c.send(UserName.of("early"), "note to self").get(60, TimeUnit.SECONDS).id()).isPositive();
      }
      assertThat(node.stop()).isZero();
    }
  }

  private interface Call {
    void run() throws Exception;
  }

  /** The error code a call fails with, or null when it succeeds. */
  private static ErrorCode codeOf(Call call) throws Exception {
    try {
      call.run();
      return null;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ChatException c) {
        return c.code();
      }
      throw e;
    }
  }

  /** A count that a test thread can wait on. */
  private static final class Count {
    private int n;

    synchronized void increment() {
      n++;
      notifyAll();
    }

    synchronized int get() {
      return n;
    }

    /** Waits until the count reaches {@code target}, for at most three minutes. */
    synchronized void await(int target) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      while (n < target) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        assertThat(left).as("%d reached within three minutes (at %d)", target, n).isPositive();
        wait(left);
      }
    }
  }

  /** A user's whole history, oldest first, read on {@code node}. */
  private static List<ChatMessage> historyOf(FailoverClient.Server node, String user) throws Exception {
    List<ChatMessage> all = new ArrayList<>();
    try (ChatClient c = ChatClients.builder().server(node.address()).serverKey(node.key())
        .config(FailoverClient.TOLERANT).build()) {
      c.login(UserName.of(user), PASSWORD).get(60, TimeUnit.SECONDS);
      long cursor = 0;
      while (true) {
        HistoryPage page = c.history(HistoryQuery.builder().direction(HistoryQuery.Direction.AFTER)
            .cursor(cursor).limit(HistoryQuery.MAX_LIMIT).build()).get(60, TimeUnit.SECONDS);
        all.addAll(page.messages());
        if (page.nextCursor().isEmpty()) {
          return all;
        }
        cursor = page.nextCursor().getAsLong();
      }
    }
  }
}
