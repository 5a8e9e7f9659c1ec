/**
 * The storage SPI: what a server needs from a durable store of users and messages. Implement
 * {@link org.p2pchat.api.store.ChatStore} and prove it with the conformance kit
 * ({@code p2pchat-store-tck}).
 */
@Value.Style(
    visibility = Value.Style.ImplementationVisibility.PACKAGE,
    overshadowImplementation = true,
    defaults = @Value.Immutable(copy = false))
package org.p2pchat.api.store;

import org.immutables.value.Value;
