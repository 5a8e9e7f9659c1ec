package org.p2pchat.testing;

import org.p2pchat.api.store.ChatStore;
import org.p2pchat.store.tck.ContactStoreContract;

/** The in-memory store keeps the contact contract. */
class InMemoryContactStoreTest extends ContactStoreContract {
  @Override
  protected ChatStore openStore() {
    return new InMemoryChatStore();
  }
}
