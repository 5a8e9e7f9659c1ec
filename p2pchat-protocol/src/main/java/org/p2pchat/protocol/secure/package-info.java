/**
 * The secure channel around the v1 frames: a {@code Noise_NK_25519_ChaChaPoly_SHA256}
 * handshake and per-datagram encryption in the manner of WireGuard ({@code docs/protocol.md},
 * section 16). This package holds what users handle: the server's key pair and public key, and
 * the channel's size constants. The channel itself is switched on by default in
 * {@link org.p2pchat.protocol.ChatServers} and {@link org.p2pchat.protocol.ChatClients}.
 */
package org.p2pchat.protocol.secure;
