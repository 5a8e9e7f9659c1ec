/** Stores that ship with the protocol module: {@link org.p2pchat.protocol.store.InMemoryChatStore}. */
package org.p2pchat.protocol.store;
