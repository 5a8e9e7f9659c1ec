package org.p2pchat.store.postgres;

import org.p2pchat.api.store.ChatStore;
import org.p2pchat.store.tck.PersistentChatStoreContract;

/**
 * The PostgreSQL store keeps the whole store contract, including persistence across reopen. Each
 * test runs in a fresh schema of the shared embedded server.
 */
class PostgresChatStoreContractTest extends PersistentChatStoreContract {
  private String schema;

  @Override
  protected ChatStore openStore() throws StoreOpenException {
    schema = TestPostgres.newSchema();
    return TestPostgres.builder(schema).open();
  }

  @Override
  protected ChatStore reopenStore() throws StoreOpenException {
    return TestPostgres.builder(schema).open();
  }
}
