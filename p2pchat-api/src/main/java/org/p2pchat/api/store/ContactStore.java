package org.p2pchat.api.store;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.p2pchat.api.UserName;

/**
 * The storage of contact and block lists: a facet of {@link ChatStore}
 * ({@link ChatStore#contacts()}), under the same contract. Both lists are bounded by
 * {@link org.p2pchat.api.ContactLimits}; adding a user already listed, or removing one not
 * listed, changes nothing.
 */
public interface ContactStore {

  /**
   * Adds a contact.
   *
   * @param owner whose list
   * @param contact who to add (not the owner)
   * @return completes once durable; fails with {@code UNKNOWN_RECIPIENT} or {@code TOO_MANY_CONTACTS}
   */
  CompletableFuture<Void> addContact(UserName owner, UserName contact);

  /**
   * Removes a contact.
   *
   * @param owner whose list
   * @param contact who to remove
   * @return completes once durable
   */
  CompletableFuture<Void> removeContact(UserName owner, UserName contact);

  /**
   * A user's contacts, by name, each with whether they share presence with the owner: the
   * contact lists the owner too, and neither blocks the other.
   *
   * @param owner whose list
   * @return the contacts
   */
  CompletableFuture<List<StoredContact>> contacts(UserName owner);

  /**
   * Blocks a user.
   *
   * @param owner who blocks
   * @param blocked who is blocked (not the owner)
   * @return completes once durable; fails with {@code UNKNOWN_RECIPIENT} or {@code TOO_MANY_BLOCKS}
   */
  CompletableFuture<Void> block(UserName owner, UserName blocked);

  /**
   * Unblocks a user.
   *
   * @param owner who unblocks
   * @param blocked who is unblocked
   * @return completes once durable
   */
  CompletableFuture<Void> unblock(UserName owner, UserName blocked);

  /**
   * The users someone blocks, by name.
   *
   * @param owner who blocks
   * @return the blocked users
   */
  CompletableFuture<List<UserName>> blocked(UserName owner);

  /**
   * Whether {@code owner} blocks {@code other}.
   *
   * @param owner who may block
   * @param other who may be blocked
   * @return whether {@code other} is on {@code owner}'s block list
   */
  CompletableFuture<Boolean> isBlocked(UserName owner, UserName other);

  /**
   * A contact as stored.
   *
   * @param name the contact
   * @param mutual whether the contact lists the owner too and neither blocks the other
   */
  record StoredContact(UserName name, boolean mutual) {
    /**
     * Checks for nulls.
     *
     * @param name the contact
     * @param mutual whether presence is shared
     */
    public StoredContact {
      java.util.Objects.requireNonNull(name, "name");
    }
  }
}
