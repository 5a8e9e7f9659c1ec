package org.p2pchat.protocol;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.client.ChatListener;
import org.p2pchat.api.client.CredentialStore;
import org.p2pchat.api.ProtocolLimits;
import org.p2pchat.api.transport.Transport;
import org.p2pchat.protocol.client.internal.ClientEngine;
import org.p2pchat.protocol.client.internal.FailoverTransport;
import org.p2pchat.protocol.peer.internal.SharedSocket;
import org.p2pchat.protocol.secure.SecureChannel;
import org.p2pchat.api.ServerPublicKey;
import org.p2pchat.protocol.secure.internal.SecureClientTransport;
import org.p2pchat.protocol.transport.UdpTransport;

/**
 * Builds chat clients. Every frame travels inside the secure channel ({@code docs/protocol.md}
 * section 16), to a server that must hold the pinned key, unless {@link Builder#plaintext()} is
 * chosen, which only a loopback server address allows.
 *
 * <pre>{@code
 * try (ChatClient client = ChatClients.builder()
 *     .server(new InetSocketAddress("chat.example.org", 7777))
 *     .serverKey(ServerPublicKey.parse("3q2+7w...="))
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
    private ServerPublicKey serverKey;
    private boolean plaintext;
    private CredentialStore credentials;
    private final List<FailoverTransport.Node> otherNodes = new ArrayList<>();

    Builder() {}

    /**
     * Another node of the same cluster (servers sharing one store, docs/operations.md "Running a
     * cluster"), with the key it holds; call once per node, in the order to try them. When the
     * current node stops answering, a client logged in with a device name (whose session
     * resumes, {@link ChatClient#resume()}) resumes on the next node (after the last, the first again)
     * and catches up from history what it missed; its queued sends go out there. A login that
     * a node does not answer is tried on the next, each node once (a registration is not: the
     * caller's retry goes to the next node). The
     * {@link #server} is the first node tried. Not with {@link #plaintext()}.
     *
     * @param address where the node listens
     * @param key the node's static public key
     */
    public Builder otherNode(InetSocketAddress address, ServerPublicKey key) {
      otherNodes.add(new FailoverTransport.Node(Objects.requireNonNull(address, "address"),
          Objects.requireNonNull(key, "key")));
      return this;
    }

    /**
     * The server's static public key (required unless {@link #plaintext()}). A server that does
     * not hold the matching private key cannot read anything this client sends, and never
     * answers: the client's requests time out.
     */
    public Builder serverKey(ServerPublicKey serverKey) {
      this.serverKey = Objects.requireNonNull(serverKey, "serverKey");
      return this;
    }

    /**
     * Speaks the v1 frames without the secure channel, to measure what the channel costs.
     * {@link #build()} refuses it unless the server's address is a loopback address.
     */
    public Builder plaintext() {
      this.plaintext = true;
      return this;
    }

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

    /**
     * Where the client keeps the device credential of {@link ChatClient#login(org.p2pchat.api.UserName,
     * String, String)}, to {@link ChatClient#resume()} with; in memory by default (lost at exit).
     * {@link CredentialStore#ownerOnlyFile} keeps it across runs.
     */
    public Builder credentials(CredentialStore credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials");
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
     * @throws IllegalStateException when no server was set, no server key was set (and not
     *     plaintext), or plaintext was asked for with a server address other than loopback or
     *     with other nodes
     */
    public ChatClient build() throws IOException {
      if (server == null) {
        throw new IllegalStateException("a server address is required: call server(...)");
      }
      if (server.isUnresolved()) {
        throw new IOException("cannot resolve the server's host name: " + server.getHostString());
      }
      for (FailoverTransport.Node n : otherNodes) {
        if (n.address().isUnresolved()) {
          throw new IOException("cannot resolve the host name of a node: " + n.address().getHostString());
        }
      }
      if (plaintext) {
        if (!otherNodes.isEmpty()) {
          throw new IllegalStateException("other nodes need the secure channel: plaintext is for one loopback server");
        }
        if (!server.getAddress().isLoopbackAddress()) {
          throw new IllegalStateException("plaintext is refused for the server " + server.getAddress().getHostAddress()
              + ": it is allowed with a loopback address only (127.0.0.1 or ::1), for measurements");
        }
        Transport t = transport != null ? transport
            : UdpTransport.bind(new InetSocketAddress(0), ProtocolLimits.MAX_DATAGRAM_BYTES);
        SharedSocket shared = new SharedSocket(t, List.of(server));
        return ClientEngine.start(shared, server, config, listener, clock, credentials, shared);
      }
      if (serverKey == null) {
        throw new IllegalStateException(
            "the server's public key is required: call serverKey(...) (or plaintext() on loopback)");
      }
      Transport raw = transport != null ? transport
          : UdpTransport.bind(new InetSocketAddress(0), SecureChannel.MAX_PACKET_BYTES);
      // One socket for the server and the peers: a peer reaches the NAT mapping the server saw.
      if (!otherNodes.isEmpty()) {
        List<FailoverTransport.Node> nodes = new ArrayList<>();
        nodes.add(new FailoverTransport.Node(server, serverKey));
        nodes.addAll(otherNodes);
        SharedSocket shared = new SharedSocket(raw, nodes.stream().map(FailoverTransport.Node::address).toList());
        return ClientEngine.start(FailoverTransport.wrap(shared, nodes), server, config, listener, clock, credentials,
            shared);
      }
      SharedSocket shared = new SharedSocket(raw, List.of(server));
      return ClientEngine.start(SecureClientTransport.wrap(shared, server, serverKey), server, config, listener, clock,
          credentials, shared);
    }
  }
}
