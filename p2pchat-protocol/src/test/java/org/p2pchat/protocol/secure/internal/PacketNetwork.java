package org.p2pchat.protocol.secure.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.p2pchat.api.transport.DatagramHandler;
import org.p2pchat.api.transport.Transport;

/**
 * Datagrams between transports in memory, delivered at the receiver's next poll: the wire under
 * the secure channel's unit tests, all driven from the test's thread. (Applications' tests use
 * {@code p2pchat-testing}'s InMemoryNetwork, which this module's tests cannot depend on.)
 */
final class PacketNetwork {
  private record Packet(byte[] bytes, InetSocketAddress from) {}

  private final Map<InetSocketAddress, ArrayDeque<Packet>> queues = new HashMap<>();
  private int nextPort = 20_000;

  /** A transport on 127.0.0.1 and a port of its own. */
  Transport bindLoopback() {
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), nextPort++);
    queues.put(address, new ArrayDeque<>());
    return new Endpoint(address);
  }

  /**
   * Delivers a datagram to {@code to} as if it came from {@code from} (spoofing allowed).
   *
   * @return whether a transport is bound at {@code to}; a datagram to nowhere is dropped
   */
  boolean inject(ByteBuffer datagram, InetSocketAddress from, InetSocketAddress to) {
    ArrayDeque<Packet> queue = queues.get(to);
    if (queue == null) {
      return false;
    }
    byte[] bytes = new byte[datagram.remaining()];
    datagram.duplicate().get(bytes);
    queue.add(new Packet(bytes, from));
    return true;
  }

  private final class Endpoint implements Transport {
    private final InetSocketAddress address;

    Endpoint(InetSocketAddress address) {
      this.address = address;
    }

    @Override
    public InetSocketAddress localAddress() {
      return address;
    }

    @Override
    public boolean send(ByteBuffer datagram, InetSocketAddress target) {
      return inject(datagram, address, target);
    }

    @Override
    public int poll(DatagramHandler handler, long timeoutMillis) throws IOException {
      ArrayDeque<Packet> queue = queues.get(address);
      int n = 0;
      Packet p;
      while ((p = queue.poll()) != null) {
        handler.onDatagram(ByteBuffer.wrap(p.bytes()), p.from());
        n++;
      }
      return n;
    }

    @Override
    public void wakeup() {
      // Polls never wait.
    }

    @Override
    public void close() {
      queues.remove(address);
    }
  }
}
