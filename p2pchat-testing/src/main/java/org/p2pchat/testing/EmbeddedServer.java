package org.p2pchat.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.client.ChatListener;
import org.p2pchat.api.client.CredentialStore;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.server.PushBus;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.protocol.ClientConfig;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.ServerMetrics;
import org.p2pchat.protocol.client.internal.ClientEngine;
import org.p2pchat.protocol.codec.Frame;
import org.p2pchat.protocol.codec.FrameCodec;
import org.p2pchat.protocol.server.internal.ServerEngine;

/**
 * The real server engine, run on the test's thread with a {@link ManualClock}, speaking
 * plaintext frames: offer datagrams, run what is pending, advance time, read what the server
 * sent. As Netty's {@code EmbeddedChannel} does for a channel, it makes the server's behaviour
 * over time (expiry, retransmission, rate limits, keepalives) testable without a socket, a
 * thread or a wall-clock wait.
 *
 * <pre>{@code
 * try (EmbeddedServer server = EmbeddedServer.builder().build()) {
 *   InetSocketAddress alice = EmbeddedServer.peer(1);
 *   server.offer(new Frame.Register(1, "alice", "correct horse"), alice);
 *   server.runPendingTasks();
 *   assertThat(server.readOutbound().frame()).isEqualTo(new Frame.OkEmpty(1, 0x01));
 * }
 * }</pre>
 *
 * <p>{@link #newClient} adds real clients (the SDK's engine) whose datagrams go to this server
 * and back on the same thread and clock, with futures that complete inside
 * {@code runPendingTasks}: retransmission, keepalives and pushes end to end, without waiting.
 *
 * <p>Password hashes run on the test's thread too, inside {@link #runPendingTasks}; the
 * in-memory store completes at once. A store that completes on threads of its own (SQLite) has
 * its completions run by the next {@code runPendingTasks} after they arrived.
 *
 * <p>Not thread-safe: use it from the test's thread.
 */
public final class EmbeddedServer implements AutoCloseable {
  private static final FrameCodec CODEC = new FrameCodec();
  private static final int MAX_ROUNDS = 100_000;

  /** A datagram the server sent. */
  public record Sent(byte[] bytes, InetSocketAddress to) {
    /** The datagram decoded as a frame. */
    public Frame frame() {
      try {
        return CODEC.decode(ByteBuffer.wrap(bytes));
      } catch (DecodeException e) {
        throw new AssertionError("the server sent a malformed frame: " + e.getMessage(), e);
      }
    }
  }

  private EmbeddedTransport transport;
  private final ManualClock clock;
  private final ChatStore store;
  private final boolean ownsStore;
  private final ArrayDeque<Runnable> hashes = new ArrayDeque<>();
  private ServerEngine engine;
  private final ServerConfig config;
  /** Between {@link #crash} and {@link #restart}: no server runs, datagrams to it are lost. */
  private boolean down;
  private final Map<InetSocketAddress, EmbeddedClient> clients = new LinkedHashMap<>();
  /** What the server sent to addresses other than its clients', for the test to read. */
  private final ArrayDeque<Sent> toTest = new ArrayDeque<>();
  /** Sees each datagram between the server and its clients, for this package's tests: (bytes, toServer). */
  BiConsumer<byte[], Boolean> tap = (bytes, toServer) -> { };
  private int nextClientPort = 50_000;
  private boolean closed;

  private EmbeddedServer(Builder b) {
    this.transport = new EmbeddedTransport(b.address);
    this.clock = b.clock;
    this.ownsStore = b.store == null;
    this.store = ownsStore ? new InMemoryChatStore() : b.store;
    this.config = b.config;
    Executor onTestThread = hashes::add;
    this.engine = ServerEngine.driven(transport, store, b.pushBus, b.config, clock, onTestThread, b.metrics);
  }

  /** A builder: an in-memory store, the default config, a clock at 2026-01-01T00:00:00Z. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A peer's address, {@code 127.0.0.1} and port {@code 40000 + n}: distinct peers for a test
   * that speaks from several addresses. Nothing is bound.
   */
  public static InetSocketAddress peer(int n) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), 40_000 + n);
  }

  /** The address the server receives on (nothing is bound). */
  public InetSocketAddress address() {
    return transport.localAddress();
  }

  /** The server's clock. */
  public ManualClock clock() {
    return clock;
  }

  /** The server's store. */
  public ChatStore store() {
    return store;
  }

  /** Queues a datagram from {@code from}; it is handled by the next {@link #runPendingTasks}. */
  public EmbeddedServer offer(byte[] datagram, InetSocketAddress from) {
    transport.offer(datagram.clone(), from);
    return this;
  }

  /** Queues the bytes between the buffer's position and limit as one datagram from {@code from}. */
  public EmbeddedServer offer(ByteBuffer datagram, InetSocketAddress from) {
    byte[] bytes = new byte[datagram.remaining()];
    datagram.duplicate().get(bytes);
    transport.offer(bytes, from);
    return this;
  }

  /** Encodes {@code frame} and queues it as a datagram from {@code from}. */
  public EmbeddedServer offer(Frame frame, InetSocketAddress from) {
    ByteBuffer b = ByteBuffer.allocate(2048);
    CODEC.encode(frame, b);
    return offer(b.flip(), from);
  }

  /**
   * Runs everything that can run now, on this thread: the queued datagrams, the password
   * hashes they started, the completions of store and hash work, and the timers that are due;
   * again and again, until nothing is left.
   *
   * @return how many things ran
   */
  public int runPendingTasks() {
    checkOpen();
    int total = 0;
    for (int round = 0; round < MAX_ROUNDS; round++) {
      int work;
      try {
        work = 0;
        if (!down) {
          work += engine.loop().runOnce(0);
          Runnable hash;
          while ((hash = hashes.poll()) != null) {
            hash.run();
            work++;
          }
          work += routeServerOutbound();
        }
        for (EmbeddedClient c : clients.values()) {
          work += c.engine.loop().runOnce(0);
          EmbeddedTransport.Datagram d;
          while ((d = c.transport.pollOutbound()) != null) {
            if (!down) {
              tap.accept(d.bytes(), true);
              transport.offer(d.bytes(), c.transport.localAddress());
            }
            work++;
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (work == 0 && (down || !transport.hasInbound())) {
        return total;
      }
      total += work;
    }
    throw new IllegalStateException("the server did not go idle within " + MAX_ROUNDS + " rounds");
  }

  /** Hands what the server sent to its clients, and keeps the rest for the test. */
  private int routeServerOutbound() {
    int routed = 0;
    EmbeddedTransport.Datagram d;
    while ((d = transport.pollOutbound()) != null) {
      EmbeddedClient client = clients.get(d.peer());
      if (client != null) {
        tap.accept(d.bytes(), false);
        client.transport.offer(d.bytes(), transport.localAddress());
        routed++;
      } else {
        toTest.add(new Sent(d.bytes(), d.peer()));
      }
    }
    return routed;
  }

  /**
   * A client of this server, with its own address, on this thread and clock, speaking plaintext
   * frames: the SDK's real client engine. Its futures complete, and its listener runs, inside
   * {@link #runPendingTasks}. Closing it logs out and ends it; closing the server ends it too.
   */
  public ChatClient newClient(ClientConfig config, ChatListener listener) {
    return newClient(config, listener, CredentialStore.inMemory());
  }

  /** A client, as {@link #newClient(ClientConfig, ChatListener)}, that keeps its device credential in {@code credentials}. */
  public ChatClient newClient(ClientConfig config, ChatListener listener, CredentialStore credentials) {
    checkOpen();
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), nextClientPort++);
    EmbeddedTransport t = new EmbeddedTransport(address);
    ClientEngine engine = ClientEngine.driven(t, transport.localAddress(), config, listener, clock, Runnable::run,
        credentials);
    EmbeddedClient client = new EmbeddedClient(this, t, engine);
    clients.put(address, client);
    return client;
  }

  /** A client with the default config and no listener. */
  public ChatClient newClient() {
    return newClient(ClientConfig.defaults(), message -> { });
  }

  void removeClient(EmbeddedClient client) {
    clients.remove(client.transport.localAddress());
  }

  /**
   * Crashes the server: its engine stops at once, with its sessions, cached answers, pending
   * pushes and whatever it had not answered; the store keeps what it committed. Until
   * {@link #restart}, datagrams to the server are lost; its clients run on.
   */
  public void crash() {
    checkOpen();
    if (!down) {
      down = true;
      engine.loop().closeDriven();
      hashes.clear();
    }
  }

  /** Starts a new server engine on the same store, address and clock, as after a process restart. */
  public void restart() {
    checkOpen();
    crash();
    transport = new EmbeddedTransport(transport.localAddress());
    engine = ServerEngine.driven(transport, store, config, clock, hashes::add);
    down = false;
  }

  /**
   * Moves a client of this server to a new address (another port), as a new socket or a NAT
   * rebinding does; its session is untouched.
   *
   * @return the client's new address
   */
  public InetSocketAddress moveClient(ChatClient client) {
    checkOpen();
    EmbeddedClient c = (EmbeddedClient) client;
    clients.remove(c.transport.localAddress());
    InetSocketAddress moved = new InetSocketAddress(InetAddress.getLoopbackAddress(), nextClientPort++);
    c.transport.moveTo(moved);
    clients.put(moved, c);
    return moved;
  }

  /** Moves the clock forward, then runs what became due ({@link #runPendingTasks}). */
  public int advanceTimeBy(Duration by) {
    clock.advance(by);
    return runPendingTasks();
  }

  /**
   * The oldest datagram the server sent, to an address other than its clients', that the test
   * has not read; or null.
   */
  public Sent readOutbound() {
    routeServerOutbound();
    return toTest.poll();
  }

  /** Every datagram the server sent that the test has not read, oldest first. */
  public List<Sent> readAllOutbound() {
    List<Sent> all = new ArrayList<>();
    Sent s;
    while ((s = readOutbound()) != null) {
      all.add(s);
    }
    return all;
  }

  /** The sizes of everything peers can grow in the server. */
  public ServerStats stats() {
    checkOpen();
    var pending = engine.stats();
    runPendingTasks();
    try {
      ServerEngine.Stats s = pending.get();
      return new ServerStats(s.sessions(), s.cachedAnswers(), s.cachedAnswerBytes(),
          s.pendingPushes(), s.rateLimitEntries(), s.pendingOperations(), s.peerLinks(), s.relayedPackets(),
          s.relayedBytes());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Ends the server; closes the store if the builder made it. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (EmbeddedClient c : List.copyOf(clients.values())) {
      c.end();
    }
    engine.loop().closeDriven();
    if (ownsStore) {
      store.close();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the embedded server is closed");
    }
  }

  /** Configures an {@link EmbeddedServer}. */
  public static final class Builder {
    private ChatStore store;
    private ServerConfig config = ServerConfig.defaults();
    private ManualClock clock = new ManualClock();
    private ServerMetrics metrics = ServerMetrics.NONE;
    private PushBus pushBus = PushBus.NONE;
    private InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 7777);

    Builder() {}

    /** The store; by default an {@link InMemoryChatStore} that the server closes. */
    public Builder store(ChatStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** The engine's limits and timeouts. */
    public Builder config(ServerConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * The bus to other embedded servers on the same store, a cluster's nodes ({@link InMemoryPushBus});
     * by default none. The server does not close it.
     */
    public Builder pushBus(PushBus pushBus) {
      this.pushBus = Objects.requireNonNull(pushBus, "pushBus");
      return this;
    }

    /** The clock; by default one at 2026-01-01T00:00:00Z. */
    public Builder clock(ManualClock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Where the engine reports what it counts; by default {@link ServerMetrics#NONE}. */
    public Builder metrics(ServerMetrics metrics) {
      this.metrics = Objects.requireNonNull(metrics, "metrics");
      return this;
    }

    /** The address the server says it receives on; nothing is bound. */
    public Builder address(InetSocketAddress address) {
      this.address = Objects.requireNonNull(address, "address");
      return this;
    }

    /** The server, idle until the test offers it datagrams. */
    public EmbeddedServer build() {
      return new EmbeddedServer(this);
    }
  }
}
