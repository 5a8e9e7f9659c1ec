package org.p2pchat.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import org.p2pchat.api.ProtocolLimits;
import org.p2pchat.api.transport.DatagramHandler;
import org.p2pchat.api.transport.Transport;

/**
 * The transport of an {@link EmbeddedServer}: datagrams the test offers wait in a queue until
 * the next poll, and datagrams the server sends are kept for the test to read. Never waits.
 * Used from the test's thread only.
 */
final class EmbeddedTransport implements Transport {
  record Datagram(byte[] bytes, InetSocketAddress peer) {}

  private InetSocketAddress address;
  private final ArrayDeque<Datagram> inbound = new ArrayDeque<>();
  private final ArrayDeque<Datagram> outbound = new ArrayDeque<>();
  private final ByteBuffer receive = ByteBuffer.allocate(ProtocolLimits.MAX_DATAGRAM_BYTES * 2);
  private boolean closed;

  EmbeddedTransport(InetSocketAddress address) {
    this.address = address;
  }

  /** Receives and sends from {@code moved} from now on (a client's new socket). */
  void moveTo(InetSocketAddress moved) {
    address = moved;
  }

  void offer(byte[] datagram, InetSocketAddress from) {
    inbound.add(new Datagram(datagram, from));
  }

  Datagram pollOutbound() {
    return outbound.poll();
  }

  boolean hasInbound() {
    return !inbound.isEmpty();
  }

  @Override
  public InetSocketAddress localAddress() {
    return address;
  }

  @Override
  public boolean send(ByteBuffer datagram, InetSocketAddress target) throws IOException {
    if (closed) {
      throw new ClosedChannelException();
    }
    byte[] copy = new byte[datagram.remaining()];
    datagram.duplicate().get(copy);
    outbound.add(new Datagram(copy, target));
    return true;
  }

  @Override
  public int poll(DatagramHandler handler, long timeoutMillis) throws IOException {
    if (closed) {
      throw new ClosedChannelException();
    }
    int handled = 0;
    Datagram d;
    while ((d = inbound.poll()) != null) {
      receive.clear();
      if (d.bytes().length <= receive.capacity()) {
        receive.put(d.bytes()).flip();
        handler.onDatagram(receive, d.peer());
      } // a datagram larger than the receive buffer is cut off by the kernel: dropped here
      handled++;
    }
    return handled;
  }

  @Override
  public void wakeup() {
    // Polls never wait.
  }

  @Override
  public void close() {
    closed = true;
  }
}
