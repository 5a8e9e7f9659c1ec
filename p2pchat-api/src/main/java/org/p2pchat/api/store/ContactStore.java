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

  // Presence hiding (docs/protocol.md section 21). Default methods, so that a store written
  // before them still compiles; such a store hides nobody.

  /**
   * Hides a user's presence from everyone, or shows it again; the setting lasts until changed
   * (a durable store keeps it across restarts).
   *
   * @param user whose presence
   * @param hidden true to hide, false to show
   * @return completes once durable; by default fails with {@link UnsupportedOperationException}
   */
  default CompletableFuture<Void> hidePresence(UserName user, boolean hidden) {
    return CompletableFuture.failedFuture(
        new UnsupportedOperationException(getClass().getSimpleName() + " keeps no presence settings"));
  }

  /**
   * Whether a user hides their presence.
   *
   * @param user whose setting
   * @return whether {@code user} hides their presence; false for a user who never chose, or who
   *     does not exist (by default always false)
   */
  default CompletableFuture<Boolean> presenceHidden(UserName user) {
    return CompletableFuture.completedFuture(false);
  }

  /**
   * The users on {@code owner}'s contact list who hide their presence: one read for a whole
   * contact list.
   *
   * @param owner whose list
   * @return the contacts of {@code owner} who hide their presence (by default none)
   */
  default CompletableFuture<java.util.Set<UserName>> contactsHidingPresence(UserName owner) {
    return CompletableFuture.completedFuture(java.util.Set.of());
  }

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
