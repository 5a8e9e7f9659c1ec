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

  /** Where the server receives datagrams. */
  InetSocketAddress localAddress();

  /**
   * The server's static public key, which clients pin, when the server speaks the secure
   * channel; empty when it speaks plaintext.
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
