/**
 * Peer to peer file transfer (issue 19): the payloads of type 0x10 to 0x1f that travel over a
 * {@link org.p2pchat.protocol.peer.internal.PeerPipe}, and the engine that moves a file over
 * one: {@link org.p2pchat.protocol.peer.internal.FileTransfers}, one per peer device, driven
 * by the client's event loop (payloads, timers, path changes) and by the user's decisions.
 *
 * <p>Not part of the API: nothing here is exported from the module.
 */
package org.p2pchat.protocol.peer.internal;
