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
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.server.ChatServer;
import org.p2pchat.api.store.StoredUser;
import org.p2pchat.protocol.ChatClients;
import org.p2pchat.protocol.ChatServers;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.testing.InMemoryChatStore;

/** Keepalives, password re-hashing and IPv6: what keeps sessions and accounts in good shape. */
class SessionUpkeepTest {

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
}
