package org.p2pchat.protocol.client.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.BiFunction;
import org.p2pchat.api.ServerPublicKey;
import org.p2pchat.api.transport.DatagramHandler;
import org.p2pchat.api.transport.Transport;
import org.p2pchat.protocol.secure.internal.SecureClientTransport;

/**
 * A client's way to the nodes of a cluster, one at a time: the engine addresses one server (the
 * first node's address) and this transport carries its datagrams to the current node, each node
 * through a secure channel of its own, with its own key, over one socket. {@link #moveOn()}
 * makes the next node current (the client does so when a resume found the current one silent);
 * datagrams from any other address than the current node's are dropped. Loop-confined, like
 * every transport.
 */
public final class FailoverTransport implements Transport {
  /** One node of the cluster: where it listens and the key it holds. */
  public record Node(InetSocketAddress address, ServerPublicKey key) {}

  private final Transport raw;
  private final List<Node> nodes;
  private final InetSocketAddress server;
  private final BiFunction<Transport, Node, SecureClientTransport> channelTo;
  private final DatagramHandler fromCurrent = this::fromCurrent;
  private int index;
  private SecureClientTransport current;
  private DatagramHandler upstream;

  /**
   * @param raw the socket, shared by the nodes' channels; closed with this transport
   * @param nodes the nodes, the first tried first; at least one
   * @param channelTo opens a secure channel to a node over the socket
   */
  public FailoverTransport(Transport raw, List<Node> nodes, BiFunction<Transport, Node, SecureClientTransport> channelTo) {
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("a cluster needs at least one node");
    }
    this.raw = raw;
    this.nodes = List.copyOf(nodes);
    this.server = this.nodes.get(0).address();
    this.channelTo = channelTo;
    this.current = channelTo.apply(raw, this.nodes.get(0));
  }

  /** With the default channel options and the monotonic system clock. */
  public static FailoverTransport wrap(Transport raw, List<Node> nodes) {
    return new FailoverTransport(raw, nodes, (t, n) -> SecureClientTransport.wrap(t, n.address(), n.key()));
  }

  /** The address the engine sends to, whichever node is current: the first node's. */
  public InetSocketAddress server() {
    return server;
  }

  /** How many nodes there are. */
  public int nodeCount() {
    return nodes.size();
  }

  /** The node datagrams go to now. */
  public Node current() {
    return nodes.get(index);
  }

  /**
   * Makes the next node current (after the last, the first again), with a new channel: the
   * next send starts a handshake with it.
   *
   * @return whether there is another node to move to (false with one node: nothing changes
   *     but a new handshake)
   */
  public boolean moveOn() {
    if (nodes.size() == 1) {
      current.restart();
      return false;
    }
    index = (index + 1) % nodes.size();
    current = channelTo.apply(raw, nodes.get(index));
    return true;
  }

  /** Gives up the current node's channel, keeping the node: see {@link SecureClientTransport#restart()}. */
  public void restart() {
    current.restart();
  }

  @Override
  public InetSocketAddress localAddress() {
    return raw.localAddress();
  }

  @Override
  public boolean send(ByteBuffer datagram, InetSocketAddress target) throws IOException {
    if (!target.equals(server)) {
      return false;
    }
    return current.send(datagram, nodes.get(index).address());
  }

  @Override
  public int poll(DatagramHandler handler, long timeoutMillis) throws IOException {
    upstream = handler;
    return current.poll(fromCurrent, timeoutMillis);
  }

  private void fromCurrent(ByteBuffer datagram, InetSocketAddress from) {
    upstream.onDatagram(datagram, server); // the channel already dropped other senders
  }

  @Override
  public void wakeup() {
    raw.wakeup();
  }

  @Override
  public void close() throws IOException {
    raw.close();
  }
}
