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
   * @param name the account's name
   * @param password 8 to 128 bytes of UTF-8; it crosses the network only inside the request
   * @return completes when the account exists; fails with {@code NAME_TAKEN} when the name is
   *     taken
   */
  CompletableFuture<Void> register(UserName name, String password);

  /**
   * Logs in, replacing any session this client held; pushes start arriving afterwards.
   *
   * @param name the account's name
   * @param password the account's password
   * @return completes once logged in; fails with {@code INVALID_CREDENTIALS} for an unknown
   *     user or a wrong password alike
   */
  CompletableFuture<Void> login(UserName name, String password);

  /**
   * Sends a message. Completes once the server has stored it durably, with the stored message
   * (its id and the server's time).
   *
   * @param recipient to whom
   * @param body the text, at most {@link org.p2pchat.api.ProtocolLimits#MAX_BODY_BYTES} bytes of
   *     UTF-8
   * @return the stored message
   */
  CompletableFuture<ChatMessage> send(UserName recipient, String body);

  /**
   * Reads a page of this user's history.
   *
   * @param query which page
   * @return the page
   */
  CompletableFuture<HistoryPage> history(HistoryQuery query);

  /**
   * Marks messages addressed to this user as read; their senders are told.
   *
   * @param messageIds the messages' ids; ids of messages not addressed to this user are ignored
   * @return completes once the server has stored the change
   */
  CompletableFuture<Void> markRead(Collection<Long> messageIds);

  /**
   * Ends the session on the server.
   *
   * @return completes once the server has ended it
   */
  CompletableFuture<Void> logout();

  /**
   * This user's rooms.
   *
   * @return the rooms facet of this client
   * @throws UnsupportedOperationException when this client speaks no rooms
   */
  default RoomClient rooms() {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " speaks no rooms");
  }

  /**
   * This user's contacts and blocks.
   *
   * @return the contacts facet of this client
   * @throws UnsupportedOperationException when this client speaks no contacts
   */
  default ContactClient contacts() {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " speaks no contacts");
  }

  /** {@return the logged-in user, if there is a session} */
  Optional<UserName> user();

  /** Logs out if logged in (best effort, bounded wait), stops retransmitting, frees the socket. */
  @Override
  void close();
}
