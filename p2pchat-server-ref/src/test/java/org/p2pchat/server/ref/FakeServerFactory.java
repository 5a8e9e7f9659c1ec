package org.p2pchat.server.ref;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.p2pchat.api.UserName;
import org.p2pchat.api.server.ChatServer;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.api.transport.DatagramHandler;
import org.p2pchat.api.transport.Transport;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.secure.ServerKeyPair;

/**
 * A server factory that binds nothing and starts no engine: it records what it was given and
 * in which order things close, and can be told to fail its start.
 */
class FakeServerFactory implements ServerFactory {
  static final int PORT = 45_678;
  final List<String> events = new CopyOnWriteArrayList<>();
  volatile ChatStore store;
  volatile InetSocketAddress bind;
  volatile ServerConfig config;
  volatile ServerKeyPair keys;
  private final IOException startFailure;

  FakeServerFactory() {
    this(null);
  }

  /** A factory whose start throws {@code startFailure} (when not null) after the store has opened. */
  FakeServerFactory(IOException startFailure) {
    this.startFailure = startFailure;
  }

  @Override
  public Transport bind(InetSocketAddress address, boolean secure) {
    this.bind = address;
    events.add("bound");
    return new FakeTransport(new InetSocketAddress(address.getAddress(), PORT));
  }

  @Override
  public ChatServer start(Transport transport, ChatStore store, ServerConfig config, ServerKeyPair keys)
      throws IOException {
    this.store = store;
    this.config = config;
    this.keys = keys;
    if (startFailure != null) {
      transport.close();
      throw startFailure;
    }
    events.add("started");
    return new ChatServer() {
      @Override
      public InetSocketAddress localAddress() {
        return transport.localAddress();
      }

      @Override
      public void close() {
        events.add(storeUsable() ? "server closed while store open" : "server closed after store");
      }
    };
  }

  boolean storeUsable() {
    try {
      store.findUser(UserName.of("probe")).get(5, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private final class FakeTransport implements Transport {
    private final InetSocketAddress address;

    FakeTransport(InetSocketAddress address) {
      this.address = address;
    }

    @Override
    public InetSocketAddress localAddress() {
      return address;
    }

    @Override
    public boolean send(ByteBuffer datagram, InetSocketAddress target) {
      return false;
    }

    @Override
    public int poll(DatagramHandler handler, long timeoutMillis) {
      return 0;
    }

    @Override
    public void wakeup() {}

    @Override
    public void close() {
      events.add("socket closed");
    }
  }
}
