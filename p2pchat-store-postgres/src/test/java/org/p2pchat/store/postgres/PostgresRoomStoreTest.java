package org.p2pchat.store.postgres;

import org.p2pchat.api.store.ChatStore;
import org.p2pchat.store.tck.RoomStoreContract;

/** The PostgreSQL store keeps the room contract; each test in a fresh schema. */
class PostgresRoomStoreTest extends RoomStoreContract {
  @Override
  protected ChatStore openStore() throws StoreOpenException {
    return TestPostgres.builder(TestPostgres.newSchema()).open();
  }
}
