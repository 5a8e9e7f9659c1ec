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

  @Test
  void aHiddenPresenceSurvivesARestart() throws StoreOpenException {
    await(store.contacts().hidePresence(UserName.of("alice"), true));
    store.close();
    store = openStore();
    assertThat(await(store.contacts().presenceHidden(UserName.of("alice")))).isTrue();
    assertThat(await(store.contacts().presenceHidden(UserName.of("bob")))).isFalse();
  }
}
