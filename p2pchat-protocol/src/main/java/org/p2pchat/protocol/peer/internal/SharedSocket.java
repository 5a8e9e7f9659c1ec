package org.p2pchat.protocol.peer.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Set;
import org.p2pchat.api.transport.DatagramHandler;
import org.p2pchat.api.transport.Transport;

/**
 * The client's one UDP socket, shared by the server channel and the peers (docs/protocol.md
 * section 25): what comes from a server address goes up to the secure channel as before,
 * anything else to the peers' handler (which drops what it does not know). Peers send on the
 * same socket, so the NAT mapping the server saw is the one a peer reaches. A decorator under
 * the secure transport; used by the event loop's thread only.
 */
public final class SharedSocket implements Transport {
  private static final DatagramHandler DROP = (datagram, sender) -> { };

  private final Transport delegate;
  private final Set<InetSocketAddress> servers;
  private DatagramHandler peers = DROP;
  private DatagramHandler upstream = DROP;
  private final DatagramHandler demux = this::demux;

  /**
   * @param delegate the raw socket, closed with this one
   * @param servers the server's addresses (every node of a cluster)
   */
  public SharedSocket(Transport delegate, Collection<InetSocketAddress> servers) {
    this.delegate = delegate;
    this.servers = Set.copyOf(servers);
  }

  /** Where datagrams from anywhere but a server go; by default they are dropped. */
  public void peerPackets(DatagramHandler handler) {
    this.peers = handler;
  }

  /** Whether the servers are on loopback (then so may the peers be: a test, or one machine). */
  public boolean serversOnLoopback() {
    for (InetSocketAddress s : servers) {
      if (s.getAddress() == null || !s.getAddress().isLoopbackAddress()) {
        return false;
      }
    }
    return !servers.isEmpty();
  }

  /** Whether {@code address} is a server's. */
  public boolean isServer(InetSocketAddress address) {
    return servers.contains(address);
  }

  private void demux(ByteBuffer datagram, InetSocketAddress sender) {
    (servers.contains(sender) ? upstream : peers).onDatagram(datagram, sender);
  }

  @Override
  public InetSocketAddress localAddress() {
    return delegate.localAddress();
  }

  @Override
  public boolean send(ByteBuffer datagram, InetSocketAddress target) throws IOException {
    return delegate.send(datagram, target);
  }

  @Override
  public int poll(DatagramHandler handler, long timeoutMillis) throws IOException {
    upstream = handler;
    return delegate.poll(demux, timeoutMillis);
  }

  @Override
  public void wakeup() {
    delegate.wakeup();
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }
}
