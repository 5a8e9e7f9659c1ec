package org.p2pchat.store.sqlite;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.store.tck.DeviceStoreContract;

/** The SQLite store keeps the devices contract, across a reopen too. */
class SqliteDeviceStoreTest extends DeviceStoreContract {
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
