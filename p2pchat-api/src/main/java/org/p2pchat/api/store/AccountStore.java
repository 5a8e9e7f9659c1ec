package org.p2pchat.api.store;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.p2pchat.api.UserName;

/**
 * The user's own facet of a {@link ChatStore} ({@link ChatStore#accounts()}): deleting one's
 * account, and registering a name again once its quarantine is over (docs/protocol.md section
 * 22). Thread-safe, like the store; each future completes once the change is durable.
 *
 * <p>What a deletion removes, in one transaction: every one-to-one message the user sent or
 * received (as {@link AdminStore#deleteUser} does), every room message the user sent, the user's
 * room memberships (a room the user owned passes to the member who joined earliest; a room left
 * empty is deleted with its history, as when its last member leaves), both directions of every
 * contact and block row that names the user, whether they hid their presence, the user's
 * devices, and the password hash. The
 * account's row stays as a tombstone with the time of the deletion: until
 * {@link #createUser(StoredUser, Instant)} takes the name over, nobody can register or log in
 * with it. An operator's {@link AdminStore#deleteUser} reserves a name for good; this one only
 * until the quarantine ends.
 *
 * <p>The conformance kit's {@code AccountStoreContract} states this contract as tests.
 */
public interface AccountStore {

  /**
   * Deletes an account at its user's request, as the class comment says.
   *
   * @param name the account
   * @param at when, the start of the name's quarantine (kept to the millisecond)
   * @return completes with true once deleted; false when there was no such live account
   */
  CompletableFuture<Boolean> deleteAccount(UserName name, Instant at);

  /**
   * Creates a user as {@link ChatStore#createUser} does, and may take over the name of an
   * account its user deleted (with {@link #deleteAccount}) at or before {@code quarantineEnd}:
   * the new account then starts empty (no messages, rooms, contacts, blocks or devices).
   *
   * @param user the user to create
   * @param quarantineEnd names deleted by their users at or before this instant are free
   * @return completes when the user is durable; fails with {@code NAME_TAKEN} when a live user
   *     has the name, an operator deleted it, or its user deleted it after {@code quarantineEnd}
   */
  CompletableFuture<Void> createUser(StoredUser user, Instant quarantineEnd);
}
