package org.p2pchat.protocol.secure.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.p2pchat.api.transport.DatagramHandler;
import org.p2pchat.api.transport.Transport;

/** A transport that records every datagram it sends and, unless told to hold them, forwards them. */
final class Tap implements Transport {
  record Sent(byte[] bytes, InetSocketAddress target) {}

  private final Transport delegate;
  final List<Sent> sent = new ArrayList<>();
  boolean hold;

  Tap(Transport delegate) {
    this.delegate = delegate;
  }

  /** The datagrams sent since the last call, and forgets them. */
  List<Sent> take() {
    List<Sent> copy = new ArrayList<>(sent);
    sent.clear();
    return copy;
  }

  @Override
  public InetSocketAddress localAddress() {
    return delegate.localAddress();
  }

  @Override
  public boolean send(ByteBuffer datagram, InetSocketAddress target) throws IOException {
    byte[] bytes = new byte[datagram.remaining()];
    datagram.duplicate().get(bytes);
    sent.add(new Sent(bytes, target));
    return hold || delegate.send(datagram, target);
  }

  @Override
  public int poll(DatagramHandler handler, long timeoutMillis) throws IOException {
    return delegate.poll(handler, timeoutMillis);
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
