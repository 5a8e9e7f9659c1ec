/**
 * The p2pchat storage SPI on SQLite: open a store with
 * {@link org.p2pchat.store.sqlite.SqliteChatStore#open(java.nio.file.Path)} or configure one with
 * {@link org.p2pchat.store.sqlite.SqliteChatStore#builder(java.nio.file.Path)}. Packages named
 * {@code internal} are not part of the API.
 */
package org.p2pchat.store.sqlite;
