/**
 * Test helpers for applications built on p2pchat, for the test scope: {@link
 * org.p2pchat.testing.EmbeddedServer} runs the real server engine on the test's thread with a
 * {@link org.p2pchat.testing.ManualClock}; {@link org.p2pchat.testing.InMemoryNetwork} and
 * {@link org.p2pchat.testing.FaultInjectingTransport} stand in for UDP (with loss, duplication,
 * delay and reordering); {@link org.p2pchat.testing.InMemoryChatStore} stands in for a store.
 */
package org.p2pchat.testing;
