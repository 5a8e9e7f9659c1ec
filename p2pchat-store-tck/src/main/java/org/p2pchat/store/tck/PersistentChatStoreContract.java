package org.p2pchat.store.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.p2pchat.store.tck.StoreAssertions.await;
import static org.p2pchat.store.tck.StoreAssertions.awaitFailure;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.api.store.StoredUser;

/**
 * The contract of a durable store: everything in {@link ChatStoreContract}, and whatever a write's
 * future acknowledged is still there after the store is closed and opened again.
 */
public abstract class PersistentChatStoreContract extends ChatStoreContract {

  /**
   * Opens again the storage of the store last returned by {@link #openStore()} or by this
   * method, which the kit has closed. The kit closes the returned store.
   *
   * @throws Exception when the store cannot be opened, failing the test
   */
  protected abstract ChatStore reopenStore() throws Exception;

  /** Closes the store under test and opens its storage again. */
  protected final void reopen() throws Exception {
    store.close();
    store = null;
    store = reopenStore();
  }

  @Test
  public void usersMessagesAndStatesSurviveCloseAndReopen() throws Exception {
    users(ALICE, BOB);
    await(store.updatePasswordHash(BOB, "rehashed"));
    List<ChatMessage> stored = await(store.append(List.of(message(ALICE, BOB, "1"), message(BOB, ALICE, "2"),
        message(ALICE, BOB, "3"))));
    await(store.markDelivered(BOB, List.of(stored.get(0).id())));
    await(store.markRead(BOB, List.of(stored.get(2).id())));

    reopen();

    assertThat(await(store.findUser(ALICE))).contains(StoredUser.of(ALICE, "hash-of-alice", T0));
    assertThat(await(store.findUser(BOB))).contains(StoredUser.of(BOB, "rehashed", T0));
    assertThat(history(ALICE, HistoryQuery.latest()).messages()).containsExactly(
        stored.get(0).withState(DeliveryState.DELIVERED), stored.get(1), stored.get(2).withState(DeliveryState.READ));
  }

  @Test
  public void idsKeepIncreasingAfterReopen() throws Exception {
    users(ALICE, BOB);
    ChatMessage before = await(store.append(List.of(message(ALICE, BOB, "before")))).get(0);

    reopen();

    ChatMessage after = await(store.append(List.of(message(ALICE, BOB, "after")))).get(0);
    assertThat(after.id()).isGreaterThan(before.id());
  }

  @Test
  public void writesAcceptedBeforeCloseAreThereAfterReopen() throws Exception {
    users(ALICE, BOB);
    List<CompletableFuture<List<ChatMessage>>> accepted = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      accepted.add(store.append(List.of(message(ALICE, BOB, "m" + i))));
    }

    reopen();

    List<ChatMessage> expected = new ArrayList<>();
    for (CompletableFuture<List<ChatMessage>> f : accepted) {
      expected.addAll(await(f));
    }
    List<ChatMessage> all = pageAll(BOB, HistoryQuery.builder().direction(HistoryQuery.Direction.AFTER)
        .limit(HistoryQuery.MAX_LIMIT).build());
    assertThat(all).containsExactlyElementsOf(expected);
  }

  @Test
  public void aNameTakenBeforeReopenIsStillTakenInAnyCase() throws Exception {
    users(ALICE);

    reopen();

    awaitFailure(store.createUser(StoredUser.of(UserName.of("ALICE"), "h", T0)), ErrorCode.NAME_TAKEN);
  }
}
