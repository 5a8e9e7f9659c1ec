package org.p2pchat.protocol.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.p2pchat.api.transport.DatagramHandler;
import org.p2pchat.api.transport.Transport;

/**
 * A transport for unit tests of a loop driven on the test thread: it keeps what is sent, and
 * hands the datagrams the test queued to the next poll. Never waits.
 */
public final class RecordingTransport implements Transport {
  /** A datagram sent. */
  public record Sent(byte[] bytes, InetSocketAddress to) {}

  private record Queued(byte[] bytes, InetSocketAddress from) {}

  private final InetSocketAddress local;
  private final List<Sent> sent = new ArrayList<>();
  private final ArrayDeque<Queued> inbound = new ArrayDeque<>();

  /** A transport at 127.0.0.1 and {@code port}. */
  public RecordingTransport(int port) {
    this.local = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  /** What was sent since the last call, oldest first. */
  public List<Sent> take() {
    List<Sent> all = new ArrayList<>(sent);
    sent.clear();
    return all;
  }

  /** Queues a datagram for the next poll. */
  public void deliver(byte[] datagram, InetSocketAddress from) {
    inbound.add(new Queued(datagram.clone(), from));
  }

  @Override
  public InetSocketAddress localAddress() {
    return local;
  }

  @Override
  public boolean send(ByteBuffer datagram, InetSocketAddress target) {
    byte[] b = new byte[datagram.remaining()];
    datagram.duplicate().get(b);
    sent.add(new Sent(b, target));
    return true;
  }

  @Override
  public int poll(DatagramHandler handler, long timeoutMillis) {
    int n = 0;
    Queued q;
    while ((q = inbound.poll()) != null) {
      handler.onDatagram(ByteBuffer.wrap(q.bytes()), q.from());
      n++;
    }
    return n;
  }

  @Override
  public void wakeup() {}

  @Override
  public void close() {}
}
