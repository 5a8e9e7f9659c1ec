/**
 * Values and errors shared by every p2pchat module: user names, chat messages, history pages
 * and queries, delivery states, protocol limits, and {@link org.p2pchat.api.ChatException} with
 * its stable {@link org.p2pchat.api.ErrorCode}s.
 */
@Value.Style(
    visibility = Value.Style.ImplementationVisibility.PACKAGE,
    overshadowImplementation = true,
    defaults = @Value.Immutable(copy = false))
package org.p2pchat.api;

import org.immutables.value.Value;
