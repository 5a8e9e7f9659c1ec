package org.p2pchat.protocol.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.p2pchat.protocol.e2e.ChatFixture.FAST_HASHING;
import static org.p2pchat.protocol.e2e.ChatFixture.PASSWORD;
import static org.p2pchat.protocol.e2e.ChatFixture.await;
import static org.p2pchat.protocol.e2e.ChatFixture.failureOf;
import static org.p2pchat.protocol.e2e.ChatFixture.keyOf;
import static org.p2pchat.protocol.e2e.ChatFixture.name;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.server.ChatServer;
import org.p2pchat.protocol.ChatClients;
import org.p2pchat.protocol.ChatServers;
import org.p2pchat.protocol.ClientConfig;
import org.p2pchat.protocol.secure.ServerKeyFetcher;
import org.p2pchat.protocol.secure.ServerKeyPair;
import org.p2pchat.api.ServerPublicKey;
import org.p2pchat.protocol.secure.internal.SecureClientTransport;
import org.p2pchat.protocol.secure.internal.SecureServerTransport;
import org.p2pchat.testing.InMemoryChatStore;
import org.p2pchat.testing.InMemoryNetwork;

/** The secure channel through the public builders: pinning, a man in the middle, plaintext. */
class SecureChatTest {
  private static final ClientConfig IMPATIENT = ClientConfig.builder()
      .initialRetransmitTimeout(Duration.ofMillis(50))
      .minRetransmitTimeout(Duration.ofMillis(20))
      .maxRetransmitTimeout(Duration.ofMillis(200))
      .requestDeadline(Duration.ofSeconds(2))
      .build();

  private final InMemoryNetwork network = new InMemoryNetwork();
  private final InMemoryChatStore store = new InMemoryChatStore();

  private ChatServer server() throws Exception {
    return ChatServers.builder().store(store).transport(network.bindLoopback()).config(FAST_HASHING).build();
  }

  private ChatClient client(InetSocketAddress to, ServerPublicKey key) throws Exception {
    return ChatClients.builder().server(to).serverKey(key).transport(network.bindLoopback()).config(IMPATIENT).build();
  }

  @Test
  void aClientPinnedToTheServersKeyRegistersAndLogsIn() throws Exception {
    try (ChatServer server = server(); ChatClient client = client(server.localAddress(), keyOf(server))) {
      await(client.register(name("alice"), PASSWORD));
      await(client.login(name("alice"), PASSWORD));
      assertThat(client.user()).contains(name("alice"));
    }
  }

  @Test
  void aFrameWithABadMagicInsideTheChannelIsAnsweredAsWithout() throws Exception {
    try (ChatServer server = server();
         SecureClientTransport raw = SecureClientTransport.wrap(network.bindLoopback(), server.localAddress(),
             keyOf(server))) {
      byte[] badMagic = java.util.HexFormat.of().parseHex("5033010600010203040506070800112233445566778899aabbccddeeff");
      raw.send(java.nio.ByteBuffer.wrap(badMagic), server.localAddress());
      java.util.List<byte[]> answers = new java.util.ArrayList<>();
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
      while (answers.isEmpty() && System.nanoTime() < deadline) {
        raw.poll((frame, from) -> {
          byte[] b = new byte[frame.remaining()];
          frame.get(b);
          answers.add(b);
        }, 50);
      }
      assertThat(answers).singleElement().satisfies(a -> assertThat(java.util.HexFormat.of().formatHex(a))
          .isEqualTo("5032018100010203040506070800010000000000"));
    }
  }

  @Test
  void aClientPinnedToAnotherKeyRefusesToTalkAndItsRequestsTimeOut() throws Exception {
    try (ChatServer server = server();
         ChatClient client = client(server.localAddress(), ServerKeyPair.generate().publicKey())) {
      assertThat(failureOf(client.register(name("alice"), PASSWORD))).isEqualTo(ErrorCode.TIMEOUT);
      assertThat(await(store.findUser(name("alice")))).isEmpty();
    }
  }

  @Test
  void aManInTheMiddleRelayingBetweenTwoKeysLearnsNothingAndTheClientNoticesTheFailure() throws Exception {
    try (ChatServer server = server(); Relay mitm = new Relay(server.localAddress(), keyOf(server))) {
      try (ChatClient victim = client(mitm.address(), keyOf(server))) {
        assertThat(failureOf(victim.register(name("alice"), PASSWORD))).isEqualTo(ErrorCode.TIMEOUT);
      }
      assertThat(mitm.seen).isEmpty();
      assertThat(await(store.findUser(name("alice")))).isEmpty();

      // The relay does work: a client that trusts the relay's key gets through, and is read.
      try (ChatClient fooled = client(mitm.address(), mitm.keys.publicKey())) {
        await(fooled.register(name("mallory"), PASSWORD));
      }
      assertThat(mitm.seen).anyMatch(frame -> frame.contains(PASSWORD));
    }
  }

  @Test
  void plaintextIsRefusedOffLoopbackAndWorksOnIt() throws Exception {
    assertThatThrownBy(() -> ChatServers.builder().store(store).plaintext().bind(new InetSocketAddress(0)).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("loopback");
    assertThatThrownBy(() -> ChatClients.builder()
        .server(new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 7777)).plaintext().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("loopback");
    try (ChatServer server = ChatServers.builder().store(store).plaintext()
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).config(FAST_HASHING).build();
         ChatClient client = ChatClients.builder().server(server.localAddress()).plaintext().build()) {
      assertThat(server.publicKey()).isEmpty();
      await(client.register(name("alice"), PASSWORD));
    }
  }

  @Test
  void aServerTellsItsKeyToWhoeverAsksForTrustOnFirstUse() throws Exception {
    try (ChatServer server = ChatServers.builder().store(store)
        .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).config(FAST_HASHING).build()) {
      assertThat(ServerKeyFetcher.fetch(server.localAddress(), Duration.ofSeconds(5))).isEqualTo(keyOf(server));
    }
  }

  @Test
  void fetchingAKeyFromNobodyFailsAfterTheTimeout() throws Exception {
    InetSocketAddress nobody;
    try (java.net.DatagramSocket s = new java.net.DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      nobody = (InetSocketAddress) s.getLocalSocketAddress();
    }
    assertThatThrownBy(() -> ServerKeyFetcher.fetch(nobody, Duration.ofMillis(300)))
        .isInstanceOf(java.io.IOException.class).hasMessageContaining("did not say its key");
  }

  @Test
  void aClientWithoutTheServersKeyIsNotBuilt() {
    assertThatThrownBy(() -> ChatClients.builder().server(new InetSocketAddress(InetAddress.getLoopbackAddress(), 7777))
        .build()).isInstanceOf(IllegalStateException.class).hasMessageContaining("serverKey");
  }

  /**
   * A man in the middle with a key of its own: a secure server towards the victim, a secure
   * client (pinned to the real server) towards the server, relaying every frame it can read.
   */
  private final class Relay implements AutoCloseable {
    final ServerKeyPair keys = ServerKeyPair.generate();
    final List<String> seen = new CopyOnWriteArrayList<>();
    private final SecureServerTransport front;
    private final SecureClientTransport back;
    private final InetSocketAddress server;
    private final AtomicReference<InetSocketAddress> victim = new AtomicReference<>();
    private final Thread loop;
    private volatile boolean stop;

    Relay(InetSocketAddress server, ServerPublicKey serverKey) throws Exception {
      this.server = server;
      front = SecureServerTransport.wrap(network.bindLoopback(), keys);
      back = SecureClientTransport.wrap(network.bindLoopback(), server, serverKey);
      loop = new Thread(this::run, "mitm-relay");
      loop.start();
    }

    InetSocketAddress address() {
      return front.localAddress();
    }

    private void run() {
      try {
        while (!stop) {
          front.poll((frame, from) -> {
            victim.set(from);
            seen.add(StandardCharsets.ISO_8859_1.decode(frame.duplicate()).toString());
            relay(() -> back.send(frame, server));
          }, 5);
          back.poll((frame, from) -> relay(() -> front.send(frame, victim.get())), 5);
        }
      } catch (java.io.IOException e) {
        throw new AssertionError(e);
      }
    }

    private void relay(IoAction action) {
      try {
        action.run();
      } catch (java.io.IOException e) {
        throw new AssertionError(e);
      }
    }

    @Override
    public void close() throws java.io.IOException {
      stop = true;
      try {
        loop.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      front.close();
      back.close();
    }
  }

  private interface IoAction {
    void run() throws java.io.IOException;
  }
}
