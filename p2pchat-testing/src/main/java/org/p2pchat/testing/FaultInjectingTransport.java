package org.p2pchat.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.PriorityQueue;
import java.util.Random;
import org.p2pchat.api.transport.DatagramHandler;
import org.p2pchat.api.transport.Transport;

/**
 * Wraps a transport and makes its outgoing datagrams suffer as a bad network would: loss,
 * duplication, and delay (which reorders). Seeded, so a failing run can be replayed. Delayed
 * datagrams leave from within {@link #poll}, on the owner's thread. For tests.
 */
public final class FaultInjectingTransport implements Transport {
  private final Transport delegate;
  private final Random random;
  private final double lossRate;
  private final double duplicateRate;
  private final double delayRate;
  private final long maxDelayMillis;
  private final PriorityQueue<Delayed> delayed =
      new PriorityQueue<>((a, b) -> Long.compare(a.dueNanos, b.dueNanos));
  private long sequence;

  private record Delayed(long dueNanos, long sequence, byte[] bytes, InetSocketAddress target) {}

  /**
   * @param seed the random seed
   * @param lossRate share of datagrams dropped, 0 to 1
   * @param duplicateRate share of datagrams sent twice, 0 to 1
   * @param delayRate share of datagrams held back, 0 to 1
   * @param maxDelayMillis the longest hold-back, in milliseconds
   */
  public FaultInjectingTransport(Transport delegate, long seed, double lossRate, double duplicateRate,
      double delayRate, long maxDelayMillis) {
    this.delegate = delegate;
    this.random = new Random(seed);
    this.lossRate = lossRate;
    this.duplicateRate = duplicateRate;
    this.delayRate = delayRate;
    this.maxDelayMillis = maxDelayMillis;
  }

  @Override
  public InetSocketAddress localAddress() {
    return delegate.localAddress();
  }

  @Override
  public synchronized boolean send(ByteBuffer datagram, InetSocketAddress target) throws IOException {
    byte[] bytes = new byte[datagram.remaining()];
    datagram.get(bytes);
    int copies = random.nextDouble() < duplicateRate ? 2 : 1;
    for (int i = 0; i < copies; i++) {
      if (random.nextDouble() < lossRate) {
        continue;
      }
      if (random.nextDouble() < delayRate) {
        long delayNanos = (long) (random.nextDouble() * maxDelayMillis * 1_000_000);
        delayed.add(new Delayed(System.nanoTime() + delayNanos, sequence++, bytes, target));
      } else {
        delegate.send(ByteBuffer.wrap(bytes), target);
      }
    }
    return true;
  }

  @Override
  public int poll(DatagramHandler handler, long timeoutMillis) throws IOException {
    long wait = timeoutMillis;
    synchronized (this) {
      releaseDue();
      if (!delayed.isEmpty()) {
        long untilNext = (delayed.peek().dueNanos - System.nanoTime()) / 1_000_000 + 1;
        wait = Math.max(0, Math.min(wait, untilNext));
      }
    }
    int handled = delegate.poll(handler, wait);
    synchronized (this) {
      releaseDue();
    }
    return handled;
  }

  private void releaseDue() throws IOException {
    long nowNanos = System.nanoTime();
    while (!delayed.isEmpty() && delayed.peek().dueNanos <= nowNanos) {
      Delayed d = delayed.poll();
      delegate.send(ByteBuffer.wrap(d.bytes), d.target);
    }
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
