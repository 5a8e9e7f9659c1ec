package org.p2pchat.protocol.server.internal;

import java.nio.ByteBuffer;
import org.p2pchat.protocol.internal.EventLoop;
import org.p2pchat.protocol.ServerMetrics;
import org.p2pchat.protocol.codec.internal.RelayFlyweight;
import org.p2pchat.protocol.codec.internal.RelayedFlyweight;

/**
 * RELAY (docs/protocol.md section 25): forwards a peer packet to the other end of a live link as
 * RELAYED, within the bandwidth bounds, and drops it otherwise. Never answered and never
 * retransmitted: the peers' own protocol (their handshake, their file flow control) recovers
 * what is lost, as it would on any path. The packet stays sealed end to end; the server sees
 * only its length.
 */
final class RelayHandler implements RequestHandler<RelayFlyweight> {
  /** What each relayed packet costs a user's budget beyond its bytes: about its headers and tags. */
  static final int PER_PACKET_CHARGE_BYTES = 64;

  private final EventLoop loop;
  private final SessionTable sessions;
  private final PeerLinks links;
  private final RelayBudget budget;
  private final ServerMetrics metrics;
  private final RelayedFlyweight relayed = new RelayedFlyweight();
  private final ByteBuffer out = ByteBuffer.allocate(1200);
  private long relayedPackets;
  private long relayedBytes;

  RelayHandler(EventLoop loop, SessionTable sessions, PeerLinks links, RelayBudget budget, ServerMetrics metrics) {
    this.loop = loop;
    this.sessions = sessions;
    this.links = links;
    this.budget = budget;
    this.metrics = metrics;
  }

  @Override
  public void handle(RelayFlyweight request, Exchange x) {
    Session session = sessions.find(request.tokenHi(), request.tokenLo(), x.now());
    if (session == null) {
      return;
    }
    session.heardFrom(x.from(), x.now());
    PeerLinks.Link link = links.find(request.linkId());
    // Only an answered link relays: a device that did not take an introduction gets nothing through it.
    Session target = link == null || link.answer == null ? null : link.otherEnd(session);
    int n = request.payloadLength();
    // Charged with the frame's cost too: a flood of one-byte packets costs the server a datagram
    // and two ciphers each, and pays for it as for the bytes of a full one.
    if (target == null || !budget.take(session.user, n + PER_PACKET_CHARGE_BYTES, x.now())) {
      metrics.relayDropped();
      return;
    }
    out.clear();
    relayed.encode(out, 0).relayed(link.id, request.buffer(), request.payloadOffset(), n).finish();
    out.flip();
    loop.send(out, target.address);
    metrics.relayed(n);
    relayedPackets++;
    relayedBytes += n;
  }

  /** Packets forwarded since start. */
  long relayedPackets() {
    return relayedPackets;
  }

  /** Payload bytes forwarded since start. */
  long relayedBytes() {
    return relayedBytes;
  }
}
