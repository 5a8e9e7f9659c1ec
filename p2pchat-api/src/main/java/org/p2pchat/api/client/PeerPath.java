package org.p2pchat.api.client;

/**
 * How this device reaches a peer device ({@link PeerClient}): directly, through the NATs
 * between them, or through the server's relay. Either way the channel is encrypted and
 * authenticated end to end between the two devices (docs/protocol.md section 25).
 */
public enum PeerPath {
  /** Straight between the two devices: the server carries nothing of it. */
  DIRECT,
  /** Through the server's relay, which forwards sealed packets it cannot read. */
  RELAYED,
  /** No channel: the peer went, or the link ended. */
  CLOSED
}
