package org.p2pchat.api.store;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.HistoryPage;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.UserName;

/**
 * The storage SPI: users and messages, durable.
 *
 * <p>Every method is asynchronous and must not block its caller on disk: the server's event
 * loop calls them and continues when the future completes, on a thread of the store's choosing.
 * A write's future completes only once the write is durable (committed), so a server may
 * acknowledge it to a client. Implementations are thread-safe.
 *
 * <p>Failures complete the future exceptionally with {@link org.p2pchat.api.ChatException}: the
 * codes named on each method for expected failures, {@link org.p2pchat.api.ErrorCode#INTERNAL}
 * for anything else. After {@link #close()}, calls fail with
 * {@link org.p2pchat.api.ErrorCode#CLOSED}.
 *
 * <p>The conformance kit ({@code p2pchat-store-tck}) states this contract as tests.
 */
public interface ChatStore extends AutoCloseable {

  /**
   * Creates a user.
   *
   * @param user the user to create
   * @return completes when the user is durable; fails with {@code NAME_TAKEN} when a user of
   *     that name exists
   */
  CompletableFuture<Void> createUser(StoredUser user);

  /**
   * Looks a user up by name.
   *
   * @param name the user's name
   * @return the user; empty when there is none
   */
  CompletableFuture<Optional<StoredUser>> findUser(UserName name);

  /**
   * Replaces a user's password hash, as a server does when it re-hashes at login with newer
   * parameters.
   *
   * @param name the user's name
   * @param passwordHash the new hash, a PHC string
   * @return completes with whether the user existed
   */
  CompletableFuture<Boolean> updatePasswordHash(UserName name, String passwordHash);

  /**
   * Appends messages atomically: all are stored or none. The store assigns each an id greater
   * than every id it assigned before, increasing in list order.
   *
   * @param messages the messages to append
   * @return the stored messages, in the order given, in state STORED; fails with
   *     {@code UNKNOWN_RECIPIENT} (and stores none) when a sender or recipient does not exist
   */
  CompletableFuture<List<ChatMessage>> append(List<NewMessage> messages);

  /**
   * Reads one page of {@code reader}'s history: the messages {@code reader} sent or received,
   * filtered and paged as {@code query} says (see {@link HistoryQuery}).
   *
   * @param reader whose history
   * @param query which page
   * @return the page
   */
  CompletableFuture<HistoryPage> history(UserName reader, HistoryQuery query);

  /**
   * Marks messages addressed to {@code recipient} as delivered. Ids of messages that are not
   * addressed to {@code recipient}, do not exist, or are already delivered or read are ignored.
   *
   * @param recipient who received them
   * @param ids the messages' ids
   * @return the messages whose state changed, in their new state
   */
  CompletableFuture<List<ChatMessage>> markDelivered(UserName recipient, Collection<Long> ids);

  /**
   * Marks messages addressed to {@code recipient} as read. Ids of messages that are not
   * addressed to {@code recipient}, do not exist, or are already read are ignored.
   *
   * @param recipient who received them
   * @param ids the messages' ids
   * @return the messages whose state changed, in their new state
   */
  CompletableFuture<List<ChatMessage>> markRead(UserName recipient, Collection<Long> ids);

  /**
   * The devices facet: device credentials and idempotent appends ({@link DeviceStore}).
   *
   * @return the facet, backed by this store
   * @throws UnsupportedOperationException when the store has none (the default, for stores
   *     written before devices existed)
   */
  default DeviceStore devices() {
    throw new UnsupportedOperationException(getClass().getName() + " stores no devices");
  }

  /**
   * The operator's facet: accounts, disabling, deleting, purging, sizes.
   *
   * @return the facet, backed by this store
   * @throws UnsupportedOperationException when this store has none (the default; the stores
   *     of p2pchat all have one)
   */
  default AdminStore admin() {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " has no admin facet");
  }

  /**
   * The store's rooms ({@link RoomStore}).
   *
   * @return the rooms facet of this store
   * @throws UnsupportedOperationException when this store keeps no rooms
   */
  default RoomStore rooms() {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " keeps no rooms");
  }

  /**
   * The store's contact and block lists ({@link ContactStore}).
   *
   * @return the contacts facet of this store
   * @throws UnsupportedOperationException when this store keeps no contacts
   */
  default ContactStore contacts() {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " keeps no contacts");
  }

  /**
   * The users' own account facet: deleting one's account, names in quarantine
   * ({@link AccountStore}).
   *
   * @return the facet, backed by this store
   * @throws UnsupportedOperationException when this store has none (the default; the stores
   *     of p2pchat all have one)
   */
  default AccountStore accounts() {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " deletes no accounts");
  }

  /**
   * Completes every write already accepted, then releases the store. Idempotent. A write
   * accepted before close is never lost.
   */
  @Override
  void close();
}
