package org.p2pchat.store.sqlite;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
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
}
