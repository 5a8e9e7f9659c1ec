/**
 * The p2pchat storage SPI on PostgreSQL: open a store with
 * {@link org.p2pchat.store.postgres.PostgresChatStore#builder(String)}. Several stores (the nodes
 * of a cluster) may share one database. Packages named {@code internal} are not part of the API.
 */
package org.p2pchat.store.postgres;
