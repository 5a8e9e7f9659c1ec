package org.p2pchat.api.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.UserName;

/**
 * The storage of devices, a facet of {@link ChatStore} ({@link ChatStore#devices()}): each
 * device's credential (only a hash of its secret), and what a device needs to resend safely, a
 * message appended at most once per (sender, idempotency key).
 *
 * <p>The same contract as {@link ChatStore}: asynchronous, writes complete once durable,
 * failures as {@link org.p2pchat.api.ChatException}, thread-safe.
 */
public interface DeviceStore {

  /**
   * Adds a device to a user.
   *
   * @param user whose device
   * @param name the device's name, 1 to 64 bytes of UTF-8
   * @param secretHash the hash of the device's secret
   * @param at when (its creation and last use)
   * @return the device as stored, with an id greater than every device id assigned before;
   *     fails with {@code UNKNOWN_RECIPIENT} when there is no such user
   */
  CompletableFuture<StoredDevice> addDevice(UserName user, String name, String secretHash, Instant at);

  /**
   * Looks a device up.
   *
   * @param id the device's id
   * @return the device; empty when there is none (never was, or revoked)
   */
  CompletableFuture<Optional<StoredDevice>> findDevice(long id);

  /**
   * Lists a user's devices.
   *
   * @param user whose
   * @return the devices, in increasing id order
   */
  CompletableFuture<List<StoredDevice>> devices(UserName user);

  /**
   * Records a use of a device (a resume).
   *
   * @param id the device's id
   * @param at when
   * @return whether the device exists
   */
  CompletableFuture<Boolean> touchDevice(long id, Instant at);

  /**
   * Revokes (removes) devices of a user.
   *
   * @param user whose
   * @param id the device's id, or 0 for every device of the user
   * @return the ids of the devices revoked, in increasing order; empty when {@code id} is not a
   *     device of {@code user}
   */
  CompletableFuture<List<Long>> revokeDevices(UserName user, long id);

  /**
   * Appends a message unless its sender already appended one with the same idempotency key;
   * a resend after a reconnect or a server restart so gets the message stored the first time.
   *
   * @param message the message to append
   * @param key the sender's idempotency key for it, any value; unique per sender
   * @return the message stored now (state STORED) or the one stored before with that key (in
   *     its current state, its body unchanged); fails with {@code UNKNOWN_RECIPIENT} when a
   *     sender or recipient does not exist
   */
  CompletableFuture<ChatMessage> appendOnce(NewMessage message, long key);
}
