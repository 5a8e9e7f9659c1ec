/**
 * Entry points: {@link org.p2pchat.protocol.ChatServers} builds a server engine,
 * {@link org.p2pchat.protocol.ChatClients} a client; {@link org.p2pchat.protocol.ServerConfig}
 * and {@link org.p2pchat.protocol.ClientConfig} hold their settings.
 */
@Value.Style(
    visibility = Value.Style.ImplementationVisibility.PACKAGE,
    overshadowImplementation = true,
    defaults = @Value.Immutable(copy = false))
package org.p2pchat.protocol;

import org.immutables.value.Value;
