package org.p2pchat.protocol;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Objects;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.client.ChatListener;
import org.p2pchat.api.transport.Transport;
import org.p2pchat.protocol.client.internal.ClientEngine;
import org.p2pchat.protocol.transport.UdpTransport;

/**
 * Builds chat clients.
 *
 * <pre>{@code
 * try (ChatClient client = ChatClients.builder()
 *     .server(new InetSocketAddress("chat.example.org", 7777))
 *     .listener(message -> System.out.println(message.sender() + ": " + message.body()))
 *     .build()) {
 *   client.login(UserName.of("alice"), password).join();
 *   client.send(UserName.of("bob"), "hi").join();
 * }
 * }</pre>
 */
public final class ChatClients {

  private ChatClients() {}

  /** A builder; {@link Builder#server} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Configures and starts a client. Not thread-safe; use it from one thread. */
  public static final class Builder {
    private InetSocketAddress server;
    private Transport transport;
    private ClientConfig config = ClientConfig.defaults();
    private ChatListener listener;
    private Clock clock = Clock.systemUTC();

    Builder() {}

    /** The server's address (required). */
    public Builder server(InetSocketAddress server) {
      this.server = Objects.requireNonNull(server, "server");
      return this;
    }

    /** A transport to use instead of a UDP socket on an ephemeral port (tests). The client closes it. */
    public Builder transport(Transport transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    /** The retry and keepalive policy. */
    public Builder config(ClientConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /** Hears pushed messages and state changes; none by default. */
    public Builder listener(ChatListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** The clock for timeouts and keepalives (tests move it). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Opens the socket (unless a transport was given) and starts the client's event loop.
     *
     * @throws IOException when no socket can be opened
     * @throws IllegalStateException when no server was set
     */
    public ChatClient build() throws IOException {
      if (server == null) {
        throw new IllegalStateException("a server address is required: call server(...)");
      }
      if (server.isUnresolved()) {
        throw new IOException("cannot resolve the server's host name: " + server.getHostString());
      }
      Transport t = transport != null ? transport : UdpTransport.bind(new InetSocketAddress(0));
      return ClientEngine.start(t, server, config, listener, clock);
    }
  }
}
