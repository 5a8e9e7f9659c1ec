package org.p2pchat.server.ref;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.ServerPublicKey;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.client.ChatListener;
import org.p2pchat.api.client.ConnectionState;
import org.p2pchat.protocol.ChatClients;
import org.p2pchat.protocol.ClientConfig;

/**
 * A client of a cluster as an application builds it with the SDK: the nodes (address and key)
 * given with {@code otherNode}, starting from one of them, and a login with a device name. When
 * its node stops answering the SDK resumes on the next node by itself, catches up and sends what
 * it queued; this class only waits for the answers. Not thread-safe: one user's thread drives it.
 */
final class FailoverClient implements AutoCloseable {
  /** One node of the cluster, as a client pins it. */
  record Server(InetSocketAddress address, ServerPublicKey key) {}

  /** A dead node costs ten seconds; a live one on a loaded machine (a login hashes) is not given up on. */
  static final ClientConfig TOLERANT = ClientConfig.builder()
      .initialRetransmitTimeout(Duration.ofMillis(200))
      .maxRetransmitTimeout(Duration.ofMillis(800))
      .requestDeadline(Duration.ofSeconds(10))
      .build();

  private final UserName user;
  private final String password;
  private final int first;
  private final ChatClient client;
  private boolean loggedIn;

  FailoverClient(List<Server> servers, int first, String user, String password, ChatListener listener)
      throws Exception {
    this.user = UserName.of(user);
    this.password = password;
    this.first = first;
    Server start = servers.get(first);
    ChatClients.Builder b = ChatClients.builder().server(start.address()).serverKey(start.key()).config(TOLERANT)
        .listener(listener);
    for (int i = 1; i < servers.size(); i++) {
      Server other = servers.get((first + i) % servers.size());
      b.otherNode(other.address(), other.key());
    }
    this.client = b.build();
  }

  /** The node it started on. */
  int firstNode() {
    return first;
  }

  /** Whether the SDK says it is online now. */
  boolean online() {
    return client.connectionState() == ConnectionState.ONLINE;
  }

  /**
   * Sends once and waits for the answer; while the SDK moves to another node the send waits in
   * its outbox and goes out there, stored once.
   *
   * @return the acknowledged message, or null when this send failed
   */
  ChatMessage send(String to, String body) throws Exception {
    try {
      return connected().send(UserName.of(to), body).get(2, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      return null;
    }
  }

  /** The client, logged in with a device name (so that its session resumes on any node). */
  ChatClient connected() throws Exception {
    while (!loggedIn) {
      try {
        client.login(user, password, "cluster-test").get(60, TimeUnit.SECONDS);
        loggedIn = true;
      } catch (ExecutionException e) {
        if (e.getCause() instanceof ChatException ce && ce.retryAfter().isPresent()) {
          Thread.sleep(ce.retryAfter().get().toMillis()); // the server's own retry-after
        } else {
          throw e;
        }
      }
    }
    return client;
  }

  @Override
  public void close() {
    client.close();
  }
}
