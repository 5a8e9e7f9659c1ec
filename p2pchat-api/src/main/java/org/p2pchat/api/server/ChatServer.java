package org.p2pchat.api.server;

import java.net.InetSocketAddress;
import java.util.Optional;
import org.p2pchat.api.ServerPublicKey;

/**
 * A running chat server. Build one with the protocol module's {@code ChatServers.builder()}.
 *
 * <p>Thread-safe.
 */
public interface ChatServer extends AutoCloseable {

  /** {@return where the server receives datagrams} */
  InetSocketAddress localAddress();

  /**
   * {@return the server's static public key, which clients pin} Empty when the server speaks
   * plaintext instead of the secure channel.
   */
  default Optional<ServerPublicKey> publicKey() {
    return Optional.empty();
  }

  /**
   * Stops taking requests, completes those in flight (every send already accepted is stored and
   * answered), then frees the socket. The store is closed by whoever opened it. Idempotent.
   */
  @Override
  void close();
}
