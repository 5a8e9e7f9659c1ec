package org.p2pchat.protocol.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.p2pchat.protocol.e2e.ChatFixture.FAST_HASHING;
import static org.p2pchat.protocol.e2e.ChatFixture.PASSWORD;
import static org.p2pchat.protocol.e2e.ChatFixture.await;
import static org.p2pchat.protocol.e2e.ChatFixture.name;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.server.ChatServer;
import org.p2pchat.api.store.StoredUser;
import org.p2pchat.api.transport.DatagramHandler;
import org.p2pchat.api.transport.Transport;
import org.p2pchat.protocol.ChatClients;
import org.p2pchat.protocol.ChatServers;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.protocol.codec.Frame;
import org.p2pchat.protocol.codec.FrameCodec;
import org.p2pchat.protocol.e2e.LoopbackChatTest.MutableClock;
import org.p2pchat.testing.InMemoryChatStore;
import org.p2pchat.protocol.transport.UdpTransport;

/** Keepalives, password re-hashing and IPv6: what keeps sessions and accounts in good shape. */
class SessionUpkeepTest {

  @Test
  void keepalivePingsKeepAnIdleSessionAliveFarBeyondTheIdleTimeout() throws Exception {
    MutableClock clock = new MutableClock();
    ServerConfig config = ServerConfig.builder().from(FAST_HASHING)
        .keepaliveInterval(Duration.ofSeconds(20)).sessionIdleTimeout(Duration.ofSeconds(60)).build();
    try (InMemoryChatStore store = new InMemoryChatStore();
         // Plaintext, so that the test can see the PING frames on the wire; keepalives work
         // the same inside the secure channel.
         ChatServer server = ChatServers.builder().store(store).config(config).clock(clock).plaintext()
             .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).build()) {
      PingCounter pings = new PingCounter(UdpTransport.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
      try (ChatClient bob = ChatClients.builder().server(server.localAddress()).plaintext().build();
           ChatClient alice = ChatClients.builder().server(server.localAddress()).plaintext()
               .transport(pings).clock(clock).build()) {
        await(bob.register(name("bob"), PASSWORD));
        await(alice.register(name("alice"), PASSWORD));
        await(alice.login(name("alice"), PASSWORD));

        // Ten minutes of silence from the application (the idle timeout is one minute), one
        // keepalive interval at a time; each step waits until the server answered a ping, so
        // the clock never runs ahead of datagrams still in flight.
        for (int step = 0; step < 30; step++) {
          int before = pings.answered.get();
          clock.advance(Duration.ofSeconds(20));
          awaitMoreThan(pings.answered, before);
        }

        ChatMessage sent = await(alice.send(name("bob"), "still here"));
        assertThat(sent.id()).isPositive();
        assertThat(pings.sent.get()).isGreaterThanOrEqualTo(30);
      }
    }
  }

  @Test
  void aPasswordHashedWithOldParametersIsRehashedAtLogin() throws Exception {
    ServerConfig old = ServerConfig.builder().argon2MemoryKib(64).argon2Iterations(1).build();
    ServerConfig current = ServerConfig.builder().argon2MemoryKib(128).argon2Iterations(2).build();
    try (InMemoryChatStore store = new InMemoryChatStore()) {
      try (ChatServer server = loopbackServer(store, old);
           ChatClient c = ChatClients.builder().server(server.localAddress()).serverKey(ChatFixture.keyOf(server)).build()) {
        await(c.register(name("alice"), PASSWORD));
      }
      assertThat(hashOf(store, "alice")).startsWith("$argon2id$").contains("m=64,t=1,p=1");

      try (ChatServer server = loopbackServer(store, current);
           ChatClient c = ChatClients.builder().server(server.localAddress()).serverKey(ChatFixture.keyOf(server)).build()) {
        await(c.login(name("alice"), PASSWORD));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!hashOf(store, "alice").contains("m=128,t=2,p=1") && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
        assertThat(hashOf(store, "alice")).contains("m=128,t=2,p=1");
        await(c.logout());
        await(c.login(name("alice"), PASSWORD)); // the new hash verifies
      }
    }
  }

  @Test
  void clientAndServerTalkOverIpv6Loopback() throws Exception {
    boolean hasIpv6Loopback = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
        .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
        .anyMatch(a -> a instanceof Inet6Address && a.isLoopbackAddress());
    Assumptions.assumeTrue(hasIpv6Loopback, "this machine has no IPv6 loopback address (::1)");
    InetAddress v6 = InetAddress.getByName("::1");
    try (InMemoryChatStore store = new InMemoryChatStore();
         ChatServer server = ChatServers.builder().store(store).config(FAST_HASHING)
             .bind(new InetSocketAddress(v6, 0)).build();
         ChatClient alice = ChatClients.builder().server(server.localAddress()).serverKey(ChatFixture.keyOf(server)).build()) {
      await(alice.register(name("alice"), PASSWORD));
      await(alice.login(name("alice"), PASSWORD));
      assertThat(await(alice.send(name("alice"), "note to self")).id()).isPositive();
    }
  }

  private static ChatServer loopbackServer(InMemoryChatStore store, ServerConfig config) throws IOException {
    return ChatServers.builder().store(store).config(config)
        .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).build();
  }

  private static String hashOf(InMemoryChatStore store, String user) {
    return store.findUser(UserName.of(user)).join().map(StoredUser::passwordHash).orElseThrow();
  }

  private static void awaitMoreThan(AtomicInteger counter, int value) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (counter.get() <= value) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no keepalive ping was sent");
      }
      Thread.onSpinWait();
    }
  }

  /** Counts the PING frames a client sends and the OK answers to them it receives. */
  private static final class PingCounter implements Transport {
    private static final int PING = 0x06;
    final Transport delegate;
    final AtomicInteger sent = new AtomicInteger();
    final AtomicInteger answered = new AtomicInteger();

    PingCounter(Transport delegate) {
      this.delegate = delegate;
    }

    @Override
    public InetSocketAddress localAddress() {
      return delegate.localAddress();
    }

    @Override
    public boolean send(ByteBuffer datagram, InetSocketAddress target) throws IOException {
      if (decode(datagram) instanceof Frame.Ping) {
        sent.incrementAndGet();
      }
      return delegate.send(datagram, target);
    }

    @Override
    public int poll(DatagramHandler handler, long timeoutMillis) throws IOException {
      return delegate.poll((frame, from) -> {
        if (decode(frame) instanceof Frame.OkEmpty ok && ok.inReplyTo() == PING) {
          answered.incrementAndGet();
        }
        handler.onDatagram(frame, from);
      }, timeoutMillis);
    }

    private static Frame decode(ByteBuffer datagram) {
      try {
        return new FrameCodec().decode(datagram.duplicate());
      } catch (DecodeException e) {
        return null;
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
}
