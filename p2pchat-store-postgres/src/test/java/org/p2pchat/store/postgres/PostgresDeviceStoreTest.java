package org.p2pchat.store.postgres;

import org.p2pchat.api.store.ChatStore;
import org.p2pchat.store.tck.DeviceStoreContract;

/** The PostgreSQL store keeps the devices contract, across a reopen too; a fresh schema per test. */
class PostgresDeviceStoreTest extends DeviceStoreContract {
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
