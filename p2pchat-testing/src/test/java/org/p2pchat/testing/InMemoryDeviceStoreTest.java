package org.p2pchat.testing;

import org.p2pchat.api.store.ChatStore;
import org.p2pchat.store.tck.DeviceStoreContract;

/** The in-memory store keeps the devices contract (nothing persists). */
class InMemoryDeviceStoreTest extends DeviceStoreContract {

  @Override
  protected ChatStore openStore() {
    return new InMemoryChatStore();
  }
}
