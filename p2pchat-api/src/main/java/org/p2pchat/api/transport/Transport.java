package org.p2pchat.api.transport;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A datagram socket as the protocol engines see it: unreliable, unordered, message-preserving.
 *
 * <p>One thread, the engine's event loop, calls {@link #poll} and {@link #send}; {@link #wakeup}
 * and {@link #close} may be called from any thread.
 */
public interface Transport extends Closeable {

  /** {@return the address this transport receives on} */
  InetSocketAddress localAddress();

  /**
   * Sends the bytes between {@code datagram}'s position and limit as one datagram, without
   * blocking. A datagram the system cannot take at once is dropped, as the network might.
   *
   * @param datagram the bytes to send
   * @param target where to
   * @return whether the datagram was handed to the network
   * @throws IOException when the transport is closed or broken
   */
  boolean send(ByteBuffer datagram, InetSocketAddress target) throws IOException;

  /**
   * Waits up to {@code timeoutMillis} for datagrams and hands each that has arrived to
   * {@code handler} on the calling thread. Returns early when {@link #wakeup} is called.
   *
   * @param handler what to hand each datagram to
   * @param timeoutMillis how long to wait when nothing has arrived; 0 does not wait
   * @return the number of datagrams handled
   * @throws IOException when the transport is closed or broken
   */
  int poll(DatagramHandler handler, long timeoutMillis) throws IOException;

  /** Makes a current or the next {@link #poll} return without waiting. Thread-safe. */
  void wakeup();

  /** Releases the socket; a thread blocked in {@link #poll} returns. Idempotent. */
  @Override
  void close() throws IOException;
}
