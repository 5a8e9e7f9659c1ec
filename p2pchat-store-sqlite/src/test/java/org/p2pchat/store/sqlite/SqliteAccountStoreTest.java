package org.p2pchat.store.sqlite;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.store.tck.AccountStoreContract;

/** The SQLite store keeps the account contract (deletion, quarantine). */
class SqliteAccountStoreTest extends AccountStoreContract {
  @TempDir
  Path dir;

  @Override
  protected ChatStore openStore() throws StoreOpenException {
    return SqliteChatStore.builder(dir.resolve("chat.db")).synchronous(SqliteChatStore.Synchronous.NORMAL).open();
  }
}
