package org.p2pchat.protocol;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Objects;
import org.p2pchat.api.server.ChatServer;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.api.transport.Transport;
import org.p2pchat.protocol.server.internal.ServerEngine;
import org.p2pchat.protocol.transport.UdpTransport;

/**
 * Builds chat servers.
 *
 * <pre>{@code
 * try (ChatStore store = SqliteChatStore.open(path);
 *      ChatServer server = ChatServers.builder().store(store).bind(new InetSocketAddress(7777)).build()) {
 *   ...
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

    Builder() {}

    /** The store of users and messages (required). The server does not close it. */
    public Builder store(ChatStore store) {
      this.store = Objects.requireNonNull(store, "store");
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

    /** The clock for timestamps, session expiry and rate limits (tests move it). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Binds (unless a transport was given) and starts the server's event loop.
     *
     * @throws IOException when the address cannot be bound
     * @throws IllegalStateException when no store was set
     */
    public ChatServer build() throws IOException {
      if (store == null) {
        throw new IllegalStateException("a store is required: call store(...)");
      }
      Transport t = transport != null ? transport : UdpTransport.bind(bindAddress);
      return ServerEngine.start(t, store, config, clock);
    }
  }
}
