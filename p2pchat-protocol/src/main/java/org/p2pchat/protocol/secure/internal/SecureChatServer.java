package org.p2pchat.protocol.secure.internal;

import java.net.InetSocketAddress;
import java.util.Optional;
import org.p2pchat.api.server.ChatServer;
import org.p2pchat.api.ServerPublicKey;

/** A server behind the secure channel: the engine, and the public key its clients pin. Thread-safe. */
public final class SecureChatServer implements ChatServer {
  private final ChatServer engine;
  private final ServerPublicKey publicKey;

  /** @param engine the engine running on a {@link SecureServerTransport} */
  public SecureChatServer(ChatServer engine, ServerPublicKey publicKey) {
    this.engine = engine;
    this.publicKey = publicKey;
  }

  @Override
  public InetSocketAddress localAddress() {
    return engine.localAddress();
  }

  @Override
  public Optional<ServerPublicKey> publicKey() {
    return Optional.of(publicKey);
  }

  @Override
  public void close() {
    engine.close();
  }
}
