package org.p2pchat.protocol.secure.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.p2pchat.api.transport.DatagramHandler;
import org.p2pchat.api.transport.Transport;
import org.p2pchat.protocol.secure.SecureChannel;

/**
 * A transport with no network under it, for fuzz targets: the test hands it datagrams to
 * deliver on the next {@link #poll} and reads what was sent. Deliveries go through one reused
 * buffer, as a socket's do. Nothing waits, nothing runs on another thread.
 */
final class FakeWire implements Transport {
  record Sent(byte[] bytes, InetSocketAddress target) {}

  private record Arrival(byte[] bytes, InetSocketAddress from) {}

  private final InetSocketAddress local;
  private final ArrayDeque<Arrival> inbox = new ArrayDeque<>();
  private final ByteBuffer buffer = ByteBuffer.allocate(SecureChannel.MAX_PACKET_BYTES + 4_096);
  private final List<Sent> sent = new ArrayList<>();

  FakeWire(InetSocketAddress local) {
    this.local = local;
  }

  /** A loopback address in 127.100.0.0/16, which nothing binds: these wires are never sockets. */
  static InetSocketAddress address(int host, int port) {
    try {
      return new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 100, (byte) (host >>> 8), (byte) host}),
          port);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Queues {@code packet} (copied) as arriving from {@code from}. */
  void deliver(byte[] packet, InetSocketAddress from) {
    inbox.add(new Arrival(packet.clone(), from));
  }

  /** What was sent since the last call. */
  List<Sent> take() {
    List<Sent> copy = List.copyOf(sent);
    sent.clear();
    return copy;
  }

  @Override
  public InetSocketAddress localAddress() {
    return local;
  }

  @Override
  public boolean send(ByteBuffer datagram, InetSocketAddress target) {
    byte[] bytes = new byte[datagram.remaining()];
    datagram.get(bytes);
    sent.add(new Sent(bytes, target));
    return true;
  }

  @Override
  public int poll(DatagramHandler handler, long timeoutMillis) {
    int handled = 0;
    Arrival a;
    while ((a = inbox.poll()) != null) {
      buffer.clear();
      buffer.put(a.bytes()).flip();
      handler.onDatagram(buffer, a.from());
      handled++;
    }
    return handled;
  }

  @Override
  public void wakeup() {}

  @Override
  public void close() {}
}
