package org.p2pchat.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.p2pchat.api.ProtocolLimits;
import org.p2pchat.api.transport.DatagramHandler;
import org.p2pchat.api.transport.Transport;
import org.p2pchat.protocol.secure.SecureChannel;

/**
 * A network in memory: transports bound to it exchange datagrams through bounded queues, with
 * no socket and no kernel. For tests and benchmarks. Like UDP, a datagram to an unbound address
 * or to a full queue is dropped. Thread-safe.
 */
public final class InMemoryNetwork {
  private static final int QUEUE_CAPACITY = 65_536;
  private static final Datagram WAKEUP = new Datagram(null, new byte[0]);

  private final ConcurrentHashMap<InetSocketAddress, Endpoint> endpoints = new ConcurrentHashMap<>();
  private final AtomicInteger nextPort = new AtomicInteger(10_000);
  private final int maxDatagramBytes;

  /**
   * An empty network that carries datagrams of up to {@link SecureChannel#MAX_PACKET_BYTES}, the
   * largest packet of the (default) secure channel. The engines reject frames over
   * {@link ProtocolLimits#MAX_DATAGRAM_BYTES} themselves.
   */
  public InMemoryNetwork() {
    this(SecureChannel.MAX_PACKET_BYTES);
  }

  /**
   * An empty network that carries datagrams of up to {@code maxDatagramBytes} (the secure
   * channel's packets are larger than the frames they carry) and drops larger ones.
   */
  public InMemoryNetwork(int maxDatagramBytes) {
    this.maxDatagramBytes = maxDatagramBytes;
  }

  private record Datagram(InetSocketAddress sender, byte[] bytes) {}

  /**
   * Binds a transport to {@code address}; port 0 picks a free port.
   *
   * @throws IOException when the address is already bound
   */
  public Transport bind(InetSocketAddress address) throws IOException {
    InetSocketAddress bound = address.getPort() != 0 ? address
        : new InetSocketAddress(address.getAddress(), nextPort.incrementAndGet());
    Endpoint endpoint = new Endpoint(bound);
    if (endpoints.putIfAbsent(bound, endpoint) != null) {
      throw new IOException("address already in use: " + bound);
    }
    return endpoint;
  }

  /**
   * Delivers a datagram to {@code target} as if it came from {@code claimedSender}, which need
   * not be bound: the spoofed source a hostile peer can put on a real UDP datagram.
   *
   * @return whether it was queued (false when nothing is bound there or its queue is full)
   */
  public boolean inject(ByteBuffer datagram, InetSocketAddress claimedSender, InetSocketAddress target) {
    byte[] bytes = new byte[datagram.remaining()];
    datagram.get(bytes);
    Endpoint to = endpoints.get(target);
    return to != null && bytes.length <= maxDatagramBytes
        && to.inbox.offer(new Datagram(claimedSender, bytes));
  }

  /** Binds a transport on the loopback address and a free port. */
  public Transport bindLoopback() throws IOException {
    return bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  private final class Endpoint implements Transport {
    private final InetSocketAddress address;
    private final BlockingQueue<Datagram> inbox = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    private final ByteBuffer view = ByteBuffer.allocate(maxDatagramBytes);
    private volatile boolean closed;

    Endpoint(InetSocketAddress address) {
      this.address = address;
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
      byte[] bytes = new byte[datagram.remaining()];
      datagram.get(bytes);
      Endpoint to = endpoints.get(target);
      return to != null && bytes.length <= maxDatagramBytes
          && to.inbox.offer(new Datagram(address, bytes));
    }

    @Override
    public int poll(DatagramHandler handler, long timeoutMillis) throws IOException {
      if (closed) {
        throw new ClosedChannelException();
      }
      Datagram first;
      try {
        first = timeoutMillis > 0 ? inbox.poll(timeoutMillis, TimeUnit.MILLISECONDS) : inbox.poll();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 0;
      }
      int handled = 0;
      // Take the next datagram only while the batch has room: one taken and not handled is lost.
      for (Datagram d = first; d != null; d = handled < 256 ? inbox.poll() : null) {
        if (d == WAKEUP) {
          continue;
        }
        view.clear();
        view.put(d.bytes).flip();
        handler.onDatagram(view, d.sender);
        handled++;
      }
      return handled;
    }

    @Override
    public void wakeup() {
      inbox.offer(WAKEUP);
    }

    @Override
    public void close() {
      closed = true;
      endpoints.remove(address, this);
      inbox.offer(WAKEUP);
    }
  }
}
