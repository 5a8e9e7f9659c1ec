package org.p2pchat.store.postgres;

import org.p2pchat.api.store.ChatStore;
import org.p2pchat.store.tck.AccountStoreContract;

/** The PostgreSQL store keeps the account contract (deletion, quarantine); each test in a fresh schema. */
class PostgresAccountStoreTest extends AccountStoreContract {
  @Override
  protected ChatStore openStore() throws StoreOpenException {
    return TestPostgres.builder(TestPostgres.newSchema()).open();
  }
}
