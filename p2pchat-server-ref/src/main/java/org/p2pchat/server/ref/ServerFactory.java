package org.p2pchat.server.ref;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.p2pchat.api.server.ChatServer;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.protocol.ChatServers;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.transport.UdpTransport;

/**
 * Starts a chat server engine on a store. The reference server uses {@link #ENGINE}; tests
 * substitute their own.
 */
@FunctionalInterface
public interface ServerFactory {

  /** The protocol engine on a UDP socket bound here. */
  ServerFactory ENGINE = (store, bind, config) -> {
    // Bound here rather than by the builder so that a port in use is reported the same way
    // whatever the engine does; the engine closes the transport it is given.
    UdpTransport transport = UdpTransport.bind(bind);
    try {
      return ChatServers.builder().store(store).transport(transport).config(config).build();
    } catch (IOException | RuntimeException e) {
      transport.close();
      throw e;
    }
  };

  /**
   * Starts a server. The caller closes the server, then the store.
   *
   * @throws IOException when the address cannot be bound
   */
  ChatServer start(ChatStore store, InetSocketAddress bind, ServerConfig config) throws IOException;
}
