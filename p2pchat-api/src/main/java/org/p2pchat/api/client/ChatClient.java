package org.p2pchat.api.client;

import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.HistoryPage;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.UserName;

/**
 * A chat client: one user's connection to one server.
 *
 * <p>Every operation is asynchronous; its future completes on a client thread, and fails with
 * {@link org.p2pchat.api.ChatException} whose {@link org.p2pchat.api.ErrorCode} says why
 * (including {@code TIMEOUT} when the server never answered within the retry policy).
 * Requests are retransmitted until answered; the server applies each at most once.
 *
 * <p>Thread-safe. Build one with the protocol module's {@code ChatClients.builder()}.
 */
public interface ChatClient extends AutoCloseable {

  /**
   * Creates an account. Does not log in.
   *
   * @param password 8 to 128 bytes of UTF-8; it crosses the network only inside the request
   */
  CompletableFuture<Void> register(UserName name, String password);

  /** Logs in, replacing any session this client held; pushes start arriving afterwards. */
  CompletableFuture<Void> login(UserName name, String password);

  /**
   * Sends a message. Completes once the server has stored it durably, with the stored message
   * (its id and the server's time).
   */
  CompletableFuture<ChatMessage> send(UserName recipient, String body);

  /** Reads a page of this user's history. */
  CompletableFuture<HistoryPage> history(HistoryQuery query);

  /** Marks messages addressed to this user as read; their senders are told. */
  CompletableFuture<Void> markRead(Collection<Long> messageIds);

  /** Ends the session on the server. */
  CompletableFuture<Void> logout();

  /** The logged-in user, if there is a session. */
  Optional<UserName> user();

  /** Logs out if logged in (best effort, bounded wait), stops retransmitting, frees the socket. */
  @Override
  void close();
}
