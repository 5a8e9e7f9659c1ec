package org.p2pchat.protocol.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.p2pchat.protocol.e2e.ChatFixture.FAST_HASHING;
import static org.p2pchat.protocol.e2e.ChatFixture.PASSWORD;
import static org.p2pchat.protocol.e2e.ChatFixture.await;
import static org.p2pchat.protocol.e2e.ChatFixture.failureOf;
import static org.p2pchat.protocol.e2e.ChatFixture.name;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.client.ChatListener;
import org.p2pchat.api.client.PeerPath;
import org.p2pchat.api.server.ChatServer;
import org.p2pchat.protocol.ChatClients;
import org.p2pchat.protocol.ChatServers;
import org.p2pchat.protocol.ClientConfig;
import org.p2pchat.protocol.ServerMetrics;
import org.p2pchat.testing.InMemoryChatStore;

/**
 * Peer to peer end to end (docs/protocol.md section 25), over real loopback UDP with the secure
 * channel: the server introduces mutual contacts, their devices reach each other directly with
 * the server relaying nothing, messages travel both ways and show once, and a device that keeps
 * to the relay still gets a channel, through the server.
 */
class PeerToPeerTest {
  private final InMemoryChatStore store = new InMemoryChatStore();
  private final List<AutoCloseable> open = new ArrayList<>();
  private final AtomicLong relayedBytes = new AtomicLong();
  private ChatServer server;

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    store.close();
  }

  /** What a client was told. */
  private static final class Watcher implements ChatListener {
    final BlockingQueue<ChatMessage> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<String> paths = new LinkedBlockingQueue<>();
    final BlockingQueue<String> files = new LinkedBlockingQueue<>();
    final AtomicLong progress = new AtomicLong();
    volatile java.nio.file.Path acceptInto;

    @Override
    public void onFileOffered(org.p2pchat.api.client.IncomingFile file) {
      if (acceptInto == null) {
        file.refuse();
      } else {
        file.accept(acceptInto);
      }
    }

    @Override
    public void onFileProgress(org.p2pchat.api.client.FileTransfer transfer, long doneBytes) {
      progress.set(doneBytes);
    }

    @Override
    public void onFileReceived(org.p2pchat.api.client.FileTransfer transfer, java.nio.file.Path file, String sha256) {
      files.add(file + " " + sha256);
    }
    volatile java.util.concurrent.CompletableFuture<String> keyChanges = new java.util.concurrent.CompletableFuture<>();

    @Override
    public void onPeerKeyChanged(UserName contact, long deviceId, String oldFingerprint, String newFingerprint) {
      keyChanges.complete(contact.value() + " " + newFingerprint);
    }

    @Override
    public void onMessage(ChatMessage message) {
      messages.add(message);
    }

    @Override
    public void onPeerPathChanged(UserName contact, long deviceId, PeerPath path) {
      paths.add(contact.value() + " " + path);
    }

    ChatMessage nextMessage() throws InterruptedException {
      ChatMessage m = messages.poll(30, TimeUnit.SECONDS);
      assertThat(m).as("a message within 30 s").isNotNull();
      return m;
    }
  }

  private void start() throws Exception {
    start(InetAddress.getLoopbackAddress());
  }

  private void start(InetAddress bind) throws Exception {
    server = ChatServers.builder().store(store).bind(new InetSocketAddress(bind, 0))
        .config(FAST_HASHING)
        .metrics(new ServerMetrics() {
          @Override
          public void relayed(int bytes) {
            relayedBytes.addAndGet(bytes);
          }
        })
        .build();
    open.add(server);
  }

  private ChatClient registered(String user, Watcher watcher, boolean direct) throws Exception {
    return registered(user, watcher, direct, null);
  }

  private ChatClient registered(String user, Watcher watcher, boolean direct, CuttableSocket socket) throws Exception {
    ChatClient c = client(watcher, direct, socket, null);
    await(c.register(name(user), PASSWORD));
    await(c.login(name(user), PASSWORD, user + "'s laptop"));
    return c;
  }

  private ChatClient client(Watcher watcher, boolean direct, CuttableSocket socket,
      org.p2pchat.api.client.CredentialStore credentials) throws Exception {
    ChatClients.Builder b = ChatClients.builder().server(server.localAddress()).serverKey(ChatFixture.keyOf(server))
        .config(ClientConfig.builder().directConnections(direct).build())
        .listener(watcher);
    if (socket != null) {
      b.transport(socket);
    }
    if (credentials != null) {
      b.credentials(credentials);
    }
    ChatClient c = b.build();
    open.add(c);
    return c;
  }

  private static void befriend(ChatClient a, String aName, ChatClient b, String bName) {
    await(a.contacts().add(name(bName)));
    await(b.contacts().add(name(aName)));
  }

  @Test
  void mutualContactsConnectDirectlyAndTheServerRelaysNothing() throws Exception {
    start();
    Watcher alices = new Watcher();
    Watcher bobs = new Watcher();
    ChatClient alice = registered("alice", alices, true);
    ChatClient bob = registered("bob", bobs, true);
    befriend(alice, "alice", bob, "bob");

    assertThat(await(alice.peers().connect(name("bob")))).isEqualTo(PeerPath.DIRECT);
    assertThat(alices.paths.poll(10, TimeUnit.SECONDS)).isEqualTo("bob DIRECT");
    assertThat(bobs.paths.poll(10, TimeUnit.SECONDS)).isEqualTo("alice DIRECT");
    assertThat(bob.peers().path(name("alice"))).contains(PeerPath.DIRECT);

    ChatMessage sent = await(alice.send(name("bob"), "straight to you"));
    ChatMessage got = bobs.nextMessage();
    assertThat(got.id()).isEqualTo(sent.id());
    assertThat(got.body()).isEqualTo("straight to you");
    assertThat(got.sender()).isEqualTo(name("alice"));
    ChatMessage back = await(bob.send(name("alice"), "and back"));
    assertThat(alices.nextMessage().id()).isEqualTo(back.id());
    // Both copies (direct and pushed) arrived by now or soon: still one message each.
    await(alice.send(name("bob"), "fence"));
    assertThat(bobs.nextMessage().body()).isEqualTo("fence");
    assertThat(bobs.messages).isEmpty();
    assertThat(relayedBytes.get()).as("bytes the server relayed").isZero();
  }

  @Test
  void overIpv6TheCandidatesAreIpv6AndThePathDirect() throws Exception {
    start(InetAddress.getByName("::1"));
    Watcher bobs = new Watcher();
    ChatClient alice = registered("alice", new Watcher(), true);
    ChatClient bob = registered("bob", bobs, true);
    befriend(alice, "alice", bob, "bob");
    assertThat(await(alice.peers().connect(name("bob")))).isEqualTo(PeerPath.DIRECT);
    ChatMessage sent = await(alice.send(name("bob"), "over IPv6"));
    assertThat(bobs.nextMessage().id()).isEqualTo(sent.id());
    assertThat(relayedBytes.get()).isZero();
  }

  @Test
  void aDeviceThatKeepsToTheRelayStillGetsAChannelThroughTheServer() throws Exception {
    start();
    Watcher alices = new Watcher();
    Watcher bobs = new Watcher();
    ChatClient alice = registered("alice", alices, true);
    ChatClient bob = registered("bob", bobs, false);
    befriend(alice, "alice", bob, "bob");

    assertThat(await(alice.peers().connect(name("bob")))).isEqualTo(PeerPath.RELAYED);
    assertThat(bobs.paths.poll(10, TimeUnit.SECONDS)).isEqualTo("alice RELAYED");
    ChatMessage sent = await(alice.send(name("bob"), "through the relay"));
    assertThat(bobs.nextMessage().id()).isEqualTo(sent.id());
    assertThat(relayedBytes.get()).as("the handshake went through the relay").isPositive();
  }

  @Test
  void strangersAndOneSidedContactsAreNotIntroduced() throws Exception {
    start();
    ChatClient alice = registered("alice", new Watcher(), true);
    ChatClient bob = registered("bob", new Watcher(), true);
    assertThat(failureOf(alice.peers().connect(name("bob")))).isEqualTo(ErrorCode.PEER_UNAVAILABLE);
    await(alice.contacts().add(name("bob"))); // bob does not list alice
    assertThat(failureOf(alice.peers().connect(name("bob")))).isEqualTo(ErrorCode.PEER_UNAVAILABLE);
    await(bob.contacts().add(name("alice")));
    await(bob.logout());
    assertThat(failureOf(alice.peers().connect(name("bob")))).isEqualTo(ErrorCode.PEER_UNAVAILABLE);
  }

  @Test
  void aDirectPathThatDiesFallsBackToTheRelayAndNothingIsLost() throws Exception {
    start();
    Watcher alices = new Watcher();
    Watcher bobs = new Watcher();
    CuttableSocket alicesSocket = new CuttableSocket(server.localAddress());
    ChatClient alice = registered("alice", alices, true, alicesSocket);
    ChatClient bob = registered("bob", bobs, true, null);
    befriend(alice, "alice", bob, "bob");
    assertThat(await(alice.peers().connect(name("bob")))).isEqualTo(PeerPath.DIRECT);
    assertThat(alices.paths.poll(10, TimeUnit.SECONDS)).isEqualTo("bob DIRECT");

    alicesSocket.cut = true; // a firewall between the two, the server still reachable
    List<Long> sent = new ArrayList<>();
    String path = null;
    for (int i = 0; i < 100 && path == null; i++) {
      sent.add(await(alice.send(name("bob"), "message " + i)).id());
      path = alices.paths.poll(200, TimeUnit.MILLISECONDS);
    }
    assertThat(path).as("alice's path to bob after the cut").isEqualTo("bob RELAYED");
    sent.add(await(alice.send(name("bob"), "after the fallback")).id());
    List<Long> got = new ArrayList<>();
    while (got.size() < sent.size()) {
      got.add(bobs.nextMessage().id());
    }
    assertThat(got).containsExactlyInAnyOrderElementsOf(sent);
    assertThat(alice.peers().path(name("bob"))).contains(PeerPath.RELAYED);
  }

  @Test
  void aDeviceThatKeepsToTheRelayNeverSendsToAnAddressButTheServers() throws Exception {
    start();
    CuttableSocket bobsSocket = new CuttableSocket(server.localAddress());
    ChatClient alice = registered("alice", new Watcher(), true, null);
    Watcher bobs = new Watcher();
    ChatClient bob = registered("bob", bobs, false, bobsSocket);
    befriend(alice, "alice", bob, "bob");
    assertThat(await(bob.peers().connect(name("alice")))).isEqualTo(PeerPath.RELAYED);
    assertThat(await(alice.peers().connect(name("bob")))).isEqualTo(PeerPath.RELAYED);
    await(alice.send(name("bob"), "hello"));
    assertThat(bobs.nextMessage().body()).isEqualTo("hello");
    assertThat(bobsSocket.targets).containsOnly(server.localAddress());
    assertThat(bobsSocket.strangersHeard.get()).as("alice never learned an address of bob's to send to").isZero();
  }

  @Test
  void aChangedKeyOfAKnownDeviceIsReported() throws Exception {
    start();
    Watcher alices = new Watcher();
    ChatClient alice = registered("alice", alices, true);
    org.p2pchat.api.client.CredentialStore bobsCredentials = org.p2pchat.api.client.CredentialStore.inMemory();
    ChatClient bob = client(new Watcher(), true, null, bobsCredentials);
    await(bob.register(name("bob"), PASSWORD));
    await(bob.login(name("bob"), PASSWORD, "bob's phone"));
    befriend(alice, "alice", bob, "bob");
    assertThat(await(alice.peers().connect(name("bob")))).isIn(PeerPath.DIRECT, PeerPath.RELAYED);
    bob.close();
    // The same device (its credential) with another key: a reinstall, or someone in between.
    bobsCredentials.savePeerKey(org.p2pchat.protocol.secure.ServerKeyPair.generate().privateKey());
    ChatClient bobAgain = client(new Watcher(), true, null, bobsCredentials);
    await(bobAgain.resume());
    java.util.concurrent.CompletableFuture<String> warned = new java.util.concurrent.CompletableFuture<>();
    alices.keyChanges = warned;
    assertThat(await(alice.peers().connect(name("bob")))).isIn(PeerPath.DIRECT, PeerPath.RELAYED);
    assertThat(warned.get(10, TimeUnit.SECONDS)).startsWith("bob SHA256:");
  }

  @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir;

  private java.nio.file.Path randomFile(String name, int bytes) throws Exception {
    byte[] data = new byte[bytes];
    new java.util.Random(bytes).nextBytes(data);
    java.nio.file.Path f = java.nio.file.Files.createDirectories(dir.resolve("out")).resolve(name);
    java.nio.file.Files.write(f, data);
    return f;
  }

  private static String sha256(java.nio.file.Path f) throws Exception {
    return java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(java.nio.file.Files.readAllBytes(f)));
  }

  private void assertReceivedIntact(Watcher receiver, java.nio.file.Path sent, String reportedSha) throws Exception {
    String got = receiver.files.poll(60, TimeUnit.SECONDS);
    assertThat(got).as("the file arrived within 60 s").isNotNull();
    java.nio.file.Path path = java.nio.file.Path.of(got.substring(0, got.lastIndexOf(' ')));
    assertThat(got).endsWith(" " + sha256(sent));
    assertThat(reportedSha).isEqualTo(sha256(sent));
    assertThat(path.getFileName().toString()).isEqualTo(sent.getFileName().toString());
    assertThat(java.nio.file.Files.mismatch(path, sent)).isEqualTo(-1L);
  }

  @Test
  void aFileGoesDirectlyWhenThePathAllowsAndArrivesIntact() throws Exception {
    start();
    Watcher bobs = new Watcher();
    bobs.acceptInto = java.nio.file.Files.createDirectories(dir.resolve("in"));
    ChatClient alice = registered("alice", new Watcher(), true);
    ChatClient bob = registered("bob", bobs, true);
    befriend(alice, "alice", bob, "bob");
    java.nio.file.Path file = randomFile("photo.jpg", 3_000_000);

    String sha = alice.peers().sendFile(name("bob"), file).get(60, TimeUnit.SECONDS);
    assertReceivedIntact(bobs, file, sha);
    assertThat(alice.peers().path(name("bob"))).contains(PeerPath.DIRECT);
    assertThat(relayedBytes.get()).as("bytes the server relayed").isZero();
  }

  @Test
  void aFileGoesThroughTheRelayWhenADeviceKeepsToIt() throws Exception {
    start();
    Watcher bobs = new Watcher();
    bobs.acceptInto = java.nio.file.Files.createDirectories(dir.resolve("in"));
    ChatClient alice = registered("alice", new Watcher(), true);
    ChatClient bob = registered("bob", bobs, false);
    befriend(alice, "alice", bob, "bob");
    java.nio.file.Path file = randomFile("notes.pdf", 1_000_000);

    String sha = alice.peers().sendFile(name("bob"), file).get(60, TimeUnit.SECONDS);
    assertReceivedIntact(bobs, file, sha);
    assertThat(relayedBytes.get()).as("the relay carried the file").isGreaterThan(1_000_000);
  }

  @Test
  void aRefusedFileFailsTheSendAndAnOfflineContactGetsNone() throws Exception {
    start();
    ChatClient alice = registered("alice", new Watcher(), true);
    ChatClient bob = registered("bob", new Watcher(), true); // its listener refuses every file
    befriend(alice, "alice", bob, "bob");
    java.nio.file.Path file = randomFile("unwanted.bin", 10_000);
    assertThat(failureOf(alice.peers().sendFile(name("bob"), file))).isEqualTo(ErrorCode.FILE_NOT_DELIVERED);
    await(bob.logout());
    assertThat(failureOf(alice.peers().sendFile(name("bob"), file))).isEqualTo(ErrorCode.PEER_UNAVAILABLE);
  }

  @Test
  void aTransferWhoseDirectPathIsCutGoesOnThroughTheRelayAndArrivesIntact() throws Exception {
    start();
    Watcher bobs = new Watcher();
    bobs.acceptInto = java.nio.file.Files.createDirectories(dir.resolve("in"));
    CuttableSocket alicesSocket = new CuttableSocket(server.localAddress());
    ChatClient alice = registered("alice", new Watcher(), true, alicesSocket);
    ChatClient bob = registered("bob", bobs, true, null);
    befriend(alice, "alice", bob, "bob");
    assertThat(await(alice.peers().connect(name("bob")))).isEqualTo(PeerPath.DIRECT);
    java.nio.file.Path file = randomFile("video.mp4", 12_000_000);

    java.util.concurrent.CompletableFuture<String> sent = alice.peers().sendFile(name("bob"), file);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (bobs.progress.get() < 1_000_000 && System.nanoTime() < deadline && !sent.isDone()) {
      Thread.onSpinWait();
    }
    assertThat(sent).as("the transfer was still under way at the cut").isNotDone();
    alicesSocket.cut = true;
    String sha = sent.get(90, TimeUnit.SECONDS);
    assertReceivedIntact(bobs, file, sha);
    assertThat(relayedBytes.get()).as("the rest came through the relay").isPositive();
  }

  /** A raw socket whose packets to and from anyone but the server can be cut, and which records where it sent. */
  private static final class CuttableSocket implements org.p2pchat.api.transport.Transport {
    final InetSocketAddress server;
    final org.p2pchat.api.transport.Transport delegate;
    final java.util.Set<InetSocketAddress> targets = java.util.concurrent.ConcurrentHashMap.newKeySet();
    final AtomicLong strangersHeard = new AtomicLong();
    volatile boolean cut;

    CuttableSocket(InetSocketAddress server) throws java.io.IOException {
      this.server = server;
      this.delegate = org.p2pchat.protocol.transport.UdpTransport.bind(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), org.p2pchat.protocol.secure.SecureChannel.MAX_PACKET_BYTES);
    }

    @Override
    public InetSocketAddress localAddress() {
      return delegate.localAddress();
    }

    @Override
    public boolean send(java.nio.ByteBuffer datagram, InetSocketAddress target) throws java.io.IOException {
      targets.add(target);
      return cut && !target.equals(server) || delegate.send(datagram, target);
    }

    @Override
    public int poll(org.p2pchat.api.transport.DatagramHandler handler, long timeoutMillis) throws java.io.IOException {
      return delegate.poll((d, from) -> {
        if (!from.equals(server)) {
          strangersHeard.incrementAndGet();
          if (cut) {
            return;
          }
        }
        handler.onDatagram(d, from);
      }, timeoutMillis);
    }

    @Override
    public void wakeup() {
      delegate.wakeup();
    }

    @Override
    public void close() throws java.io.IOException {
      delegate.close();
    }
  }
}
