package org.p2pchat.protocol.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import org.p2pchat.api.ProtocolLimits;
import org.p2pchat.api.transport.DatagramHandler;
import org.p2pchat.api.transport.Transport;

/**
 * A {@link Transport} on a non-blocking NIO {@link DatagramChannel}, IPv4 or IPv6.
 *
 * <p>Datagrams larger than its maximum size ({@link ProtocolLimits#MAX_DATAGRAM_BYTES} unless
 * bound with another) are dropped on receipt (the receive buffer has one spare byte to detect
 * them).
 */
public final class UdpTransport implements Transport {
  /** Datagrams handed to the handler per {@link #poll} before returning to the loop. */
  private static final int MAX_BATCH = 256;
  private static final int SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

  private final DatagramChannel channel;
  private final Selector selector;
  private final InetSocketAddress localAddress;
  private final int maxDatagramBytes;
  private final ByteBuffer receiveBuffer;

  private UdpTransport(DatagramChannel channel, Selector selector, int maxDatagramBytes) throws IOException {
    this.channel = channel;
    this.selector = selector;
    this.localAddress = (InetSocketAddress) channel.getLocalAddress();
    this.maxDatagramBytes = maxDatagramBytes;
    this.receiveBuffer = ByteBuffer.allocateDirect(maxDatagramBytes + 1);
  }

  /**
   * Binds a UDP socket that takes datagrams of up to {@link ProtocolLimits#MAX_DATAGRAM_BYTES}.
   *
   * @param address where to bind; port 0 picks a free port
   * @throws IOException when the address cannot be bound (for example, the port is in use)
   */
  public static UdpTransport bind(InetSocketAddress address) throws IOException {
    return bind(address, ProtocolLimits.MAX_DATAGRAM_BYTES);
  }

  /**
   * Binds a UDP socket that takes datagrams of up to {@code maxDatagramBytes} (the secure
   * channel's packets are larger than the frames they carry).
   *
   * @param address where to bind; port 0 picks a free port
   * @param maxDatagramBytes the largest datagram accepted, in bytes; larger ones are dropped
   * @throws IllegalArgumentException when {@code maxDatagramBytes} is not within 1 to 65507
   * @throws IOException when the address cannot be bound (for example, the port is in use)
   */
  public static UdpTransport bind(InetSocketAddress address, int maxDatagramBytes) throws IOException {
    if (maxDatagramBytes < 1 || maxDatagramBytes > 65_507) {
      throw new IllegalArgumentException("maxDatagramBytes must be within 1 to 65507, not " + maxDatagramBytes);
    }
    DatagramChannel channel = DatagramChannel.open();
    try {
      channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
      channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER_BYTES);
      channel.bind(address);
      channel.configureBlocking(false);
      Selector selector = Selector.open();
      channel.register(selector, SelectionKey.OP_READ);
      return new UdpTransport(channel, selector, maxDatagramBytes);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  @Override
  public InetSocketAddress localAddress() {
    return localAddress;
  }

  @Override
  public boolean send(ByteBuffer datagram, InetSocketAddress target) throws IOException {
    return channel.send(datagram, target) > 0;
  }

  @Override
  public int poll(DatagramHandler handler, long timeoutMillis) throws IOException {
    int handled = receiveAvailable(handler);
    if (handled > 0) {
      return handled;
    }
    if (timeoutMillis > 0) {
      selector.select(timeoutMillis);
    } else {
      selector.selectNow();
    }
    selector.selectedKeys().clear();
    return receiveAvailable(handler);
  }

  private int receiveAvailable(DatagramHandler handler) throws IOException {
    if (!channel.isOpen()) {
      throw new ClosedChannelException();
    }
    int handled = 0;
    while (handled < MAX_BATCH) {
      receiveBuffer.clear();
      SocketAddress sender = channel.receive(receiveBuffer);
      if (sender == null) {
        break;
      }
      receiveBuffer.flip();
      if (receiveBuffer.remaining() > maxDatagramBytes) {
        continue; // oversized: dropped, as the protocol says
      }
      handled++;
      handler.onDatagram(receiveBuffer, (InetSocketAddress) sender);
    }
    return handled;
  }

  @Override
  public void wakeup() {
    selector.wakeup();
  }

  @Override
  public void close() throws IOException {
    try {
      channel.close();
    } finally {
      selector.close();
    }
  }
}
