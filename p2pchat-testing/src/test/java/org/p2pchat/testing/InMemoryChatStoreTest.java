package org.p2pchat.testing;

import org.p2pchat.api.store.ChatStore;
import org.p2pchat.store.tck.ChatStoreContract;

/** The in-memory store keeps the contract; it keeps nothing across a restart, so it is not persistent. */
class InMemoryChatStoreTest extends ChatStoreContract {

  @Override
  protected ChatStore openStore() {
    return new InMemoryChatStore();
  }
}
