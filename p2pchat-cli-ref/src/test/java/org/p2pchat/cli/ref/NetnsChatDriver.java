package org.p2pchat.cli.ref;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.HistoryPage;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.protocol.ChatClients;
import org.p2pchat.api.ServerPublicKey;
import org.p2pchat.protocol.ClientConfig;

/**
 * The client side of {@link NetnsChatIT}, run as its own process inside a network namespace:
 * {@code register}, {@code send N} (N numbered messages to the peer, each after the previous
 * one's acknowledgement) or {@code verify N} (the peer's N messages are in history complete,
 * in order and once each). Prints one line of result; exit status 0 when it holds, 1 when not.
 *
 * <p>Arguments: {@code SERVER_HOST SERVER_PORT USER PEER COMMAND [N]}; the password is
 * derived from the user name (these are throwaway accounts of a test).
 */
public final class NetnsChatDriver {
  /**
   * Patient enough that a request survives 10% loss each way (a request and its answer both
   * arrive with probability 0.81; 40 attempts all fail with probability below 1e-28), quick
   * to retry on a link whose round trip is well under a millisecond.
   */
  static final ClientConfig LOSSY_LINK = ClientConfig.builder()
      .initialRetransmitTimeout(Duration.ofMillis(100))
      .minRetransmitTimeout(Duration.ofMillis(30))
      .maxRetransmitTimeout(Duration.ofMillis(500))
      .maxAttempts(40)
      .requestDeadline(Duration.ofSeconds(60))
      .build();

  private NetnsChatDriver() {}

  /** Entry point; see the class comment. */
  public static void main(String[] args) throws Exception {
    InetSocketAddress server = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
    UserName user = UserName.of(args[2]);
    UserName peer = UserName.of(args[3]);
    String password = args[2] + "-password";
    String outcome;
    try (ChatClient client = ChatClients.builder().server(server)
        .serverKey(ServerPublicKey.parse(System.getProperty("p2pchat.serverKey"))).config(LOSSY_LINK).build()) {
      switch (args[4]) {
        case "register" -> outcome = register(client, user, password);
        case "send" -> {
          login(client, user, password);
          outcome = send(client, peer, Integer.parseInt(args[5]));
        }
        case "verify" -> {
          login(client, user, password);
          outcome = verify(client, user, peer, Integer.parseInt(args[5]));
        }
        default -> outcome = "FAIL unknown command " + args[4];
      }
    }
    System.out.println(outcome);
    System.out.flush();
    // A test's driver process: its exit status is its verdict.
    System.exit(outcome.startsWith("OK") ? 0 : 1);
  }

  private static String register(ChatClient client, UserName user, String password) throws Exception {
    try {
      client.register(user, password).get(2, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      // A retransmitted REGISTER whose first answer was lost is answered from the server's
      // cache, so a NAME_TAKEN here means the name was really taken before.
      return "FAIL register: " + e.getCause();
    }
    return "OK registered " + user.value();
  }

  private static void login(ChatClient client, UserName user, String password) throws Exception {
    client.login(user, password).get(2, TimeUnit.MINUTES);
  }

  private static String send(ChatClient client, UserName peer, int count) throws Exception {
    long started = System.nanoTime();
    for (int i = 0; i < count; i++) {
      try {
        client.send(peer, body(client.user().orElseThrow(), i)).get(2, TimeUnit.MINUTES);
      } catch (ExecutionException e) {
        return "FAIL send " + i + ": " + e.getCause();
      }
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    return "OK sent " + count + " in " + millis + " ms";
  }

  private static String verify(ChatClient client, UserName user, UserName peer, int count) throws Exception {
    List<String> received = new ArrayList<>();
    Set<Long> ids = new HashSet<>();
    long cursor = 0;
    while (true) {
      HistoryPage page;
      try {
        page = client.history(HistoryQuery.builder().peer(peer).direction(HistoryQuery.Direction.AFTER)
            .cursor(cursor).limit(HistoryQuery.MAX_LIMIT).build()).get(2, TimeUnit.MINUTES);
      } catch (ExecutionException e) {
        return "FAIL history: " + e.getCause();
      }
      for (ChatMessage m : page.messages()) {
        if (!ids.add(m.id())) {
          return "FAIL message id " + m.id() + " twice in history";
        }
        if (m.sender().equals(peer) && m.recipient().equals(user)) {
          received.add(m.body());
        }
      }
      if (page.nextCursor().isEmpty()) {
        break;
      }
      cursor = page.nextCursor().getAsLong();
    }
    for (int i = 0; i < Math.max(count, received.size()); i++) {
      String expected = i < count ? body(peer, i) : "(nothing)";
      String actual = i < received.size() ? received.get(i) : "(nothing)";
      if (!expected.equals(actual)) {
        return "FAIL message " + i + " from " + peer.value() + " in history is '" + actual
            + "', expected '" + expected + "' (" + received.size() + " received of " + count + ")";
      }
    }
    return "OK " + received.size() + " messages from " + peer.value() + " complete, in order, once each";
  }

  static String body(UserName sender, int i) {
    return sender.value() + " message " + i;
  }
}
