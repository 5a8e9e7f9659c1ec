package org.p2pchat.api.client;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.p2pchat.api.Contact;
import org.p2pchat.api.UserName;

/**
 * The contact and block lists of a logged-in user ({@link ChatClient#contacts()}), kept on the
 * server. A blocked user's messages and room invitations to this user are refused with
 * {@code BLOCKED}, whether this user is online or not, and they never see this user's presence.
 *
 * <p>Thread-safe.
 */
public interface ContactClient {

  /**
   * Adds a contact.
   *
   * @param contact who
   * @return completes once stored; fails with {@code UNKNOWN_RECIPIENT} or {@code TOO_MANY_CONTACTS}
   */
  CompletableFuture<Void> add(UserName contact);

  /**
   * Removes a contact.
   *
   * @param contact who
   * @return completes once stored
   */
  CompletableFuture<Void> remove(UserName contact);

  /**
   * The contacts with their presence (shared by mutual contacts only).
   *
   * @return the contacts, by name
   */
  CompletableFuture<List<Contact>> list();

  /**
   * Blocks a user.
   *
   * @param user who
   * @return completes once stored; fails with {@code UNKNOWN_RECIPIENT} or {@code TOO_MANY_BLOCKS}
   */
  CompletableFuture<Void> block(UserName user);

  /**
   * Unblocks a user.
   *
   * @param user who
   * @return completes once stored
   */
  CompletableFuture<Void> unblock(UserName user);

  /**
   * The users this user blocks.
   *
   * @return the blocked users, by name
   */
  CompletableFuture<List<UserName>> blocked();

  /**
   * Hides this user's presence from everyone, or shows it again (docs/protocol.md section 21).
   * The server keeps the setting across sessions and restarts. A hidden user looks offline to
   * their contacts, in pushes and in {@link #list()}, exactly like a user who went offline when
   * they hid; their contacts are told so at once (within the coalescing interval).
   *
   * @param hidden true to hide, false to show
   * @return completes once stored; by default fails with {@link UnsupportedOperationException}
   */
  default CompletableFuture<Void> hidePresence(boolean hidden) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException("this client cannot hide presence"));
  }
}
