package org.p2pchat.store.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.p2pchat.store.tck.StoreAssertions.await;
import static org.p2pchat.store.tck.StoreAssertions.awaitFailure;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ContactLimits;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.Room;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.api.store.ContactStore;
import org.p2pchat.api.store.ContactStore.StoredContact;
import org.p2pchat.api.store.StoredUser;

/**
 * The {@link ContactStore} contract as tests (and the one place where rooms meet blocks): a
 * store proves it by extending this class and implementing {@link #openStore()}.
 */
public abstract class ContactStoreContract {
  private static final Instant T0 = Instant.parse("2026-01-01T12:00:00.123Z");
  private static final UserName ALICE = UserName.of("alice");
  private static final UserName BOB = UserName.of("bob");
  private static final UserName CAROL = UserName.of("carol");
  private static final UserName NOBODY = UserName.of("nobody");

  /** The store under test. */
  protected ChatStore store;
  private ContactStore contacts;

  /**
   * Opens a fresh, empty store. Called once before each test; the kit closes it.
   *
   * @throws Exception when the store cannot be opened, failing the test
   */
  protected abstract ChatStore openStore() throws Exception;

  @BeforeEach
  final void openFreshStore() throws Exception {
    store = openStore();
    contacts = store.contacts();
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

  @Test
  public void contactsAreListedByNameAndMutualOnlyWhenEachListsTheOther() {
    await(contacts.addContact(ALICE, CAROL));
    await(contacts.addContact(ALICE, BOB));
    await(contacts.addContact(ALICE, BOB)); // again: no change
    await(contacts.addContact(BOB, ALICE));

    assertThat(await(contacts.contacts(ALICE))).containsExactly(
        new StoredContact(BOB, true), new StoredContact(CAROL, false));
    await(contacts.removeContact(ALICE, BOB));
    await(contacts.removeContact(ALICE, BOB));
    assertThat(await(contacts.contacts(ALICE))).containsExactly(new StoredContact(CAROL, false));
    assertThat(await(contacts.contacts(BOB))).containsExactly(new StoredContact(ALICE, false));
  }

  @Test
  public void aContactMustBeAnotherUserWhoExists() {
    awaitFailure(contacts.addContact(ALICE, NOBODY), ErrorCode.UNKNOWN_RECIPIENT);
    awaitFailure(contacts.addContact(ALICE, ALICE), ErrorCode.UNKNOWN_RECIPIENT);
    awaitFailure(contacts.block(ALICE, NOBODY), ErrorCode.UNKNOWN_RECIPIENT);
  }

  @Test
  public void aBlockIsListedCheckedAndEndsSharedPresence() {
    await(contacts.addContact(ALICE, BOB));
    await(contacts.addContact(BOB, ALICE));
    await(contacts.block(ALICE, BOB));

    assertThat(await(contacts.isBlocked(ALICE, BOB))).isTrue();
    assertThat(await(contacts.isBlocked(BOB, ALICE))).isFalse();
    assertThat(await(contacts.isBlocked(ALICE, UserName.of("nobody")))).as("an unknown user").isFalse();
    assertThat(await(contacts.blocked(ALICE))).containsExactly(BOB);
    assertThat(await(contacts.contacts(BOB))).containsExactly(new StoredContact(ALICE, false));
    assertThat(await(contacts.contacts(ALICE))).containsExactly(new StoredContact(BOB, false));
    await(contacts.unblock(ALICE, BOB));
    assertThat(await(contacts.isBlocked(ALICE, BOB))).isFalse();
    assertThat(await(contacts.blocked(ALICE))).isEmpty();
  }

  @Test
  public void aBlockedUserCannotAddTheBlockerToARoom() {
    await(contacts.block(CAROL, BOB));
    Room r = await(store.rooms().createRoom(BOB, "bob's", T0));

    awaitFailure(store.rooms().addMember(r.id(), BOB, CAROL), ErrorCode.BLOCKED);
    await(store.rooms().addMember(r.id(), BOB, ALICE));
  }

  @Test
  public void bothListsHoldAtMostTheDocumentedNumberOfUsers() {
    for (int i = 0; i < ContactLimits.MAX_CONTACTS; i++) {
      UserName u = UserName.of("user" + i);
      await(store.createUser(StoredUser.of(u, "hash", T0)));
      await(contacts.addContact(ALICE, u));
      await(contacts.block(ALICE, u));
    }
    awaitFailure(contacts.addContact(ALICE, BOB), ErrorCode.TOO_MANY_CONTACTS);
    awaitFailure(contacts.block(ALICE, BOB), ErrorCode.TOO_MANY_BLOCKS);
    await(contacts.addContact(ALICE, UserName.of("user0"))); // listed already: no change
    assertThat(await(contacts.contacts(ALICE))).hasSize(ContactLimits.MAX_CONTACTS);
  }

  @Test
  public void aUserHidesTheirPresenceUntilTheyShowItAgain() {
    assertThat(await(contacts.presenceHidden(ALICE))).isFalse();
    await(contacts.hidePresence(ALICE, true));
    await(contacts.hidePresence(ALICE, true)); // again: no change
    assertThat(await(contacts.presenceHidden(ALICE))).isTrue();
    assertThat(await(contacts.presenceHidden(BOB))).isFalse();
    await(contacts.hidePresence(ALICE, false));
    assertThat(await(contacts.presenceHidden(ALICE))).isFalse();
    await(contacts.hidePresence(ALICE, false)); // shown already: no change
    assertThat(await(contacts.presenceHidden(ALICE))).isFalse();
    awaitFailure(contacts.hidePresence(NOBODY, true), ErrorCode.UNKNOWN_RECIPIENT);
    assertThat(await(contacts.presenceHidden(NOBODY))).isFalse();
  }

  @Test
  public void theContactsWhoHideTheirPresenceAreReadInOneCall() {
    await(contacts.addContact(ALICE, BOB));
    await(contacts.addContact(ALICE, CAROL));
    await(contacts.hidePresence(BOB, true));
    await(contacts.hidePresence(ALICE, true)); // the owner's own setting is not among their contacts'
    assertThat(await(contacts.contactsHidingPresence(ALICE))).containsExactly(BOB);
    assertThat(await(contacts.contactsHidingPresence(BOB))).isEmpty(); // bob lists nobody
    await(contacts.hidePresence(BOB, false));
    await(contacts.hidePresence(CAROL, true));
    assertThat(await(contacts.contactsHidingPresence(ALICE))).containsExactly(CAROL);
    await(contacts.removeContact(ALICE, CAROL));
    assertThat(await(contacts.contactsHidingPresence(ALICE))).isEmpty();
  }
}
