package org.p2pchat.server.ref;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.p2pchat.api.ProtocolLimits;
import org.p2pchat.api.server.ChatServer;
import org.p2pchat.api.server.PushBus;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.api.transport.Transport;
import org.p2pchat.protocol.ChatServers;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.ServerMetrics;
import org.p2pchat.protocol.secure.SecureChannel;
import org.p2pchat.protocol.secure.ServerKeyPair;
import org.p2pchat.protocol.transport.UdpTransport;

/**
 * Binds the server's socket, then starts a chat server engine on it and a store: two steps, so
 * that the socket is bound before anything is created on disk (a port in use leaves no
 * database behind). The reference server uses {@link #ENGINE}; tests substitute their own.
 */
public interface ServerFactory {

  /** The protocol engine on a UDP socket, behind the secure channel unless told otherwise. */
  ServerFactory ENGINE = new ServerFactory() {
    @Override
    public Transport bind(InetSocketAddress address, boolean secure) throws IOException {
      // The secure channel's packets are larger than the frames they carry.
      return UdpTransport.bind(address, secure ? SecureChannel.MAX_PACKET_BYTES : ProtocolLimits.MAX_DATAGRAM_BYTES);
    }

    @Override
    public ChatServer start(Transport transport, ChatStore store, ServerConfig config, ServerKeyPair keys)
        throws IOException {
      return start(transport, store, PushBus.NONE, config, keys, ServerMetrics.NONE);
    }

    @Override
    public ChatServer start(Transport transport, ChatStore store, PushBus bus, ServerConfig config,
        ServerKeyPair keys, ServerMetrics metrics) throws IOException {
      try {
        ChatServers.Builder builder = ChatServers.builder().store(store).pushBus(bus).transport(transport)
            .config(config).metrics(metrics);
        return (keys == null ? builder.plaintext() : builder.staticKeys(keys)).build();
      } catch (IOException | RuntimeException e) {
        transport.close();
        throw e;
      }
    }
  };

  /**
   * Binds the socket the server will listen on. Creates nothing on disk.
   *
   * @param address where to bind; port 0 picks a free port
   * @param secure whether the secure channel will run on it (its datagrams are larger)
   * @throws IOException when the address cannot be bound (port in use, address not this machine's)
   */
  Transport bind(InetSocketAddress address, boolean secure) throws IOException;

  /**
   * Starts a server on a transport from {@link #bind}, which it then owns (and closes, also when
   * it fails), with its static key pair, or in plaintext when {@code keys} is null (the caller
   * has checked that the address is loopback). Factories that know no keys (test fakes) ignore
   * them. The caller closes the server, then the store.
   *
   * @throws IOException when the engine cannot start on the transport
   */
  ChatServer start(Transport transport, ChatStore store, ServerConfig config, ServerKeyPair keys) throws IOException;

  /**
   * Starts a node of a cluster: as {@link #start(Transport, ChatStore, ServerConfig, ServerKeyPair)},
   * pushing through {@code bus} to and from the other nodes on the same store, and reporting to
   * {@code metrics}. The caller closes the bus after the server. Factories that know no cluster
   * and count nothing (test fakes) ignore both.
   *
   * @throws IOException when the engine cannot start on the transport
   */
  default ChatServer start(Transport transport, ChatStore store, PushBus bus, ServerConfig config,
      ServerKeyPair keys, ServerMetrics metrics) throws IOException {
    return start(transport, store, config, keys);
  }
}
