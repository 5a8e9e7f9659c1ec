package org.p2pchat.server.ref;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.HistoryPage;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.RoomMessage;
import org.p2pchat.api.ServerPublicKey;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.client.ChatListener;
import org.p2pchat.protocol.ChatClients;
import org.p2pchat.protocol.ClientConfig;

/**
 * A client of a cluster, as the test harness builds it: a list of nodes (address and key), one
 * of them current. When the current node stops answering (a request times out, or the node no
 * longer knows the session), it moves to the next, logs in there (sessions live on one node:
 * see docs/operations.md, "Running a cluster") and catches up from its cursor, reading history
 * after the newest message it had seen. Not thread-safe: one user's thread drives it.
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

  private final List<Server> servers;
  private final UserName user;
  private final String password;
  private final ChatListener listener;
  /** The newest message id seen, by push or by catching up. */
  private final AtomicLong cursor = new AtomicLong();
  private volatile int index;
  private ChatClient client;
  private int moves;

  FailoverClient(List<Server> servers, int first, String user, String password, ChatListener listener) {
    this.servers = List.copyOf(servers);
    this.index = first;
    this.user = UserName.of(user);
    this.password = password;
    this.listener = new ChatListener() {
      @Override
      public void onMessage(ChatMessage m) {
        cursor.accumulateAndGet(m.id(), Math::max);
        listener.onMessage(m);
      }

      @Override
      public void onRoomMessage(RoomMessage m) {
        listener.onRoomMessage(m);
      }
    };
  }

  /** Which node it is on now. */
  int node() {
    return index;
  }

  /** How often it moved to another node. */
  int moves() {
    return moves;
  }

  /**
   * Sends once, on the current node; on a failure that says the node is gone, moves on. A send
   * that failed is not repeated (it may or may not be stored): the caller sends something new.
   *
   * @return the acknowledged message, or null when this send failed
   */
  ChatMessage send(String to, String body) throws Exception {
    ChatClient c = connected();
    try {
      return c.send(UserName.of(to), body).get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (isNodeGone(e.getCause())) {
        moveOn();
      }
      return null;
    }
  }

  /** The current node's client, logged in: moving from node to node until one accepts the login. */
  ChatClient connected() throws Exception {
    while (client == null) {
      Server s = servers.get(index);
      ChatClient c = ChatClients.builder().server(s.address()).serverKey(s.key()).config(TOLERANT)
          .listener(listener).build();
      try {
        c.login(user, password).get(60, TimeUnit.SECONDS);
        client = c;
        catchUp();
      } catch (ExecutionException e) {
        c.close();
        if (isNodeGone(e.getCause())) {
          index = (index + 1) % servers.size();
          moves++;
        } else if (e.getCause() instanceof ChatException ce && ce.retryAfter().isPresent()) {
          Thread.sleep(ce.retryAfter().get().toMillis()); // the server's own retry-after
        } else {
          throw e;
        }
      }
    }
    return client;
  }

  /** Reads the history after the cursor, handing each message to the listener: what pushes may have missed. */
  void catchUp() throws Exception {
    while (true) {
      HistoryPage page = client.history(HistoryQuery.builder().direction(HistoryQuery.Direction.AFTER)
          .cursor(cursor.get()).limit(HistoryQuery.MAX_LIMIT).build()).get(60, TimeUnit.SECONDS);
      for (ChatMessage m : page.messages()) {
        if (m.recipient().equals(user)) {
          listener.onMessage(m);
        }
        cursor.accumulateAndGet(m.id(), Math::max);
      }
      if (page.nextCursor().isEmpty()) {
        return;
      }
    }
  }

  private void moveOn() {
    client.close();
    client = null;
    index = (index + 1) % servers.size();
    moves++;
  }

  private static boolean isNodeGone(Throwable t) {
    return t instanceof ChatException c
        && (c.code() == ErrorCode.TIMEOUT || c.code() == ErrorCode.NOT_LOGGED_IN);
  }

  @Override
  public void close() {
    if (client != null) {
      client.close();
      client = null;
    }
  }
}
