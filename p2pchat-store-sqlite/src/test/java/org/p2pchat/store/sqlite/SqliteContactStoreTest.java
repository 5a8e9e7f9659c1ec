package org.p2pchat.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.p2pchat.store.tck.StoreAssertions.await;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.store.tck.ContactStoreContract;

/** The SQLite store keeps the contact contract. */
class SqliteContactStoreTest extends ContactStoreContract {
  @TempDir
  Path dir;

  @Override
  protected ChatStore openStore() throws StoreOpenException {
    return SqliteChatStore.builder(dir.resolve("chat.db")).synchronous(SqliteChatStore.Synchronous.NORMAL).open();
  }

  // The block check before a send answers from remembered block lists (BlockedNames): these
  // check that what it remembers never lets a blocked sender through, nor keeps an old answer.

  @Test
  void aBlockIsSeenByTheVeryNextCheckWhateverWasRememberedBefore() {
    UserName alice = UserName.of("alice");
    UserName bob = UserName.of("bob");
    assertThat(await(store.contacts().isBlocked(alice, bob))).isFalse(); // alice's list read and remembered
    assertThat(await(store.contacts().isBlocked(alice, bob))).isFalse(); // answered from it
    await(store.contacts().block(alice, bob));
    assertThat(await(store.contacts().isBlocked(alice, bob))).isTrue();
    assertThat(await(store.contacts().isBlocked(alice, UserName.of("BOB")))).as("names compare without case").isTrue();
    assertThat(await(store.contacts().isBlocked(alice, UserName.of("carol")))).isFalse();
    await(store.contacts().unblock(alice, bob));
    assertThat(await(store.contacts().isBlocked(alice, bob))).isFalse();
    assertThat(await(store.contacts().isBlocked(alice, bob))).isFalse();
  }

  @Test
  void aBlockedAccountThatAnOperatorDeletedNoLongerCountsThoughItIsRemembered() {
    UserName alice = UserName.of("alice");
    UserName bob = UserName.of("bob");
    await(store.contacts().block(alice, bob));
    assertThat(await(store.contacts().isBlocked(alice, bob))).isTrue(); // bob now in alice's remembered list
    assertThat(await(store.admin().deleteUser(bob))).isPresent();
    assertThat(await(store.contacts().isBlocked(alice, bob))).as("the database decides for a remembered name").isFalse();
  }

  @Test
  void aHiddenPresenceSurvivesARestart() throws StoreOpenException {
    await(store.contacts().hidePresence(UserName.of("alice"), true));
    store.close();
    store = openStore();
    assertThat(await(store.contacts().presenceHidden(UserName.of("alice")))).isTrue();
    assertThat(await(store.contacts().presenceHidden(UserName.of("bob")))).isFalse();
  }
}
