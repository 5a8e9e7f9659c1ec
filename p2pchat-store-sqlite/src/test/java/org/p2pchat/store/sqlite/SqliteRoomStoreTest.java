package org.p2pchat.store.sqlite;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.store.tck.RoomStoreContract;

/** The SQLite store keeps the room contract. */
class SqliteRoomStoreTest extends RoomStoreContract {
  @TempDir
  Path dir;

  @Override
  protected ChatStore openStore() throws StoreOpenException {
    return SqliteChatStore.builder(dir.resolve("chat.db")).synchronous(SqliteChatStore.Synchronous.NORMAL).open();
  }
}
