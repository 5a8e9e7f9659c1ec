package org.p2pchat.store.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.p2pchat.store.tck.StoreAssertions.await;
import static org.p2pchat.store.tck.StoreAssertions.awaitFailure;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.HistoryQuery.Direction;
import org.p2pchat.api.Room;
import org.p2pchat.api.RoomHistoryPage;
import org.p2pchat.api.RoomLimits;
import org.p2pchat.api.RoomMember;
import org.p2pchat.api.RoomMessage;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.api.store.RoomStore;
import org.p2pchat.api.store.RoomStore.RoomDelivery;
import org.p2pchat.api.store.StoredUser;

/**
 * The {@link RoomStore} contract as tests: a store proves it by extending this class in its own
 * test sources and implementing {@link #openStore()}. Each test runs on a fresh, empty store that
 * the kit closes afterwards.
 */
public abstract class RoomStoreContract {
  private static final Instant T0 = Instant.parse("2026-01-01T12:00:00.123Z");
  private static final UserName ALICE = UserName.of("alice");
  private static final UserName BOB = UserName.of("bob");
  private static final UserName CAROL = UserName.of("carol");
  private static final UserName NOBODY = UserName.of("nobody");

  /** The store under test. */
  protected ChatStore store;
  private RoomStore rooms;

  /**
   * Opens a fresh, empty store. Called once before each test; the kit closes it.
   *
   * @throws Exception when the store cannot be opened, failing the test
   */
  protected abstract ChatStore openStore() throws Exception;

  @BeforeEach
  final void openFreshStore() throws Exception {
    store = openStore();
    rooms = store.rooms();
    for (UserName u : List.of(ALICE, BOB, CAROL)) {
      await(store.createUser(StoredUser.of(u, "hash", T0)));
    }
  }

  @AfterEach
  final void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  private Room room(String title) {
    return await(rooms.createRoom(ALICE, title, T0));
  }

  private RoomMessage say(long room, UserName who, String body) {
    return await(rooms.appendToRoom(room, who, body, T0)).message();
  }

  @Test
  public void aNewRoomIsOwnedByItsCreatorWhoIsItsOnlyMember() {
    Room r = room("Team \u00e9");

    assertThat(r.id()).isPositive();
    assertThat(r.owner()).isEqualTo(ALICE);
    assertThat(r.title()).isEqualTo("Team \u00e9");
    assertThat(r.memberCount()).isEqualTo(1);
    assertThat(await(rooms.rooms(ALICE, 0, 10))).containsExactly(r);
    assertThat(await(rooms.members(r.id(), ALICE))).containsExactly(new RoomMember(ALICE, 0));
  }

  @Test
  public void anUnknownUserCannotCreateARoom() {
    awaitFailure(rooms.createRoom(NOBODY, "x", T0), ErrorCode.UNKNOWN_RECIPIENT);
  }

  @Test
  public void theOwnerAddsMembersAndAnAddedMemberSeesTheRoom() {
    Room r = room("team");
    await(rooms.addMember(r.id(), ALICE, BOB));
    await(rooms.addMember(r.id(), ALICE, BOB)); // again: no change

    assertThat(await(rooms.members(r.id(), BOB))).extracting(RoomMember::name).containsExactly(ALICE, BOB);
    assertThat(await(rooms.rooms(BOB, 0, 10))).extracting(Room::memberCount).containsExactly(2);
  }

  @Test
  public void onlyTheOwnerAddsRemovesAndRenames() {
    Room r = room("team");
    await(rooms.addMember(r.id(), ALICE, BOB));

    awaitFailure(rooms.addMember(r.id(), BOB, CAROL), ErrorCode.NOT_ROOM_OWNER);
    awaitFailure(rooms.removeMember(r.id(), BOB, ALICE), ErrorCode.NOT_ROOM_OWNER);
    awaitFailure(rooms.rename(r.id(), BOB, "mine"), ErrorCode.NOT_ROOM_OWNER);
    await(rooms.rename(r.id(), ALICE, "renamed"));
    assertThat(await(rooms.rooms(BOB, 0, 10))).extracting(Room::title).containsExactly("renamed");
  }

  @Test
  public void aNonMemberIsToldTheRoomDoesNotExistAsForAMissingRoom() {
    Room r = room("team");

    awaitFailure(rooms.members(r.id(), BOB), ErrorCode.NO_SUCH_ROOM);
    awaitFailure(rooms.appendToRoom(r.id(), BOB, "hi", T0), ErrorCode.NO_SUCH_ROOM);
    awaitFailure(rooms.roomHistory(r.id(), BOB, HistoryQuery.latest()), ErrorCode.NO_SUCH_ROOM);
    awaitFailure(rooms.addMember(r.id(), BOB, CAROL), ErrorCode.NO_SUCH_ROOM);
    awaitFailure(rooms.members(r.id() + 1000, ALICE), ErrorCode.NO_SUCH_ROOM);
    awaitFailure(rooms.markRoomRead(r.id(), BOB, 1), ErrorCode.NO_SUCH_ROOM);
  }

  @Test
  public void addingAnUnknownUserFails() {
    Room r = room("team");
    awaitFailure(rooms.addMember(r.id(), ALICE, NOBODY), ErrorCode.UNKNOWN_RECIPIENT);
  }

  @Test
  public void aMessageIsStoredOnceAndItsDeliveryNamesEveryMember() {
    Room r = room("team");
    await(rooms.addMember(r.id(), ALICE, BOB));
    await(rooms.addMember(r.id(), ALICE, CAROL));

    RoomDelivery d = await(rooms.appendToRoom(r.id(), BOB, "hello all", T0));

    assertThat(d.members()).containsExactlyInAnyOrder(ALICE, BOB, CAROL);
    assertThat(d.message().id()).isPositive();
    assertThat(d.message().roomId()).isEqualTo(r.id());
    assertThat(d.message().sentAt()).isEqualTo(T0);
    for (UserName u : List.of(ALICE, BOB, CAROL)) {
      assertThat(await(rooms.roomHistory(r.id(), u, HistoryQuery.latest())).messages())
          .extracting(RoomMessage::id, RoomMessage::body).containsExactly(
              org.assertj.core.groups.Tuple.tuple(d.message().id(), "hello all"));
    }
  }

  @Test
  public void roomHistoryPagesBothWaysLikeUserHistory() {
    Room r = room("team");
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      ids.add(say(r.id(), ALICE, "m" + i).id());
    }
    HistoryQuery newest = HistoryQuery.builder().limit(3).build();
    RoomHistoryPage p1 = await(rooms.roomHistory(r.id(), ALICE, newest));
    assertThat(p1.messages()).extracting(RoomMessage::id).containsExactlyElementsOf(ids.subList(4, 7));
    assertThat(p1.nextCursor()).hasValue(ids.get(4));
    List<Long> all = new ArrayList<>();
    HistoryQuery after = HistoryQuery.builder().direction(Direction.AFTER).limit(3).build();
    OptionalLong next = OptionalLong.of(0);
    while (next.isPresent()) {
      RoomHistoryPage p = await(rooms.roomHistory(r.id(), ALICE,
          HistoryQuery.builder().from(after).cursor(next.getAsLong()).build()));
      p.messages().forEach(m -> all.add(m.id()));
      next = p.nextCursor();
    }
    assertThat(all).containsExactlyElementsOf(ids);
  }

  @Test
  public void readMarkersGiveReadCountsUnreadOnlyAndTheSendersToTell() {
    Room r = room("team");
    await(rooms.addMember(r.id(), ALICE, BOB));
    await(rooms.addMember(r.id(), ALICE, CAROL));
    RoomMessage a1 = say(r.id(), ALICE, "a1");
    RoomMessage b1 = say(r.id(), BOB, "b1");
    RoomMessage a2 = say(r.id(), ALICE, "a2");

    assertThat(await(rooms.markRoomRead(r.id(), CAROL, b1.id()))).containsExactly(ALICE, BOB);
    assertThat(await(rooms.markRoomRead(r.id(), CAROL, a1.id()))).isEmpty(); // never back
    assertThat(await(rooms.markRoomRead(r.id(), BOB, Long.MAX_VALUE))).containsExactly(ALICE);

    RoomHistoryPage page = await(rooms.roomHistory(r.id(), ALICE, HistoryQuery.latest()));
    assertThat(page.messages()).extracting(RoomMessage::readCount).containsExactly(2, 1, 1);
    assertThat(await(rooms.members(r.id(), ALICE))).containsExactly(
        new RoomMember(ALICE, 0), new RoomMember(BOB, a2.id()), new RoomMember(CAROL, b1.id()));
    HistoryQuery unread = HistoryQuery.builder().unreadOnly(true).build();
    assertThat(await(rooms.roomHistory(r.id(), CAROL, unread)).messages())
        .extracting(RoomMessage::id).containsExactly(a2.id());
    assertThat(await(rooms.roomHistory(r.id(), ALICE, unread)).messages())
        .extracting(RoomMessage::id).containsExactly(b1.id());
  }

  @Test
  public void aRemovedMemberLosesTheRoomAndItsHistory() {
    Room r = room("team");
    await(rooms.addMember(r.id(), ALICE, BOB));
    say(r.id(), ALICE, "before");
    await(rooms.removeMember(r.id(), ALICE, BOB));

    RoomDelivery d = await(rooms.appendToRoom(r.id(), ALICE, "after", T0));
    assertThat(d.members()).containsExactly(ALICE);
    awaitFailure(rooms.roomHistory(r.id(), BOB, HistoryQuery.latest()), ErrorCode.NO_SUCH_ROOM);
    assertThat(await(rooms.rooms(BOB, 0, 10))).isEmpty();
  }

  @Test
  public void anOwnerWhoLeavesHandsTheRoomOnAndTheLastToLeaveDeletesIt() {
    Room r = room("team");
    await(rooms.addMember(r.id(), ALICE, BOB));
    await(rooms.addMember(r.id(), ALICE, CAROL));
    await(rooms.removeMember(r.id(), ALICE, ALICE));

    assertThat(await(rooms.rooms(BOB, 0, 10))).extracting(Room::owner, Room::memberCount)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(BOB, 2));
    await(rooms.removeMember(r.id(), CAROL, CAROL));
    await(rooms.removeMember(r.id(), BOB, BOB));
    awaitFailure(rooms.members(r.id(), BOB), ErrorCode.NO_SUCH_ROOM);
  }

  @Test
  public void aRoomHoldsAtMostTheDocumentedNumberOfMembers() throws Exception {
    Room r = room("big");
    for (int i = 1; i < RoomLimits.MAX_MEMBERS; i++) {
      UserName u = UserName.of("user" + i);
      await(store.createUser(StoredUser.of(u, "hash", T0)));
      await(rooms.addMember(r.id(), ALICE, u));
    }
    UserName late = UserName.of("late");
    await(store.createUser(StoredUser.of(late, "hash", T0)));

    awaitFailure(rooms.addMember(r.id(), ALICE, late), ErrorCode.ROOM_FULL);
    RoomDelivery d = await(rooms.appendToRoom(r.id(), ALICE, "to all", T0));
    assertThat(d.members()).hasSize(RoomLimits.MAX_MEMBERS);
  }

  @Test
  public void aUserBelongsToAtMostTheDocumentedNumberOfRooms() {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < RoomLimits.MAX_ROOMS_PER_USER; i++) {
      ids.add(room("r" + i).id());
    }
    awaitFailure(rooms.createRoom(ALICE, "one too many", T0), ErrorCode.TOO_MANY_ROOMS);
    Room bobs = await(rooms.createRoom(BOB, "bob's", T0));
    awaitFailure(rooms.addMember(bobs.id(), BOB, ALICE), ErrorCode.TOO_MANY_ROOMS);

    List<Long> listed = new ArrayList<>();
    long after = 0;
    for (List<Room> page = await(rooms.rooms(ALICE, after, 10)); !page.isEmpty();
        page = await(rooms.rooms(ALICE, after, 10))) {
      page.forEach(x -> listed.add(x.id()));
      after = page.get(page.size() - 1).id();
    }
    assertThat(listed).containsExactlyElementsOf(ids);
  }
}
