package org.p2pchat.store.postgres;

import org.p2pchat.api.store.ChatStore;
import org.p2pchat.store.tck.AdminStoreContract;

/** The PostgreSQL store keeps the admin facet's contract, each test in a fresh schema of the shared embedded server. */
class PostgresAdminStoreContractTest extends AdminStoreContract {
  @Override
  protected ChatStore openStore() throws StoreOpenException {
    return TestPostgres.builder(TestPostgres.newSchema()).open();
  }
}
