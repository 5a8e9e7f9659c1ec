package org.p2pchat.store.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.p2pchat.store.tck.StoreAssertions.await;
import static org.p2pchat.store.tck.StoreAssertions.awaitFailure;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.Room;
import org.p2pchat.api.RoomMessage;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.AdminOperation;
import org.p2pchat.api.store.AdminStore;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.api.store.NewMessage;
import org.p2pchat.api.store.StoreStats;
import org.p2pchat.api.store.StoredUser;
import org.p2pchat.api.store.UserAccount;

/**
 * The {@link AdminStore} contract as tests: a store proves its {@link ChatStore#admin()} facet
 * by extending this class in its test sources and implementing {@link #openStore()}. Each test
 * runs on a fresh, empty store that the kit closes afterwards.
 */
public abstract class AdminStoreContract {
  protected static final Instant T0 = Instant.parse("2026-01-01T12:00:00.123Z");
  protected static final UserName ALICE = UserName.of("alice");
  protected static final UserName BOB = UserName.of("bob");
  protected static final UserName CAROL = UserName.of("carol");
  protected static final UserName NOBODY = UserName.of("nobody");

  /** The store under test. */
  protected ChatStore store;
  /** Its admin facet. */
  protected AdminStore admin;

  /**
   * Opens a fresh, empty store. Called before each test; the kit closes it.
   *
   * @throws Exception when the store cannot be opened, failing the test
   */
  protected abstract ChatStore openStore() throws Exception;

  @BeforeEach
  final void openFreshStore() throws Exception {
    store = openStore();
    admin = store.admin();
  }

  @AfterEach
  final void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  private void users(UserName... names) {
    for (UserName n : names) {
      await(store.createUser(StoredUser.of(n, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", T0)));
    }
  }

  private ChatMessage send(UserName from, UserName to, String body, Instant at) {
    return await(store.append(List.of(NewMessage.of(from, to, body, at)))).get(0);
  }

  private List<String> bodies(UserName reader) {
    return await(store.history(reader, HistoryQuery.builder().limit(100).build())).messages().stream()
        .map(ChatMessage::body).toList();
  }

  @Test
  public void accountsAreListedByNameWithCreationTimeAndNoLoginYet() {
    users(CAROL, ALICE, BOB);

    List<UserAccount> all = await(admin.listUsers("", 100));
    assertThat(all).extracting(a -> a.name().value()).containsExactly("alice", "bob", "carol");
    assertThat(all.get(0)).isEqualTo(UserAccount.of(ALICE, T0, Optional.empty(), false));
  }

  @Test
  public void listingFiltersByPartOfTheNameInAnyCaseAndStopsAtTheLimit() {
    users(ALICE, UserName.of("malice"), BOB, CAROL);

    assertThat(await(admin.listUsers("LIC", 100))).extracting(a -> a.name().value()).containsExactly("alice", "malice");
    assertThat(await(admin.listUsers("", 2))).hasSize(2);
    assertThat(await(admin.listUsers("zzz", 10))).isEmpty();
  }

  @Test
  public void aRecordedLoginIsTheAccountsLastLogin() {
    users(ALICE);
    Instant first = T0.plusSeconds(60);
    Instant second = T0.plusSeconds(120);

    assertThat(await(admin.recordLogin(ALICE, first))).isTrue();
    assertThat(await(admin.recordLogin(ALICE, second))).isTrue();
    assertThat(await(admin.findAccount(UserName.of("ALICE")))).map(UserAccount::lastLoginAt).contains(Optional.of(second));
    assertThat(await(admin.recordLogin(NOBODY, second))).isFalse();
    assertThat(await(admin.findAccount(NOBODY))).isEmpty();
  }

  @Test
  public void aDisabledAccountIsFoundDisabledUntilEnabledAgain() {
    users(ALICE, BOB);

    assertThat(await(admin.setDisabled(ALICE, true))).isTrue();
    assertThat(await(store.findUser(ALICE))).map(StoredUser::disabled).contains(true);
    assertThat(await(store.findUser(BOB))).map(StoredUser::disabled).contains(false);
    assertThat(await(admin.findAccount(ALICE))).map(UserAccount::disabled).contains(true);

    assertThat(await(admin.setDisabled(ALICE, false))).isTrue();
    assertThat(await(store.findUser(ALICE))).map(StoredUser::disabled).contains(false);
    assertThat(await(admin.setDisabled(NOBODY, true))).isFalse();
  }

  @Test
  public void deletingAnAccountDeletesEveryMessageItSentOrReceivedAndKeepsItsNameReserved() {
    users(ALICE, BOB, CAROL);
    send(ALICE, BOB, "a to b", T0);
    send(BOB, ALICE, "b to a", T0);
    send(BOB, CAROL, "b to c", T0);
    await(store.devices().addDevice(ALICE, "laptop", "secret-hash", T0));
    await(store.devices().addDevice(BOB, "phone", "secret-hash", T0));

    assertThat(await(admin.deleteUser(UserName.of("Alice")))).contains(2L);
    assertThat(await(store.devices().devices(ALICE))).as("its devices are revoked").isEmpty();
    assertThat(await(store.devices().devices(BOB))).hasSize(1);

    assertThat(await(store.findUser(ALICE))).isEmpty();
    assertThat(await(admin.findAccount(ALICE))).isEmpty();
    assertThat(await(admin.listUsers("", 10))).extracting(a -> a.name().value()).containsExactly("bob", "carol");
    assertThat(bodies(BOB)).containsExactly("b to c");
    assertThat(bodies(CAROL)).containsExactly("b to c");
    awaitFailure(store.createUser(StoredUser.of(ALICE, "hash", T0)), ErrorCode.NAME_TAKEN);
    assertThat(await(admin.deleteUser(ALICE))).as("idempotent").isEmpty();
    assertThat(await(admin.setDisabled(ALICE, false))).as("a deleted account cannot be enabled").isFalse();
    assertThat(await(store.findUser(ALICE))).isEmpty();
  }

  @Test
  public void purgingDeletesOnlyMessagesSentBeforeTheCutoffInBatchesOfTheSizeAsked() {
    users(ALICE, BOB);
    List<Long> recent = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      send(ALICE, BOB, "old " + i, T0.plusSeconds(i));
    }
    for (int i = 0; i < 3; i++) {
      recent.add(send(BOB, ALICE, "new " + i, T0.plusSeconds(100 + i)).id());
    }
    Instant cutoff = T0.plusSeconds(100);

    assertThat(await(admin.purgeMessagesBefore(cutoff, 2))).isEqualTo(2);
    assertThat(await(admin.purgeMessagesBefore(cutoff, 2))).isEqualTo(2);
    assertThat(await(admin.purgeMessagesBefore(cutoff, 2))).isEqualTo(1);
    assertThat(await(admin.purgeMessagesBefore(cutoff, 2))).isZero();

    assertThat(bodies(ALICE)).containsExactly("new 0", "new 1", "new 2");
    assertThat(await(store.history(BOB, HistoryQuery.builder().limit(100).build())).messages())
        .extracting(ChatMessage::id).containsExactlyElementsOf(recent);
  }

  @Test
  public void statsCountAccountsAndMessages() {
    users(ALICE, BOB, CAROL);
    send(ALICE, BOB, "one", T0);
    send(BOB, ALICE, "two", T0);
    await(admin.deleteUser(CAROL));

    StoreStats stats = await(admin.stats());
    assertThat(stats.users()).isEqualTo(2);
    assertThat(stats.messages()).isEqualTo(2);
    assertThat(stats.bytes()).isGreaterThanOrEqualTo(-1);
  }

  @Test
  public void deletingAnAccountDeletesTheRoomMessagesItSentAndCountsThem() {
    users(ALICE, BOB);
    Room room = await(store.rooms().createRoom(BOB, "club", T0));
    await(store.rooms().addMember(room.id(), BOB, ALICE));
    await(store.rooms().appendToRoom(room.id(), ALICE, "from alice", T0));
    await(store.rooms().appendToRoom(room.id(), BOB, "from bob", T0));
    await(store.rooms().appendToRoom(room.id(), ALICE, "from alice again", T0));
    send(ALICE, BOB, "direct", T0);

    assertThat(await(admin.deleteUser(ALICE))).contains(3L);
    assertThat(await(store.rooms().roomHistory(room.id(), BOB, HistoryQuery.builder().limit(100).build())).messages())
        .extracting(RoomMessage::body).containsExactly("from bob");
    assertThat(await(admin.stats()).roomMessages()).isEqualTo(1);
  }

  private List<AdminOperation> operations() {
    return await(admin.operationsAfter(0, 2 * AdminStore.MAX_KEPT_OPERATIONS));
  }

  @Test
  public void disablingDeletingRevokingDevicesAndResettingPasswordsAreRecordedAsOperationsInOrder() {
    users(ALICE, BOB, CAROL);
    assertThat(await(admin.latestOperationId())).isZero();
    assertThat(operations()).isEmpty();
    long phone = await(store.devices().addDevice(BOB, "phone", "secret-hash", T0)).id();
    long laptop = await(store.devices().addDevice(BOB, "laptop", "secret-hash", T0)).id();
    await(store.devices().addDevice(CAROL, "phone", "secret-hash", T0));

    await(admin.setDisabled(ALICE, true));
    await(admin.setDisabled(ALICE, false));
    assertThat(await(admin.revokeAllDevices(BOB))).containsExactly(phone, laptop);
    assertThat(await(admin.resetPassword(CAROL, "$argon2id$v=19$m=19456,t=2,p=1$bmV3c2FsdA$bmV3aGFzaA"))).isTrue();
    await(admin.deleteUser(BOB));

    List<AdminOperation> all = operations();
    assertThat(all).extracting(AdminOperation::kind).as("enabling ends no session: not recorded").containsExactly(
        AdminOperation.Kind.DISABLED, AdminOperation.Kind.DEVICES_REVOKED, AdminOperation.Kind.PASSWORD_RESET,
        AdminOperation.Kind.DELETED);
    assertThat(all).extracting(AdminOperation::user).containsExactly(ALICE, BOB, CAROL, BOB);
    assertThat(all).extracting(AdminOperation::deviceIdsUpTo).containsExactly(0L, laptop, 0L, 0L);
    assertThat(all).extracting(AdminOperation::id).isSorted().doesNotHaveDuplicates();
    assertThat(await(admin.latestOperationId())).isEqualTo(all.get(3).id());
    assertThat(await(admin.operationsAfter(all.get(1).id(), 10))).containsExactlyElementsOf(all.subList(2, 4));
    assertThat(await(admin.operationsAfter(0, 1))).containsExactly(all.get(0));
    assertThat(await(admin.operationsAfter(all.get(3).id(), 10))).isEmpty();

    assertThat(await(store.devices().devices(BOB))).isEmpty();
    assertThat(await(store.devices().devices(CAROL))).hasSize(1);
    assertThat(await(store.findUser(CAROL))).map(StoredUser::passwordHash)
        .contains("$argon2id$v=19$m=19456,t=2,p=1$bmV3c2FsdA$bmV3aGFzaA");
  }

  @Test
  public void operationsOnNoSuchAccountAreNotRecorded() {
    users(ALICE);
    await(admin.deleteUser(ALICE));

    assertThat(await(admin.setDisabled(NOBODY, true))).isFalse();
    assertThat(await(admin.revokeAllDevices(NOBODY))).isEmpty();
    assertThat(await(admin.resetPassword(NOBODY, "hash"))).isFalse();
    assertThat(await(admin.resetPassword(ALICE, "hash"))).as("deleted").isFalse();
    assertThat(await(admin.revokeAllDevices(ALICE))).as("deleted").isEmpty();
    assertThat(await(admin.deleteUser(ALICE))).isEmpty();
    assertThat(operations()).extracting(AdminOperation::kind).containsExactly(AdminOperation.Kind.DELETED);
  }

  @Test
  public void revokingTheDevicesOfAnAccountWithNoneIsRecordedWithNoDeviceId() {
    users(ALICE);
    assertThat(await(admin.revokeAllDevices(ALICE))).isEmpty();
    assertThat(operations()).singleElement().satisfies(op -> {
      assertThat(op.kind()).isEqualTo(AdminOperation.Kind.DEVICES_REVOKED);
      assertThat(op.deviceIdsUpTo()).isZero();
    });
  }

  @Test
  public void theStoreKeepsOnlyTheNewestOperations() {
    users(ALICE);
    List<java.util.concurrent.CompletableFuture<Boolean>> writes = new ArrayList<>();
    for (int i = 0; i < AdminStore.MAX_KEPT_OPERATIONS + 5; i++) {
      writes.add(admin.setDisabled(ALICE, true));
    }
    writes.forEach(StoreAssertions::await);

    List<AdminOperation> kept = operations();
    assertThat(kept).hasSize(AdminStore.MAX_KEPT_OPERATIONS);
    assertThat(kept.get(kept.size() - 1).id()).isEqualTo(await(admin.latestOperationId()));
    assertThat(kept.get(0).id()).isGreaterThan(kept.get(kept.size() - 1).id() - AdminStore.MAX_KEPT_OPERATIONS - 5);
  }

  @Test
  public void purgingRoomMessagesDeletesOnlyThoseSentBeforeTheCutoffInBatchesAndLeavesTheRoomUsable() {
    users(ALICE, BOB);
    Room one = await(store.rooms().createRoom(ALICE, "one", T0));
    Room two = await(store.rooms().createRoom(BOB, "two", T0));
    await(store.rooms().addMember(one.id(), ALICE, BOB));
    for (int i = 0; i < 4; i++) {
      await(store.rooms().appendToRoom(i % 2 == 0 ? one.id() : two.id(), i % 2 == 0 ? ALICE : BOB, "old " + i,
          T0.plusSeconds(i)));
    }
    await(store.rooms().appendToRoom(one.id(), BOB, "new", T0.plusSeconds(100)));
    send(ALICE, BOB, "a direct message, older than the cutoff", T0);
    Instant cutoff = T0.plusSeconds(100);

    assertThat(await(admin.purgeRoomMessagesBefore(cutoff, 3))).isEqualTo(3);
    assertThat(await(admin.purgeRoomMessagesBefore(cutoff, 3))).isEqualTo(1);
    assertThat(await(admin.purgeRoomMessagesBefore(cutoff, 3))).isZero();

    assertThat(await(store.rooms().roomHistory(one.id(), BOB, HistoryQuery.builder().limit(100).build())).messages())
        .extracting(RoomMessage::body).containsExactly("new");
    assertThat(await(store.rooms().roomHistory(two.id(), BOB, HistoryQuery.builder().limit(100).build())).messages())
        .isEmpty();
    assertThat(bodies(BOB)).as("direct messages are purgeMessagesBefore's").hasSize(1);
    await(store.rooms().appendToRoom(two.id(), BOB, "after the purge", T0.plusSeconds(200)));
    assertThat(await(store.rooms().roomHistory(two.id(), BOB, HistoryQuery.builder().limit(100).build())).messages())
        .extracting(RoomMessage::body).containsExactly("after the purge");
    assertThat(await(admin.stats()).roomMessages()).isEqualTo(2);
  }
}
