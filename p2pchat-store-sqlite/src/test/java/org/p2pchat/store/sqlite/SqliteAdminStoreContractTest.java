package org.p2pchat.store.sqlite;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.store.tck.AdminStoreContract;

/** The SQLite store keeps the admin facet's contract. */
class SqliteAdminStoreContractTest extends AdminStoreContract {
  @TempDir
  Path dir;

  @Override
  protected ChatStore openStore() throws StoreOpenException {
    return SqliteChatStore.open(dir.resolve("chat.db"));
  }
}
