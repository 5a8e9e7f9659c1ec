package org.p2pchat.testing;

import org.p2pchat.api.store.ChatStore;
import org.p2pchat.store.tck.AdminStoreContract;

/** The in-memory store keeps the admin facet's contract. */
class InMemoryAdminStoreTest extends AdminStoreContract {
  @Override
  protected ChatStore openStore() {
    return new InMemoryChatStore();
  }
}
