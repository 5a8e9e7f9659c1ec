package org.p2pchat.testing;

import org.p2pchat.api.store.ChatStore;
import org.p2pchat.store.tck.AccountStoreContract;

/** The in-memory store keeps the account contract (deletion, quarantine). */
class InMemoryAccountStoreTest extends AccountStoreContract {
  @Override
  protected ChatStore openStore() {
    return new InMemoryChatStore();
  }
}
