package org.p2pchat.protocol.server.internal;

import org.p2pchat.api.store.ChatStore;
import org.p2pchat.api.store.ContactStore;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.ServerMetrics;
import org.p2pchat.protocol.codec.internal.PeerConnectFlyweight;
import org.p2pchat.protocol.codec.internal.RelayFlyweight;
import org.p2pchat.protocol.internal.EventLoop;

/**
 * Wires peer to peer (docs/protocol.md section 25): PEER_CONNECT and RELAY, over one table of
 * links. Introductions need mutual contacts, so a store that keeps no contacts gets no routes.
 */
final class PeerRoutes {
  private final PeerLinks links;
  private final RelayHandler relay;

  private PeerRoutes(PeerLinks links, RelayHandler relay) {
    this.links = links;
    this.relay = relay;
  }

  /** Routes the frames; null when the store keeps no contacts. */
  static PeerRoutes install(Dispatcher dispatcher, ChatStore store, EventLoop loop, SessionTable sessions,
      Pushes pushes, PeerLinks links, ServerConfig config, ServerMetrics metrics, long nowMillis) {
    ContactStore contacts;
    try {
      contacts = store.contacts();
    } catch (UnsupportedOperationException e) {
      return null;
    }
    RelayHandler relay = new RelayHandler(loop, sessions, links,
        new RelayBudget(config.relayBytesPerSecondPerUser(), config.relayBytesPerSecondTotal(), nowMillis), metrics);
    dispatcher
        .route(new PeerConnectFlyweight(), new PeerConnectHandler(contacts, sessions, pushes, links,
            config.onlineWindow().toMillis()))
        .route(new RelayFlyweight(), relay);
    return new PeerRoutes(links, relay);
  }

  int links() {
    return links.size();
  }

  long relayedPackets() {
    return relay.relayedPackets();
  }

  long relayedBytes() {
    return relay.relayedBytes();
  }
}
