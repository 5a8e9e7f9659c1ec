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
 * again, so nobody can take over a name others knew), and loses its password hash, its devices
 * ({@link DeviceStore}) and every message it sent or received. Thread-safe, like the store.
 *
 * <p>Disabling, deleting, {@link #revokeAllDevices revoking devices} and {@link #resetPassword
 * resetting a password} each record an {@link AdminOperation} in the same transaction, which
 * every server on the store polls ({@link #operationsAfter}) to end the sessions concerned:
 * an {@code admin} command run beside a running server takes effect on its open sessions too.
 * The store keeps the latest {@value #MAX_KEPT_OPERATIONS} operations.
 *
 * <p>The conformance kit's {@code AdminStoreContract} states this contract as tests.
 */
public interface AdminStore {

  /** The most {@link AdminOperation}s a store keeps: recording one more drops the oldest. */
  int MAX_KEPT_OPERATIONS = 1000;

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
   * Disabling records a {@link AdminOperation.Kind#DISABLED} operation in the same transaction.
   *
   * @param name the account
   * @param disabled true to disable, false to enable
   * @return completes with whether the account exists
   */
  CompletableFuture<Boolean> setDisabled(UserName name, boolean disabled);

  /**
   * Deletes an account: every message it sent or received, every room message it sent, its
   * devices, and its password hash.
   * Its name stays reserved. Idempotent. Records a {@link AdminOperation.Kind#DELETED}
   * operation in the same transaction, when there was such an account.
   *
   * @param name the account
   * @return the messages and room messages deleted; empty when there was no such (undeleted) account
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

  /**
   * Deletes, in one small transaction, up to {@code maxMessages} of the oldest room messages
   * sent before {@code cutoff} ({@link RoomStore}), as {@link #purgeMessagesBefore} does for
   * messages between two users. The default deletes nothing, for a store that keeps no rooms.
   *
   * @param cutoff room messages sent strictly before this instant go
   * @param maxMessages the most room messages deleted by this call, 1 or more
   * @return how many were deleted
   */
  default CompletableFuture<Integer> purgeRoomMessagesBefore(Instant cutoff, int maxMessages) {
    if (maxMessages < 1) {
      throw new IllegalArgumentException("maxMessages must be >= 1: " + maxMessages);
    }
    return CompletableFuture.completedFuture(0);
  }

  /**
   * Revokes every device credential of an account ({@link DeviceStore#revokeDevices} with id
   * 0) and records a {@link AdminOperation.Kind#DEVICES_REVOKED} operation naming the greatest
   * id revoked, in one transaction. The default fails with {@link UnsupportedOperationException}
   * (a store written before operations existed); the stores of p2pchat all implement it.
   *
   * @param name the account
   * @return the ids of the devices revoked (empty when it had none); empty too when there is no
   *     such (undeleted) account, which records nothing
   */
  default CompletableFuture<List<Long>> revokeAllDevices(UserName name) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException(
        getClass().getSimpleName() + " records no admin operations"));
  }

  /**
   * Sets a new password hash ({@link ChatStore#updatePasswordHash}) and records a
   * {@link AdminOperation.Kind#PASSWORD_RESET} operation, in one transaction. The default fails
   * with {@link UnsupportedOperationException}; the stores of p2pchat all implement it.
   *
   * @param name the account
   * @param passwordHash the new hash, in the form {@link StoredUser#passwordHash()} describes
   * @return completes with whether the (undeleted) account exists; when not, nothing is recorded
   */
  default CompletableFuture<Boolean> resetPassword(UserName name, String passwordHash) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException(
        getClass().getSimpleName() + " records no admin operations"));
  }

  /**
   * The operations recorded after {@code afterId}, oldest first, at most {@code limit}: what a
   * server polls. The default has none (a store that records no operations).
   *
   * @param afterId the id of the last operation already seen; 0 for all those kept
   * @param limit the most operations returned, 1 or more
   * @return the operations, by increasing id
   */
  default CompletableFuture<List<AdminOperation>> operationsAfter(long afterId, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1: " + limit);
    }
    return CompletableFuture.completedFuture(List.of());
  }

  /**
   * The id of the latest operation recorded, where a server that starts begins to poll: what
   * was done before it started concerns no session of it. The default is 0.
   *
   * @return the latest operation's id; 0 when none was ever recorded (or none is kept)
   */
  default CompletableFuture<Long> latestOperationId() {
    return CompletableFuture.completedFuture(0L);
  }
}
