package org.p2pchat.testing;

import org.p2pchat.api.store.ChatStore;
import org.p2pchat.store.tck.RoomStoreContract;

/** The in-memory store keeps the room contract. */
class InMemoryRoomStoreTest extends RoomStoreContract {
  @Override
  protected ChatStore openStore() {
    return new InMemoryChatStore();
  }
}
