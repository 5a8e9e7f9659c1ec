package org.p2pchat.cli.ref;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.protocol.ChatClients;
import org.p2pchat.api.ServerPublicKey;
import org.p2pchat.protocol.ClientConfig;

/**
 * A load generator for crash tests: one user sending numbered messages, one at a time, to the
 * others in turn, through a server that may die at any moment. It records every message whose
 * acknowledgement it received; on any failure (a timeout while the server is down, a session
 * the restarted server no longer knows) it starts a new client and logs in again.
 */
final class AckedSender implements Runnable {
  /**
   * Short enough that a dead server costs a client a few seconds, not fifteen; long enough that
   * a live server on a loaded 2-core machine is not given up on (a deadline of 2 s was not: the
   * clients gave up and logged in again, and each login cost the server a hash).
   */
  static final ClientConfig RESTART_TOLERANT = ClientConfig.builder()
      .initialRetransmitTimeout(Duration.ofMillis(200))
      .maxRetransmitTimeout(Duration.ofMillis(800))
      .requestDeadline(Duration.ofSeconds(5))
      .build();

  private final InetSocketAddress server;
  private final ServerPublicKey key;
  private final String user;
  private final String password;
  private final List<String> peers;
  private final CountDownLatch stop;
  private final AckLog acked;
  private long attempts;
  private volatile long failures;

  AckedSender(InetSocketAddress server, ServerPublicKey key, String user, String password, List<String> peers,
      CountDownLatch stop, AckLog acked) {
    this.server = server;
    this.key = key;
    this.user = user;
    this.password = password;
    this.peers = peers;
    this.stop = stop;
    this.acked = acked;
  }

  long failures() {
    return failures;
  }

  @Override
  public void run() {
    ChatClient client = null;
    try {
      while (stop.getCount() > 0) {
        if (client == null) {
          client = loggedIn();
          continue;
        }
        String peer = peers.get((int) (attempts % peers.size()));
        String body = user + " #" + attempts++;
        try {
          acked.record(client.send(UserName.of(peer), body).get(30, TimeUnit.SECONDS));
        } catch (ExecutionException e) {
          failures++;
          client.close();
          client = null;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      throw new AssertionError(user + "'s load failed: " + e, e);
    } finally {
      if (client != null) {
        client.close();
      }
    }
  }

  /** A new client, logged in; null when stopped first. */
  private ChatClient loggedIn() throws Exception {
    while (stop.getCount() > 0) {
      ChatClient client = ChatClients.builder().server(server).serverKey(key).config(RESTART_TOLERANT).build();
      try {
        client.login(UserName.of(user), password).get(30, TimeUnit.SECONDS);
        return client;
      } catch (ExecutionException e) {
        failures++;
        client.close();
        long wait = e.getCause() instanceof ChatException c
            ? c.retryAfter().map(Duration::toMillis).orElse(0L) : 0L;
        // Honour the server's retry-after (rate limit, busy); a timeout has waited already.
        if (wait > 0 && stop.await(wait, TimeUnit.MILLISECONDS)) {
          return null;
        }
      }
    }
    return null;
  }
}
