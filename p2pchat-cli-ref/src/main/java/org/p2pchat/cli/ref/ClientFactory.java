package org.p2pchat.cli.ref;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.client.ChatListener;
import org.p2pchat.api.client.CredentialStore;
import org.p2pchat.protocol.ChatClients;
import org.p2pchat.protocol.ClientConfig;
import org.p2pchat.api.ServerPublicKey;

/** Opens chat clients. The CLI uses {@link #ENGINE}; tests substitute their own. */
@FunctionalInterface
public interface ClientFactory {

  /**
   * The protocol engine's client on a UDP socket, over the secure channel unless told otherwise,
   * with direct connections to contacts' devices unless {@code --no-direct}.
   */
  ClientFactory ENGINE = new ClientFactory() {
    @Override
    public ChatClient open(InetSocketAddress server, ChatListener listener) throws IOException {
      throw new ServerKeyException("no way to trust the server's key was given", ExitCodes.UNEXPECTED);
    }

    @Override
    public ChatClient open(ServerOption server, ChatListener listener) throws IOException {
      return open(server, listener, CredentialStore.inMemory());
    }

    @Override
    public ChatClient open(ServerOption server, ChatListener listener, CredentialStore credentials)
        throws IOException {
      ChatClients.Builder builder = ChatClients.builder().server(server.address()).listener(listener)
          .credentials(credentials)
          .config(ClientConfig.builder().directConnections(server.directConnections())
              // contacts' device keys, beside the servers' keys: a changed one is reported across runs too
              .knownPeersFile(server.knownHosts().toAbsolutePath().resolveSibling("known_peers"))
              .build());
      if (server.plaintext()) {
        builder.plaintext();
      } else {
        ServerPublicKey key = ServerTrust.resolve(server, server::notice);
        builder.serverKey(key);
      }
      for (OtherNodeConverter.OtherNode n : server.otherNodes()) {
        builder.otherNode(n.address(), n.key());
      }
      try {
        return builder.build();
      } catch (IllegalStateException e) {
        throw new ServerKeyException(e.getMessage(), ExitCodes.USAGE);
      }
    }
  };

  /**
   * Opens a client as {@link #open(ServerOption, ChatListener)} does, which keeps the device
   * credential of a device login in {@code credentials} and resumes with it. Factories that
   * know no devices (test fakes) ignore it.
   */
  default ChatClient open(ServerOption server, ChatListener listener, CredentialStore credentials)
      throws IOException {
    return open(server, listener);
  }

  /**
   * Opens a client of the server that {@code server}'s options name, trusting its key as they
   * say. Factories that know no keys (test fakes) open a client of the address.
   *
   * @throws ServerKeyException when the server's key cannot be trusted
   * @throws IOException when no socket can be opened
   */
  default ChatClient open(ServerOption server, ChatListener listener) throws IOException {
    return open(server.address(), listener);
  }

  /**
   * Opens a client of {@code server} whose pushes go to {@code listener}. The caller closes it.
   *
   * @throws IOException when no socket can be opened
   */
  ChatClient open(InetSocketAddress server, ChatListener listener) throws IOException;
}
