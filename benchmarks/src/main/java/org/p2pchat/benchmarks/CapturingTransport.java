package org.p2pchat.benchmarks;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.p2pchat.api.transport.DatagramHandler;
import org.p2pchat.api.transport.Transport;

/**
 * A transport for driving an engine by hand: it counts what is sent and keeps a copy of the
 * latest datagram, without allocating per send. Never delivers anything to {@link #poll}.
 * Confined to one thread.
 */
final class CapturingTransport implements Transport {
  private final InetSocketAddress local;
  private final ByteBuffer last = ByteBuffer.allocate(2048);
  private long sent;

  CapturingTransport(InetSocketAddress local) {
    this.local = local;
  }

  @Override
  public InetSocketAddress localAddress() {
    return local;
  }

  @Override
  public boolean send(ByteBuffer datagram, InetSocketAddress target) {
    int n = datagram.remaining();
    last.clear();
    last.put(0, datagram, datagram.position(), n);
    last.limit(n);
    sent++;
    return true;
  }

  @Override
  public int poll(DatagramHandler handler, long timeoutMillis) {
    return 0;
  }

  @Override
  public void wakeup() {
    // Nothing waits in poll.
  }

  @Override
  public void close() {
    // Nothing to release.
  }

  /** How many datagrams were sent so far. */
  long sent() {
    return sent;
  }

  /** The latest datagram sent, valid until the next send. */
  ByteBuffer last() {
    return last;
  }
}
