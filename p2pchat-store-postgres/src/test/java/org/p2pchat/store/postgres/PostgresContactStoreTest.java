package org.p2pchat.store.postgres;

import org.p2pchat.api.store.ChatStore;
import org.p2pchat.store.tck.ContactStoreContract;

/** The PostgreSQL store keeps the contact contract; each test in a fresh schema. */
class PostgresContactStoreTest extends ContactStoreContract {
  @Override
  protected ChatStore openStore() throws StoreOpenException {
    return TestPostgres.builder(TestPostgres.newSchema()).open();
  }
}
