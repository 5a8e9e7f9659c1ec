package org.p2pchat.api.client;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.ErrorCode;
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
   * @param body the text, at most {@link org.p2pchat.api.ProtocolLimits#MAX_LONG_BODY_BYTES}
   *     bytes of UTF-8 (64 KiB); a body over {@link org.p2pchat.api.ProtocolLimits#MAX_BODY_BYTES}
   *     travels in parts and arrives whole, as one message with one id
   * @return the stored message; fails with {@code BODY_TOO_LONG} for a longer body
   */
  CompletableFuture<ChatMessage> send(UserName recipient, String body);

  /**
   * Reads a page of this user's history.
   *
   * @param query which page
   * @return the page
   */
  CompletableFuture<HistoryPage> history(HistoryQuery query);

  /** The most messages one {@link #readHistory(HistoryQuery, int)} returns. */
  int MAX_READ_HISTORY = 100_000;

  /**
   * Reads up to {@code maxMessages} messages of this user's history at once: exactly the
   * messages that reading page after page with {@link #history(HistoryQuery)} from {@code from}
   * would return until it held {@code maxMessages} or the history ended. From {@code from}'s
   * cursor in its direction, honouring its peer and unread-only filters: {@code BEFORE} from
   * cursor 0 gives the newest {@code maxMessages}, {@code AFTER} from a cursor the oldest
   * {@code maxMessages} above it (a catch-up). {@code from}'s limit is ignored.
   *
   * <p>The returned list is in increasing id order, each message once, with no gap. Messages
   * stored while the read runs may or may not be in it. This default reads page after page;
   * the reference client reads many pages at once (docs/protocol.md section 10), so that ten
   * thousand messages cost a few dozen round trips rather than a thousand.
   *
   * @param from where to start, which way, and which messages
   * @param maxMessages the most messages to return, 1 to {@value #MAX_READ_HISTORY}
   * @return the messages, immutable, in increasing id order; fails as {@link #history} does
   *     (with no partial list) when any page fails, with {@code CLOSED} once the client is
   *     closed (or {@code NOT_LOGGED_IN}, when the logout that closing sends ended the session
   *     before a page was answered), and, as every call, through the future rather than by throwing, with {@code
   *     INVALID_REQUEST} when {@code from} is null or {@code maxMessages} is not 1 to {@value
   *     #MAX_READ_HISTORY} (its cause the {@link IllegalArgumentException} or {@link
   *     NullPointerException} saying which)
   */
  default CompletableFuture<List<ChatMessage>> readHistory(HistoryQuery from, int maxMessages) {
    try {
      checkReadHistory(from, maxMessages);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(new ChatException(ErrorCode.INVALID_REQUEST, e.getMessage(), e));
    }
    CompletableFuture<List<ChatMessage>> result = new CompletableFuture<>();
    readPages(this, from, from.cursor(), maxMessages, 0, new ArrayList<>(), result);
    return result;
  }

  /**
   * Checks the arguments of {@link #readHistory(HistoryQuery, int)}: throws {@link
   * NullPointerException} or {@link IllegalArgumentException}.
   */
  private static void checkReadHistory(HistoryQuery from, int maxMessages) {
    java.util.Objects.requireNonNull(from, "from");
    if (maxMessages < 1 || maxMessages > MAX_READ_HISTORY) {
      throw new IllegalArgumentException("maxMessages must be 1 to " + MAX_READ_HISTORY + ": " + maxMessages);
    }
  }

  /**
   * The pages of the default {@link #readHistory}, one after the other until done, in read order.
   * A loop while the pages come back already complete (as from a client that answers on the
   * calling thread), so that a long read cannot run out of stack; a callback otherwise.
   */
  private static void readPages(ChatClient client, HistoryQuery from, long cursor, int maxMessages, int held,
      List<List<ChatMessage>> pages, CompletableFuture<List<ChatMessage>> result) {
    long next = cursor;
    int now = held;
    while (true) {
      HistoryQuery page = HistoryQuery.builder().from(from).cursor(next)
          .limit(Math.min(HistoryQuery.MAX_LIMIT, maxMessages - now)).build();
      CompletableFuture<HistoryPage> answer;
      try {
        answer = client.history(page);
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
        return;
      }
      if (!answer.isDone()) {
        int h = now;
        answer.whenComplete((got, failure) -> {
          long after = tookPage(from, maxMessages, h, pages, got, failure, result);
          if (after > 0) {
            readPages(client, from, after, maxMessages, h + got.messages().size(), pages, result);
          }
        });
        return;
      }
      HistoryPage got = null;
      Throwable failure = null;
      try {
        got = answer.join();
      } catch (RuntimeException e) {
        failure = e;
      }
      next = tookPage(from, maxMessages, now, pages, got, failure, result);
      if (next <= 0) {
        return;
      }
      now += got.messages().size();
    }
  }

  /**
   * Takes one page of the default {@link #readHistory}: completes {@code result} when the read
   * is done or failed (returning 0), else returns the cursor of the next page.
   */
  private static long tookPage(HistoryQuery from, int maxMessages, int held, List<List<ChatMessage>> pages,
      HistoryPage got, Throwable failure, CompletableFuture<List<ChatMessage>> result) {
    if (failure != null) {
      result.completeExceptionally(failure instanceof java.util.concurrent.CompletionException
          && failure.getCause() != null ? failure.getCause() : failure);
      return 0;
    }
    pages.add(got.messages());
    int now = held + got.messages().size();
    if (got.nextCursor().isPresent() && now < maxMessages) {
      return got.nextCursor().getAsLong();
    }
    List<ChatMessage> all = new ArrayList<>(now);
    for (int i = 0; i < pages.size(); i++) {
      // BEFORE reads newer pages first; each page is in increasing id order either way
      all.addAll(pages.get(from.direction() == HistoryQuery.Direction.BEFORE ? pages.size() - 1 - i : i));
    }
    result.complete(List.copyOf(all.subList(0, Math.min(all.size(), maxMessages))));
    return 0;
  }

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

  /**
   * Channels to the devices of mutual contacts, direct where the network allows.
   *
   * @return the peer-to-peer facet of this client
   * @throws UnsupportedOperationException when this client speaks no peer to peer
   */
  default PeerClient peers() {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " speaks no peer to peer");
  }

  /** {@return the logged-in user, if there is a session} */
  Optional<UserName> user();

  /**
   * Logs in as a named device: like {@link #login(UserName, String)}, and the server gives this
   * device a credential, which the client keeps in its {@link CredentialStore} and resumes every
   * later session with, by itself, without the password (after a server restart, a network
   * change, an expired session). A device of the user with the same name is replaced.
   *
   * @param name the account's name
   * @param password the account's password
   * @param deviceName what to call this device in {@link #devices()}, 1 to 64 bytes of UTF-8
   * @return completes once logged in and the credential is stored
   */
  default CompletableFuture<Void> login(UserName name, String password, String deviceName) {
    return CompletableFuture.failedFuture(unsupported());
  }

  /**
   * Opens a session with the credential in the client's {@link CredentialStore}, without the
   * password (an application calls it at start). If the server does not answer, the future
   * fails with {@code TIMEOUT} and the client keeps trying by itself
   * ({@link ConnectionState#RECONNECTING}).
   *
   * @return completes once resumed; fails with {@code NOT_LOGGED_IN} when no credential is
   *     stored, {@code CREDENTIAL_REVOKED} when the server refuses it (it is then forgotten),
   *     {@code ACCOUNT_DISABLED} when an operator disabled the account (the credential is kept,
   *     and good again once the account is enabled; a client resuming by itself stops trying,
   *     goes {@link ConnectionState#OFFLINE} and tells {@link ChatListener#onSessionLost})
   */
  default CompletableFuture<Void> resume() {
    return CompletableFuture.failedFuture(unsupported());
  }

  /**
   * Lists the user's devices.
   *
   * @return the devices, in the order they logged in
   */
  default CompletableFuture<List<DeviceInfo>> devices() {
    return CompletableFuture.failedFuture(unsupported());
  }

  /**
   * Revokes one of the user's devices ("remove my old phone"): its credential stops working and
   * its sessions end at once. Revoking this client's own device ends it on its next resume.
   *
   * @param deviceId the device's {@link DeviceInfo#id()}
   * @return completes once revoked; fails with {@code UNKNOWN_DEVICE} for an id the user does
   *     not have
   */
  default CompletableFuture<Void> revokeDevice(long deviceId) {
    return CompletableFuture.failedFuture(unsupported());
  }

  /**
   * Logs out everywhere: revokes every device of the user, this one included, ends their
   * sessions, and logs this client out.
   *
   * @return completes once done
   */
  default CompletableFuture<Void> logoutEverywhere() {
    return CompletableFuture.failedFuture(unsupported());
  }

  /**
   * Deletes the logged-in user's account, for good (docs/protocol.md section 22): their
   * one-to-one messages both ways, the room messages they sent, their rooms (a room they own
   * passes to its oldest member), contacts, blocks and devices. Every session of the user ends,
   * this one too, and every device credential stops working; this client forgets its credential
   * and goes {@link ConnectionState#OFFLINE}, which the listener hears. The name can be registered
   * again only after the server's quarantine (30 days on the reference server).
   *
   * @param password the account's password, the confirmation
   * @return completes once deleted; fails with {@code INVALID_CREDENTIALS} for a wrong password,
   *     {@code RATE_LIMITED} after too many, {@code NOT_LOGGED_IN} without a session
   */
  default CompletableFuture<Void> deleteAccount(String password) {
    return CompletableFuture.failedFuture(unsupported());
  }

  /**
   * The logged-in user's account: its name and when it was registered.
   *
   * @return the account; fails with {@code NOT_LOGGED_IN} without a session
   */
  default CompletableFuture<AccountInfo> account() {
    return CompletableFuture.failedFuture(unsupported());
  }

  /**
   * Exports all of the logged-in user's data, as the JSON document of docs/protocol.md section
   * 22.3 (account, contacts, blocks, rooms with their members and messages, every one-to-one
   * message sent or received), written to {@code out} page by page as the server answers: memory
   * stays bounded whatever the history's size. The client writes on its event thread and flushes
   * {@code out} at the end, but never closes it.
   *
   * @param out where the document goes, UTF-8 if it encodes
   * @return the counts written; fails with {@code NOT_LOGGED_IN} without a session, with
   *     {@code INTERNAL} (its cause the {@link java.io.IOException}) when {@code out} fails
   */
  default CompletableFuture<ExportSummary> exportTo(java.io.Writer out) {
    return CompletableFuture.failedFuture(unsupported());
  }

  /**
   * {@link #exportTo(java.io.Writer)} into a new file, readable and writable by its owner only
   * where the file system has POSIX permissions. An existing file is refused, never overwritten.
   *
   * @param file the file to create
   * @return the counts written; fails as {@link #exportTo(java.io.Writer)} does, and with
   *     {@code INVALID_REQUEST} when the file exists or cannot be created (the file is then left
   *     alone); after a failure half-way the partial file is deleted
   */
  default CompletableFuture<ExportSummary> exportTo(java.nio.file.Path file) {
    java.io.Writer out;
    try {
      out = AccountFiles.createOwnerOnly(file);
    } catch (java.io.IOException e) {
      return CompletableFuture.failedFuture(new ChatException(ErrorCode.INVALID_REQUEST,
          "cannot create the export file " + file + ": " + e.getMessage(), e));
    }
    return exportTo(out).whenComplete((summary, failure) -> {
      try {
        out.close();
        if (failure != null) {
          java.nio.file.Files.deleteIfExists(file);
        }
      } catch (java.io.IOException ignored) {
        // the outcome of the export stands; a close failing after a flush loses nothing
      }
    });
  }

  /** {@return how the client stands with its server now} */
  default ConnectionState connectionState() {
    return user().isPresent() ? ConnectionState.ONLINE : ConnectionState.OFFLINE;
  }

  /** {@return the failure of a call this implementation does not offer} */
  private static ChatException unsupported() {
    return new ChatException(ErrorCode.INVALID_REQUEST, "this client does not support devices");
  }

  /** Logs out if logged in (best effort, bounded wait), stops retransmitting, frees the socket. */
  @Override
  void close();
}
