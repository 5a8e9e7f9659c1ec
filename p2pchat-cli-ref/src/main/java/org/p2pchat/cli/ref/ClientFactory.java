package org.p2pchat.cli.ref;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.client.ChatListener;
import org.p2pchat.protocol.ChatClients;

/** Opens chat clients. The CLI uses {@link #ENGINE}; tests substitute their own. */
@FunctionalInterface
public interface ClientFactory {

  /** The protocol engine's client on a UDP socket. */
  ClientFactory ENGINE = (server, listener) -> ChatClients.builder().server(server).listener(listener).build();

  /**
   * Opens a client of {@code server} whose pushes go to {@code listener}. The caller closes it.
   *
   * @throws IOException when no socket can be opened
   */
  ChatClient open(InetSocketAddress server, ChatListener listener) throws IOException;
}
