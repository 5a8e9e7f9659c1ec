package org.p2pchat.store.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.p2pchat.store.tck.StoreAssertions.await;
import static org.p2pchat.store.tck.StoreAssertions.awaitFailure;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.Room;
import org.p2pchat.api.RoomMember;
import org.p2pchat.api.RoomMessage;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.AccountStore;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.api.store.ContactStore.StoredContact;
import org.p2pchat.api.store.NewMessage;
import org.p2pchat.api.store.StoredUser;

/**
 * The {@link AccountStore} contract as tests (docs/protocol.md section 22): a store proves it by
 * extending this class and implementing {@link #openStore()}. Each test gets a fresh store.
 */
public abstract class AccountStoreContract {
  private static final Instant T0 = Instant.parse("2026-01-01T12:00:00.123Z");
  private static final Duration QUARANTINE = Duration.ofDays(30);
  private static final UserName ALICE = UserName.of("alice");
  private static final UserName BOB = UserName.of("bob");
  private static final UserName CAROL = UserName.of("carol");
  private static final UserName NOBODY = UserName.of("nobody");

  /** The store under test. */
  protected ChatStore store;
  private AccountStore accounts;

  /**
   * Opens a fresh, empty store. Called once before each test; the kit closes it.
   *
   * @throws Exception when the store cannot be opened, failing the test
   */
  protected abstract ChatStore openStore() throws Exception;

  @BeforeEach
  final void openFreshStore() throws Exception {
    store = openStore();
    accounts = store.accounts();
    for (UserName u : List.of(ALICE, BOB, CAROL)) {
      await(store.createUser(StoredUser.of(u, "hash-" + u.value(), T0)));
    }
  }

  @AfterEach
  final void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  private ChatMessage send(UserName from, UserName to, String body) {
    return await(store.append(List.of(NewMessage.of(from, to, body, T0)))).get(0);
  }

  private List<String> bodies(UserName reader) {
    return await(store.history(reader, HistoryQuery.builder().direction(HistoryQuery.Direction.AFTER)
        .limit(100).build())).messages().stream().map(ChatMessage::body).toList();
  }

  private List<String> roomBodies(long roomId, UserName reader) {
    return await(store.rooms().roomHistory(roomId, reader, HistoryQuery.builder()
        .direction(HistoryQuery.Direction.AFTER).limit(100).build())).messages().stream()
        .map(RoomMessage::body).toList();
  }

  @Test
  public void deletingAnAccountRemovesItsMessagesBothWaysAndTheRoomMessagesItSent() {
    send(ALICE, BOB, "a to b");
    send(BOB, ALICE, "b to a");
    send(BOB, CAROL, "b to c");
    Room room = await(store.rooms().createRoom(BOB, "team", T0));
    await(store.rooms().addMember(room.id(), BOB, ALICE));
    await(store.rooms().addMember(room.id(), BOB, CAROL));
    await(store.rooms().appendToRoom(room.id(), ALICE, "alice in room", T0));
    await(store.rooms().appendToRoom(room.id(), CAROL, "carol in room", T0));

    assertThat(await(accounts.deleteAccount(UserName.of("Alice"), T0))).isTrue();

    assertThat(await(store.findUser(ALICE))).as("no one to log in as").isEmpty();
    assertThat(bodies(BOB)).containsExactly("b to c");
    assertThat(bodies(CAROL)).containsExactly("b to c");
    assertThat(roomBodies(room.id(), BOB)).containsExactly("carol in room");
    assertThat(await(store.rooms().members(room.id(), BOB))).extracting(RoomMember::name)
        .containsExactly(BOB, CAROL);
    awaitFailure(store.append(List.of(NewMessage.of(BOB, ALICE, "anyone?", T0))), ErrorCode.UNKNOWN_RECIPIENT);
    assertThat(await(accounts.deleteAccount(ALICE, T0))).as("once only").isFalse();
    assertThat(await(accounts.deleteAccount(NOBODY, T0))).isFalse();
  }

  @Test
  public void aRoomTheDeletedUserOwnedPassesToTheOldestMemberAndARoomLeftEmptyGoes() {
    Room shared = await(store.rooms().createRoom(ALICE, "shared", T0));
    await(store.rooms().addMember(shared.id(), ALICE, CAROL));
    await(store.rooms().addMember(shared.id(), ALICE, BOB));
    Room alone = await(store.rooms().createRoom(ALICE, "alone", T0));
    await(store.rooms().appendToRoom(alone.id(), ALICE, "note to self", T0));

    await(accounts.deleteAccount(ALICE, T0));

    assertThat(await(store.rooms().rooms(CAROL, 0, 16))).extracting(Room::id, Room::owner, Room::memberCount)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(shared.id(), CAROL, 2));
    awaitFailure(store.rooms().members(alone.id(), ALICE), ErrorCode.NO_SUCH_ROOM);
  }

  @Test
  public void deletingAnAccountRemovesEveryContactAndBlockRowThatNamesIt() {
    await(store.contacts().addContact(ALICE, BOB));
    await(store.contacts().addContact(BOB, ALICE));
    await(store.contacts().addContact(BOB, CAROL));
    await(store.contacts().block(CAROL, ALICE));
    await(store.contacts().block(ALICE, CAROL));
    await(store.devices().addDevice(ALICE, "laptop", "secret-hash", T0));

    await(accounts.deleteAccount(ALICE, T0));

    assertThat(await(store.contacts().contacts(BOB))).containsExactly(new StoredContact(CAROL, false));
    assertThat(await(store.contacts().blocked(CAROL))).isEmpty();
    assertThat(await(store.devices().devices(ALICE))).isEmpty();
  }

  @Test
  public void aDeletedNameIsTakenDuringItsQuarantineAndFreeAfterItAsANewEmptyAccount() {
    send(ALICE, BOB, "old");
    await(store.contacts().addContact(ALICE, BOB));
    await(store.contacts().hidePresence(ALICE, true));
    Instant deletedAt = T0.plusSeconds(60);
    await(accounts.deleteAccount(ALICE, deletedAt));

    StoredUser again = StoredUser.of(ALICE, "new-hash", deletedAt.plus(QUARANTINE));
    awaitFailure(store.createUser(again), ErrorCode.NAME_TAKEN);
    awaitFailure(accounts.createUser(again, deletedAt.minusMillis(1)), ErrorCode.NAME_TAKEN);
    assertThat(await(store.findUser(ALICE))).isEmpty();

    await(accounts.createUser(again, deletedAt));

    assertThat(await(store.findUser(UserName.of("ALICE")))).contains(again);
    assertThat(bodies(ALICE)).as("the new account starts empty").isEmpty();
    assertThat(await(store.contacts().contacts(ALICE))).isEmpty();
    assertThat(await(store.contacts().presenceHidden(ALICE))).as("shown, as every new account").isFalse();
    assertThat(await(store.rooms().rooms(ALICE, 0, 16))).isEmpty();
    assertThat(await(store.devices().devices(ALICE))).isEmpty();
    send(BOB, ALICE, "hello again");
    assertThat(bodies(ALICE)).containsExactly("hello again");
    awaitFailure(accounts.createUser(StoredUser.of(ALICE, "h", T0), deletedAt), ErrorCode.NAME_TAKEN);
  }

  @Test
  public void aNameAnOperatorDeletedStaysReservedAndAFreshNameIsCreatedAsUsual() {
    await(store.admin().deleteUser(BOB));
    awaitFailure(accounts.createUser(StoredUser.of(BOB, "h", T0), T0.plus(QUARANTINE)), ErrorCode.NAME_TAKEN);
    await(accounts.createUser(StoredUser.of(NOBODY, "h", T0), T0));
    assertThat(await(store.findUser(NOBODY))).isPresent();
    awaitFailure(accounts.createUser(StoredUser.of(CAROL, "h", T0), T0), ErrorCode.NAME_TAKEN);
  }
}
