/**
 * The storage conformance kit: {@link org.p2pchat.store.tck.ChatStoreContract} states the
 * {@link org.p2pchat.api.store.ChatStore} contract as JUnit 5 tests, and
 * {@link org.p2pchat.store.tck.PersistentChatStoreContract} adds what a durable store must keep
 * across close and reopen. A store proves itself by extending the one that fits it in its own
 * tests.
 */
package org.p2pchat.store.tck;
