package org.p2pchat.server.ref;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.p2pchat.api.server.ChatServer;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.protocol.ChatServers;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.secure.SecureChannel;
import org.p2pchat.protocol.secure.ServerKeyPair;
import org.p2pchat.protocol.transport.UdpTransport;

/**
 * Starts a chat server engine on a store. The reference server uses {@link #ENGINE}; tests
 * substitute their own.
 */
@FunctionalInterface
public interface ServerFactory {

  /** The protocol engine on a UDP socket bound here, behind the secure channel. */
  ServerFactory ENGINE = new ServerFactory() {
    @Override
    public ChatServer start(ChatStore store, InetSocketAddress bind, ServerConfig config) throws IOException {
      return start(store, bind, config, ServerKeyPair.generate());
    }

    @Override
    public ChatServer start(ChatStore store, InetSocketAddress bind, ServerConfig config, ServerKeyPair keys)
        throws IOException {
      // Bound here rather than by the builder so that a port in use is reported the same way
      // whatever the engine does; the engine closes the transport it is given.
      UdpTransport transport = UdpTransport.bind(bind,
          keys == null ? org.p2pchat.api.ProtocolLimits.MAX_DATAGRAM_BYTES : SecureChannel.MAX_PACKET_BYTES);
      try {
        ChatServers.Builder builder = ChatServers.builder().store(store).transport(transport).config(config);
        return (keys == null ? builder.plaintext() : builder.staticKeys(keys)).build();
      } catch (IOException | RuntimeException e) {
        transport.close();
        throw e;
      }
    }
  };

  /**
   * Starts a server with a key pair generated for it. The caller closes the server, then the store.
   *
   * @throws IOException when the address cannot be bound
   */
  ChatServer start(ChatStore store, InetSocketAddress bind, ServerConfig config) throws IOException;

  /**
   * Starts a server with its static key pair, or in plaintext when {@code keys} is null (the
   * caller has checked that {@code bind} is loopback). Factories that know no keys (test fakes)
   * ignore them.
   *
   * @throws IOException when the address cannot be bound
   */
  default ChatServer start(ChatStore store, InetSocketAddress bind, ServerConfig config, ServerKeyPair keys)
      throws IOException {
    return start(store, bind, config);
  }
}
