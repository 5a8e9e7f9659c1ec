package org.p2pchat.protocol;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Objects;
import org.p2pchat.api.server.ChatServer;
import org.p2pchat.api.server.PushBus;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.api.ProtocolLimits;
import org.p2pchat.api.transport.Transport;
import org.p2pchat.protocol.secure.SecureChannel;
import org.p2pchat.protocol.secure.ServerKeyPair;
import org.p2pchat.protocol.secure.internal.SecureChatServer;
import org.p2pchat.protocol.secure.internal.SecureServerTransport;
import org.p2pchat.protocol.server.internal.ServerEngine;
import org.p2pchat.protocol.transport.UdpTransport;

/**
 * Builds chat servers. Every frame travels inside the secure channel ({@code docs/protocol.md}
 * section 16) unless {@link Builder#plaintext()} is chosen, which only loopback allows.
 *
 * <pre>{@code
 * ServerKeyPair keys = ServerKeyPair.loadOrGenerate(dataDir.resolve("server.key"));
 * try (ChatStore store = SqliteChatStore.open(path);
 *      ChatServer server = ChatServers.builder().store(store).staticKeys(keys)
 *          .bind(new InetSocketAddress(7777)).build()) {
 *   System.out.println("server key " + keys.publicKey().fingerprint());
 * }
 * }</pre>
 */
public final class ChatServers {

  /** The port a server binds when none is set. */
  public static final int DEFAULT_PORT = 7777;

  private ChatServers() {}

  /** A builder with the defaults: the wildcard address, port {@value #DEFAULT_PORT}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Configures and starts a server. Not thread-safe; use it from one thread. */
  public static final class Builder {
    private ChatStore store;
    private InetSocketAddress bindAddress = new InetSocketAddress(DEFAULT_PORT);
    private Transport transport;
    private ServerConfig config = ServerConfig.defaults();
    private Clock clock = Clock.systemUTC();
    private ServerKeyPair staticKeys;
    private boolean plaintext;
    private ServerMetrics metrics = ServerMetrics.NONE;
    private PushBus pushBus = PushBus.NONE;

    Builder() {}

    /**
     * The server's static key pair, whose public key clients pin. Without one, the server
     * generates a key pair in memory that lives as long as it does ({@link ChatServer#publicKey()}
     * tells it).
     */
    public Builder staticKeys(ServerKeyPair staticKeys) {
      this.staticKeys = Objects.requireNonNull(staticKeys, "staticKeys");
      return this;
    }

    /**
     * Speaks the v1 frames without the secure channel, to measure what the channel costs.
     * {@link #build()} refuses it unless the server's address is a loopback address: on any
     * other, passwords would cross the network in the clear.
     */
    public Builder plaintext() {
      this.plaintext = true;
      return this;
    }

    /** The store of users and messages (required). The server does not close it. */
    public Builder store(ChatStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * The bus to the other nodes of a cluster that share this server's store: the server pushes
     * to its own sessions what the others store, and publishes what it stores. Default
     * {@link PushBus#NONE}, a server alone. The server does not close it.
     */
    public Builder pushBus(PushBus pushBus) {
      this.pushBus = Objects.requireNonNull(pushBus, "pushBus");
      return this;
    }

    /** The UDP address to bind; port 0 picks a free one. Ignored when a transport is set. */
    public Builder bind(InetSocketAddress bindAddress) {
      this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
      return this;
    }

    /** A transport to use instead of binding a UDP socket (tests, benchmarks). The server closes it. */
    public Builder transport(Transport transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    /** The engine's limits and timeouts. */
    public Builder config(ServerConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * Where the server reports what it counts (requests, answers, pushes, handshakes, queue
     * depths). Default {@link ServerMetrics#NONE}.
     */
    public Builder metrics(ServerMetrics metrics) {
      this.metrics = Objects.requireNonNull(metrics, "metrics");
      return this;
    }

    /** The clock for timestamps, session expiry and rate limits (tests move it). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Binds (unless a transport was given) and starts the server's event loop.
     *
     * @throws IOException when the address cannot be bound
     * @throws IllegalStateException when no store was set, or plaintext was asked for on an
     *     address other than loopback
     */
    public ChatServer build() throws IOException {
      if (store == null) {
        throw new IllegalStateException("a store is required: call store(...)");
      }
      if (plaintext) {
        InetSocketAddress where = transport != null ? transport.localAddress() : bindAddress;
        if (!where.getAddress().isLoopbackAddress()) {
          throw new IllegalStateException("plaintext is refused on " + where.getAddress().getHostAddress()
              + ": it is allowed on a loopback address only (127.0.0.1 or ::1), for measurements");
        }
        Transport t = transport != null ? transport : UdpTransport.bind(bindAddress, ProtocolLimits.MAX_DATAGRAM_BYTES);
        return ServerEngine.start(t, store, pushBus, config, clock, metrics);
      }
      ServerKeyPair keys = staticKeys != null ? staticKeys : ServerKeyPair.generate();
      Transport raw = transport != null ? transport : UdpTransport.bind(bindAddress, SecureChannel.MAX_PACKET_BYTES);
      ChatServer engine = ServerEngine.start(SecureServerTransport.wrap(raw, keys, metrics), store, pushBus, config,
          clock, metrics);
      return new SecureChatServer(engine, keys.publicKey());
    }
  }
}
