package org.p2pchat.store.sqlite;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.store.tck.PersistentChatStoreContract;

/** The SQLite store keeps the whole store contract, including persistence across reopen. */
class SqliteChatStoreContractTest extends PersistentChatStoreContract {
  @TempDir
  Path dir;

  @Override
  protected ChatStore openStore() throws StoreOpenException {
    return SqliteChatStore.open(dir.resolve("chat.db"));
  }

  @Override
  protected ChatStore reopenStore() throws StoreOpenException {
    return SqliteChatStore.open(dir.resolve("chat.db"));
  }
}
