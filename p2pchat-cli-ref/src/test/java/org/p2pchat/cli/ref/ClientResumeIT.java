package org.p2pchat.cli.ref;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.HistoryPage;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.ServerPublicKey;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.client.ChatListener;
import org.p2pchat.api.client.ConnectionState;
import org.p2pchat.api.client.DeviceInfo;
import org.p2pchat.api.transport.DatagramHandler;
import org.p2pchat.api.transport.Transport;
import org.p2pchat.protocol.ChatClients;
import org.p2pchat.protocol.ClientConfig;
import org.p2pchat.protocol.secure.SecureChannel;
import org.p2pchat.protocol.transport.UdpTransport;

/**
 * A client that never gives up (issue 14), against the real server process: SIGKILLed and
 * restarted on the same database and port under two clients with device credentials, they
 * resume by themselves, every send (acknowledged before, in flight, queued while down) is
 * stored exactly once and shown once; a send whose answer was lost with the server's answer
 * cache is stored once thanks to its idempotency key; a client that changes its socket keeps its
 * session; a revoked device cannot resume while the others can.
 *
 * <p>Timing-sensitive on a loaded machine: every wait is a generous deadline on a condition, never a sleep.
 */
class ClientResumeIT {
  private static final String PASSWORD = "resume-test-password";
  private static final UserName ALICE = UserName.of("alice");
  private static final UserName BOB = UserName.of("bob");
  private static final Duration DEADLINE = Duration.ofSeconds(90);
  /** Quick to notice a dead server, patient with a loaded live one. */
  private static final ClientConfig CONFIG = ClientConfig.builder()
      .initialRetransmitTimeout(Duration.ofMillis(200))
      .maxRetransmitTimeout(Duration.ofMillis(800))
      .requestDeadline(Duration.ofSeconds(5))
      .reconnectMinDelay(Duration.ofMillis(200))
      .reconnectMaxDelay(Duration.ofSeconds(2))
      .build();

  @TempDir Path dir;
  private ServerProcess server;
  private final List<ChatClient> clients = new ArrayList<>();

  @AfterEach
  void tearDown() {
    for (ChatClient c : clients) {
      c.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** What a listener heard, thread-safe. */
  static final class Heard implements ChatListener {
    final List<ChatMessage> messages = new ArrayList<>();
    final List<ConnectionState> states = new ArrayList<>();

    @Override
    public synchronized void onMessage(ChatMessage message) {
      messages.add(message);
    }

    @Override
    public synchronized void onConnectionStateChanged(ConnectionState state, Optional<Instant> nextAttempt) {
      if (states.isEmpty() || states.get(states.size() - 1) != state) {
        states.add(state);
      }
    }

    synchronized List<String> bodies() {
      return messages.stream().map(ChatMessage::body).toList();
    }

    synchronized List<ConnectionState> states() {
      return List.copyOf(states);
    }
  }

  /** A UDP socket that can go deaf (drop what arrives) and move to a new port, on the client's loop. */
  static final class GatedTransport implements Transport {
    private volatile UdpTransport socket;
    volatile boolean deaf;
    private volatile CountDownLatch rebound;

    GatedTransport() throws IOException {
      socket = bind();
    }

    private static UdpTransport bind() throws IOException {
      return UdpTransport.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), SecureChannel.MAX_PACKET_BYTES);
    }

    /** Moves to a new socket (a new port) and waits until the client's loop did it. */
    InetSocketAddress rebind() throws InterruptedException {
      CountDownLatch done = new CountDownLatch(1);
      rebound = done;
      socket.wakeup();
      assertThat(done.await(30, TimeUnit.SECONDS)).as("rebound").isTrue();
      return socket.localAddress();
    }

    @Override
    public InetSocketAddress localAddress() {
      return socket.localAddress();
    }

    @Override
    public boolean send(ByteBuffer datagram, InetSocketAddress target) throws IOException {
      return socket.send(datagram, target);
    }

    @Override
    public int poll(DatagramHandler handler, long timeoutMillis) throws IOException {
      CountDownLatch r = rebound;
      if (r != null) {
        rebound = null;
        UdpTransport old = socket;
        socket = bind();
        old.close();
        r.countDown();
      }
      return socket.poll((datagram, from) -> {
        if (!deaf) {
          handler.onDatagram(datagram, from);
        }
      }, timeoutMillis);
    }

    @Override
    public void wakeup() {
      socket.wakeup();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private ServerProcess start(int port) throws Exception {
    return ServerProcess.start(List.of(), dir.resolve("server.log"), "--bind", "127.0.0.1",
        "--port", Integer.toString(port), "--db", dir.resolve("resume.db").toString(),
        "--keepalive-interval", "2s", "--synchronous", "FULL");
  }

  private InetSocketAddress address() {
    return new InetSocketAddress(server.host, server.port);
  }

  private ChatClient client(Heard heard, Transport transport) throws IOException {
    ChatClients.Builder b = ChatClients.builder().server(address()).serverKey(server.key).config(CONFIG)
        .listener(heard);
    if (transport != null) {
      b.transport(transport);
    }
    ChatClient c = b.build();
    clients.add(c);
    return c;
  }

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
  }

  /** Waits for a condition, checking it as the client threads report progress. */
  private static void awaitTrue(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() < deadline).as("%s within %s", what, DEADLINE).isTrue();
      Thread.onSpinWait();
      Thread.yield();
    }
  }

  private void registerAll() throws Exception {
    try (ChatClient c = ChatClients.builder().server(address()).serverKey(server.key).build()) {
      await(c.register(ALICE, PASSWORD));
      await(c.register(BOB, PASSWORD));
    }
  }

  /** Every message addressed to {@code user}, read with a fresh plain login. */
  private List<ChatMessage> receivedBy(UserName user) throws Exception {
    List<ChatMessage> all = new ArrayList<>();
    try (ChatClient c = ChatClients.builder().server(address()).serverKey(server.key).config(CONFIG).build()) {
      await(c.login(user, PASSWORD));
      long cursor = 0;
      while (true) {
        HistoryPage page = await(c.history(HistoryQuery.builder().direction(HistoryQuery.Direction.AFTER)
            .cursor(cursor).limit(HistoryQuery.MAX_LIMIT).build()));
        for (ChatMessage m : page.messages()) {
          if (m.recipient().equals(user)) {
            all.add(m);
          }
        }
        if (page.nextCursor().isEmpty()) {
          return all;
        }
        cursor = page.nextCursor().getAsLong();
      }
    }
  }

  private static Map<String, Integer> counts(List<String> bodies) {
    Map<String, Integer> n = new HashMap<>();
    for (String b : bodies) {
      n.merge(b, 1, Integer::sum);
    }
    return n;
  }

  @Test
  void bothClientsResumeAfterSigkillAndEverySendIsStoredAndShownExactlyOnce() throws Exception {
    server = start(0);
    int port = server.port;
    registerAll();
    Heard alices = new Heard();
    Heard bobs = new Heard();
    ChatClient alice = client(alices, null);
    ChatClient bob = client(bobs, null);
    await(alice.login(ALICE, PASSWORD, "alice-phone"));
    await(bob.login(BOB, PASSWORD, "bob-laptop"));

    // alice keeps sending; the server dies under her sends in flight.
    List<CompletableFuture<ChatMessage>> alicesSends = new ArrayList<>();
    List<String> alicesBodies = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      alicesBodies.add("alice #" + i);
      alicesSends.add(alice.send(BOB, "alice #" + i));
    }
    await(alicesSends.get(4));
    server.kill();
    for (int i = 10; i < 20; i++) {
      alicesBodies.add("alice #" + i);
      alicesSends.add(alice.send(BOB, "alice #" + i));
    }
    // bob notices the dead server by himself (two keepalives), and queues while it is down.
    awaitTrue("bob reconnecting", () -> bob.connectionState() == ConnectionState.RECONNECTING);
    List<CompletableFuture<ChatMessage>> bobsSends = new ArrayList<>();
    List<String> bobsBodies = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      bobsBodies.add("bob #" + i);
      bobsSends.add(bob.send(ALICE, "bob #" + i));
    }
    assertThat(bobsSends).noneMatch(CompletableFuture::isDone);

    server = start(port);
    for (CompletableFuture<ChatMessage> f : alicesSends) {
      await(f);
    }
    for (CompletableFuture<ChatMessage> f : bobsSends) {
      await(f);
    }
    awaitTrue("bob shown all of alice's messages", () -> bobs.bodies().size() >= alicesBodies.size());
    awaitTrue("alice shown all of bob's messages", () -> alices.bodies().size() >= bobsBodies.size());

    assertThat(counts(receivedBy(BOB).stream().map(ChatMessage::body).toList()))
        .as("stored once each").isEqualTo(counts(alicesBodies));
    assertThat(counts(receivedBy(ALICE).stream().map(ChatMessage::body).toList())).isEqualTo(counts(bobsBodies));
    assertThat(counts(bobs.bodies())).as("shown once each").isEqualTo(counts(alicesBodies));
    assertThat(counts(alices.bodies())).isEqualTo(counts(bobsBodies));
    for (Heard h : List.of(alices, bobs)) {
      assertThat(h.states()).containsSubsequence(ConnectionState.ONLINE, ConnectionState.RECONNECTING,
          ConnectionState.ONLINE);
    }
    assertThat(server.stop()).as("exit status after SIGTERM").isZero();
    server = null;
  }

  @Test
  void aSendRetransmittingAcrossTheRestartIsStoredOnceThanksToItsIdempotencyKey() throws Exception {
    server = start(0);
    int port = server.port;
    registerAll();
    GatedTransport alicesSocket = new GatedTransport();
    ChatClient alice = client(new Heard(), alicesSocket);
    await(alice.login(ALICE, PASSWORD, "alice-phone"));

    alicesSocket.deaf = true; // the server stores it and answers, alice never hears: she retransmits
    CompletableFuture<ChatMessage> sent = alice.send(BOB, "once across the restart");
    awaitTrue("stored", () -> {
      try {
        return !receivedBy(BOB).isEmpty();
      } catch (Exception e) {
        return false;
      }
    });
    server.kill(); // and the answer cache with it
    server = start(port);
    alicesSocket.deaf = false;

    ChatMessage m = await(sent);
    List<ChatMessage> stored = receivedBy(BOB);
    assertThat(stored).extracting(ChatMessage::body).containsExactly("once across the restart");
    assertThat(m.id()).isEqualTo(stored.get(0).id());
  }

  @Test
  void aClientWhoseAddressChangesKeepsItsSession() throws Exception {
    server = start(0);
    registerAll();
    Heard alices = new Heard();
    Heard bobs = new Heard();
    GatedTransport bobsSocket = new GatedTransport();
    ChatClient alice = client(alices, null);
    ChatClient bob = client(bobs, bobsSocket);
    await(alice.login(ALICE, PASSWORD, "alice-phone"));
    await(bob.login(BOB, PASSWORD, "bob-laptop"));
    InetSocketAddress before = bobsSocket.localAddress();

    InetSocketAddress after = bobsSocket.rebind();
    assertThat(after.getPort()).isNotEqualTo(before.getPort());
    await(bob.send(ALICE, "from my new port"));
    await(alice.send(BOB, "to your new port"));
    awaitTrue("bob got the push at his new port", () -> bobs.bodies().contains("to your new port"));
    awaitTrue("alice got bob's message", () -> alices.bodies().contains("from my new port"));
    assertThat(bobs.states()).as("no reconnect").containsExactly(ConnectionState.ONLINE);
  }

  @Test
  void aRevokedDeviceCannotResumeWhileTheOtherDevicesCan() throws Exception {
    server = start(0);
    int port = server.port;
    registerAll();
    Heard phones = new Heard();
    Heard laptops = new Heard();
    ChatClient phone = client(phones, null);
    ChatClient laptop = client(laptops, null);
    await(phone.login(ALICE, PASSWORD, "phone"));
    await(laptop.login(ALICE, PASSWORD, "laptop"));
    List<DeviceInfo> devices = await(phone.devices());
    long laptopId = devices.stream().filter(d -> d.name().equals("laptop")).findFirst().orElseThrow().id();
    await(phone.revokeDevice(laptopId));

    server.kill();
    server = start(port);
    awaitTrue("the laptop's credential refused", () -> laptop.connectionState() == ConnectionState.CREDENTIAL_REVOKED);
    awaitTrue("the phone resumed", () -> phones.states().size() >= 3 && phone.connectionState() == ConnectionState.ONLINE);
    assertThat(await(phone.send(BOB, "still here")).id()).isPositive();
    try {
      await(laptop.send(BOB, "revoked"));
      throw new AssertionError("a revoked device sent");
    } catch (java.util.concurrent.ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(ChatException.class);
    }
  }
}
