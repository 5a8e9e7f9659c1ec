package org.p2pchat.protocol.peer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.PeerPath;
import org.p2pchat.api.transport.DatagramHandler;
import org.p2pchat.api.transport.Transport;
import org.p2pchat.protocol.secure.internal.NoiseNk;

/**
 * Two devices' {@link Peers} on the test's thread with a manual clock, joined by an in-memory
 * network and relay (docs/protocol.md section 25): the handshake and probing find the direct
 * path, a direct path that stops answering falls back to the relay, a device that keeps to the
 * relay never sends to an address, and what strangers send changes nothing.
 */
class PeersTest {
  private static final InetSocketAddress SERVER = address(1, 7777);
  private static final InetSocketAddress A = address(2, 40000);
  private static final InetSocketAddress B = address(3, 40000);
  private static final long LINK = 7;

  private long now = 1_000;
  private boolean directWorks = true;
  private int relayed;

  private static InetSocketAddress address(int last, int port) {
    try {
      return new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) last}), port);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** A socket that queues what arrives and records what leaves. */
  private final class Wire implements Transport {
    final InetSocketAddress local;
    final ArrayDeque<Object[]> inbound = new ArrayDeque<>();
    final List<InetSocketAddress> sentTo = new ArrayList<>();
    Wire peer;

    Wire(InetSocketAddress local) {
      this.local = local;
    }

    @Override
    public InetSocketAddress localAddress() {
      return local;
    }

    @Override
    public boolean send(ByteBuffer datagram, InetSocketAddress target) {
      if (!(target.getAddress() instanceof java.net.Inet4Address)) {
        throw new java.nio.channels.UnsupportedAddressTypeException(); // as an IPv4 DatagramChannel does
      }
      sentTo.add(target);
      byte[] copy = new byte[datagram.remaining()];
      datagram.duplicate().get(copy);
      if (directWorks && peer != null && target.equals(peer.local)) {
        peer.inbound.add(new Object[] {copy, local});
      }
      return true;
    }

    @Override
    public int poll(DatagramHandler handler, long timeoutMillis) {
      int n = 0;
      while (!inbound.isEmpty()) {
        Object[] d = inbound.poll();
        handler.onDatagram(ByteBuffer.wrap((byte[]) d[0]), (InetSocketAddress) d[1]);
        n++;
      }
      return n;
    }

    @Override
    public void wakeup() {}

    @Override
    public void close() {}
  }

  /** One device: its socket, its peers, what its listener heard. */
  private final class Device implements Peers.Listener, Peers.Rendezvous {
    final Wire wire;
    final SharedSocket socket;
    final Peers peers;
    final byte[] privateKey = NoiseNk.generatePrivateKey();
    final List<String> paths = new ArrayList<>();
    final List<String> chats = new ArrayList<>();
    Device other;

    Device(InetSocketAddress local, boolean direct) {
      wire = new Wire(local);
      socket = new SharedSocket(wire, List.of(SERVER));
      peers = new Peers(socket, direct, privateKey, this, this, Runnable::run, () -> now);
    }

    byte[] publicKey() {
      return NoiseNk.publicKey(privateKey);
    }

    @Override
    public CompletableFuture<Void> connect(long linkId, UserName peer, byte[] staticKey, boolean direct,
        List<InetSocketAddress> candidates) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void relay(long linkId, ByteBuffer packet) {
      relayed++;
      byte[] copy = new byte[packet.remaining()];
      packet.duplicate().get(copy);
      other.peers.onRelayed(linkId, ByteBuffer.wrap(copy));
    }

    @Override
    public boolean inSession() {
      return true;
    }

    @Override
    public void pathChanged(UserName peer, long deviceId, PeerPath path) {
      paths.add(peer.value() + " " + path);
    }

    @Override
    public void keyChanged(UserName peer, long deviceId, String oldFingerprint, String newFingerprint) {}

    @Override
    public void chat(UserName peer, long messageId, long sentAtMillis, String body) {
      chats.add(body);
    }

    @Override
    public void payload(PeerPipe link, UserName peer, long deviceId, ByteBuffer payload) {}

    void pump() {
      try {
        socket.poll((d, from) -> { }, 0);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      peers.onTimer(now);
    }
  }

  private Device[] introduce(boolean aDirect, boolean bDirect) {
    Device alice = new Device(A, aDirect);
    Device bob = new Device(B, bDirect);
    alice.other = bob;
    bob.other = alice;
    alice.wire.peer = bob.wire;
    bob.wire.peer = alice.wire;
    // alice asks; what the server pushes: bob is offered alice, then alice gets bob's answer.
    alice.peers.connect(UserName.of("bob"));
    bob.peers.onIntroduction(LINK, true, UserName.of("alice"), 1, alice.publicKey(), aDirect,
        aDirect ? List.of(A) : List.of());
    alice.peers.onIntroduction(LINK, false, UserName.of("bob"), 2, bob.publicKey(), bDirect,
        bDirect ? List.of(B) : List.of());
    return new Device[] {alice, bob};
  }

  private void run(Device[] devices, long millis) {
    for (long end = now + millis; now < end; now += 10) {
      for (int i = 0; i < 3; i++) {
        for (Device d : devices) {
          d.pump();
        }
      }
    }
  }

  @Test
  void theHandshakeAndProbesFindTheDirectPathWithoutTheRelay() {
    Device[] d = introduce(true, true);
    run(d, 500);
    assertThat(d[0].peers.path(UserName.of("bob"))).contains(PeerPath.DIRECT);
    assertThat(d[1].peers.path(UserName.of("alice"))).contains(PeerPath.DIRECT);
    assertThat(d[0].paths).containsExactly("bob DIRECT");
    assertThat(relayed).as("packets through the relay").isZero();

    d[0].peers.sendChat(UserName.of("bob"), 42, now, "hello directly");
    run(d, 20);
    assertThat(d[1].chats).containsExactly("hello directly");
  }

  @Test
  void aDirectPathThatStopsAnsweringFallsBackToTheRelayWithinSeconds() {
    Device[] d = introduce(true, true);
    run(d, 500);
    directWorks = false;
    for (int i = 0; i < 50; i++) {
      d[0].peers.sendChat(UserName.of("bob"), 100 + i, now, "m" + i);
      run(d, 100);
    }
    assertThat(d[0].paths).containsExactly("bob DIRECT", "bob RELAYED");
    d[0].peers.sendChat(UserName.of("bob"), 999, now, "over the relay");
    run(d, 20);
    assertThat(d[1].chats).contains("over the relay");
  }

  @Test
  void aMessageOverAnIdleDirectLinkLeavesItDirectThoughNothingAnswersIt() {
    Device[] d = introduce(true, true);
    run(d, 500);
    for (int i = 0; i < 5; i++) {
      run(d, 4_000); // idle between messages: only keepalives, every 5 s
      d[0].peers.sendChat(UserName.of("bob"), 200 + i, now, "now and then " + i);
    }
    run(d, 10_000);
    assertThat(d[0].paths).containsExactly("bob DIRECT");
    assertThat(d[1].paths).containsExactly("alice DIRECT");
    assertThat(d[1].chats).hasSize(5);
    assertThat(relayed).isZero();
  }

  @Test
  void aDirectPathThatComesBackIsTakenAgain() {
    Device[] d = introduce(true, true);
    run(d, 500);
    directWorks = false;
    for (int i = 0; i < 60 && d[0].paths.size() < 2; i++) {
      d[0].peers.sendChat(UserName.of("bob"), 300 + i, now, "m" + i);
      run(d, 100);
    }
    assertThat(d[0].paths).containsExactly("bob DIRECT", "bob RELAYED");
    directWorks = true; // the firewall rule lifted
    run(d, Peers.REPROBE_MILLIS + 2_000);
    assertThat(d[0].paths).containsExactly("bob DIRECT", "bob RELAYED", "bob DIRECT");
    assertThat(d[0].peers.path(UserName.of("bob"))).contains(PeerPath.DIRECT);
    assertThat(d[1].peers.path(UserName.of("alice"))).contains(PeerPath.DIRECT);
  }

  @Test
  void withoutADirectPathTheRelayCarriesTheHandshakeAfterASecond() {
    directWorks = false; // a symmetric NAT: nothing direct gets through
    Device[] d = introduce(true, true);
    run(d, 900);
    assertThat(relayed).as("the addresses get their second before the relay").isZero();
    run(d, 6_000);
    assertThat(d[0].peers.path(UserName.of("bob"))).contains(PeerPath.RELAYED);
    assertThat(d[1].peers.path(UserName.of("alice"))).contains(PeerPath.RELAYED);
  }

  @Test
  void aDeviceThatKeepsToTheRelaySendsToNoAddressAndTheOtherTriesNone() {
    Device[] d = introduce(true, false);
    run(d, 6_000);
    assertThat(d[0].peers.path(UserName.of("bob"))).contains(PeerPath.RELAYED);
    assertThat(d[1].peers.path(UserName.of("alice"))).contains(PeerPath.RELAYED);
    assertThat(d[1].wire.sentTo).as("bob's datagrams").isEmpty();
    assertThat(d[0].wire.sentTo).as("alice was given no address of bob's").isEmpty();
  }

  @Test
  void aCandidateThisSocketCannotReachIsSkippedNotFatal() throws Exception {
    Device alice = new Device(A, true);
    Device bob = new Device(B, true);
    alice.other = bob;
    bob.other = alice;
    InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 40000);
    bob.peers.onIntroduction(LINK, true, UserName.of("alice"), 1, alice.publicKey(), true, List.of(v6, A));
    run(new Device[] {alice, bob}, 500);
    assertThat(bob.wire.sentTo).doesNotContain(v6).contains(A);
  }

  @Test
  void whatStrangersSendChangesNothing() {
    Device[] d = introduce(true, true);
    Random random = new Random(19);
    InetSocketAddress stranger = address(99, 1234);
    for (int i = 0; i < 20_000; i++) {
      byte[] junk = new byte[1 + random.nextInt(200)];
      random.nextBytes(junk);
      junk[0] = (byte) (0x11 + random.nextInt(4));
      if (junk.length >= 9 && random.nextBoolean()) {
        ByteBuffer.wrap(junk).putLong(1, LINK);
      }
      d[0].wire.inbound.add(new Object[] {junk, stranger});
      d[1].peers.onRelayed(LINK, ByteBuffer.wrap(junk.clone()));
      d[0].pump();
      d[1].pump();
    }
    assertThat(d[0].peers.size()).isEqualTo(1);
    assertThat(d[1].peers.size()).isEqualTo(1);
    run(d, 500);
    assertThat(d[0].peers.path(UserName.of("bob"))).as("the real handshake still goes through").contains(PeerPath.DIRECT);
  }
}
