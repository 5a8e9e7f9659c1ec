package org.p2pchat.api.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.p2pchat.api.UserName;

/**
 * The operator's facet of a {@link ChatStore} ({@link ChatStore#admin()}): accounts as an
 * operator sees them, disabling and deleting them, purging old messages, and sizes. Writes go
 * through the store's writer like any other write, in small transactions, so they never stall
 * the messages of users online; each future completes once the change is durable.
 *
 * <p>A deleted account keeps its name reserved (it can be neither logged in to nor registered
 * again, so nobody can take over a name others knew), and loses its password hash and every
 * message it sent or received. Thread-safe, like the store.
 *
 * <p>The conformance kit's {@code AdminStoreContract} states this contract as tests.
 */
public interface AdminStore {

  /**
   * The accounts whose name contains {@code nameContains} (in any case), by name, at most
   * {@code limit}, deleted ones left out.
   *
   * @param nameContains part of a name; empty for every account
   * @param limit the most accounts returned, 1 or more
   * @return the accounts, ordered by name
   */
  CompletableFuture<List<UserAccount>> listUsers(String nameContains, int limit);

  /**
   * One account, deleted ones left out.
   *
   * @param name the account's name
   * @return the account; empty when there is none
   */
  CompletableFuture<Optional<UserAccount>> findAccount(UserName name);

  /**
   * Records a successful login, for {@link UserAccount#lastLoginAt()}.
   *
   * @param name who logged in
   * @param at when
   * @return completes with whether the account exists
   */
  CompletableFuture<Boolean> recordLogin(UserName name, Instant at);

  /**
   * Disables an account (it cannot log in: {@link StoredUser#disabled()}) or enables it again.
   *
   * @param name the account
   * @param disabled true to disable, false to enable
   * @return completes with whether the account exists
   */
  CompletableFuture<Boolean> setDisabled(UserName name, boolean disabled);

  /**
   * Deletes an account: every message it sent or received, and its password hash. Its name
   * stays reserved. Idempotent.
   *
   * @param name the account
   * @return the messages deleted; empty when there was no such (undeleted) account
   */
  CompletableFuture<Optional<Long>> deleteUser(UserName name);

  /**
   * Deletes, in one small transaction, up to {@code maxMessages} of the oldest messages sent
   * before {@code cutoff}. Call it again until it returns less than {@code maxMessages} to purge
   * them all.
   *
   * @param cutoff messages sent strictly before this instant go
   * @param maxMessages the most messages deleted by this call, 1 or more
   * @return how many were deleted
   */
  CompletableFuture<Integer> purgeMessagesBefore(Instant cutoff, int maxMessages);

  /** {@return the store's sizes now} */
  CompletableFuture<StoreStats> stats();
}
