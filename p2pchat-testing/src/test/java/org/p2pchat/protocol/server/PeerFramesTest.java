package org.p2pchat.protocol.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.codec.Frame;

/**
 * The server's side of peer to peer (docs/protocol.md section 25) in raw frames on the test's
 * thread: who is introduced to whom and with which addresses, and what the relay forwards.
 */
class PeerFramesTest {
  private static final ServerConfig CONFIG = ServerConfig.builder().argon2MemoryKib(64).argon2Iterations(1).build();
  private static final byte[] ALICE_KEY = key(1);
  private static final byte[] BOB_KEY = key(2);
  private static final int PEER_UNAVAILABLE = 32;

  private EmbeddedHarness h;

  @AfterEach
  void close() {
    h.close();
  }

  private static byte[] key(int seed) {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) (0x10 + seed));
    return k;
  }

  private static InetSocketAddress lan(int last) throws Exception {
    return new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 192, (byte) 168, 1, (byte) last}), 40_000);
  }

  /** alice at 127.0.0.1, bob at 127.0.0.2, carol at 127.0.0.3; alice and bob mutual contacts. */
  private EmbeddedHarness.Peer[] start(ServerConfig config) {
    h = new EmbeddedHarness(config, "alice", "bob", "carol");
    EmbeddedHarness.Peer a = h.peer(1);
    EmbeddedHarness.Peer b = h.peer(2);
    EmbeddedHarness.Peer c = h.peer(3);
    a.logIn("alice");
    b.logIn("bob");
    c.logIn("carol");
    befriend(a, "bob");
    befriend(b, "alice");
    befriend(c, "alice"); // one-sided: alice does not list carol
    a.drain();
    b.drain();
    c.drain();
    return new EmbeddedHarness.Peer[] {a, b, c};
  }

  private static void befriend(EmbeddedHarness.Peer p, String contact) {
    long id = p.nextId();
    assertThat(p.exchangeLast(new Frame.ContactAdd(id, p.tokenHi, p.tokenLo, contact), id).isOk()).isTrue();
  }

  private static Frame.PushPeer onlyPushPeer(List<EmbeddedHarness.Answer> got) {
    List<Frame> peers = got.stream().map(EmbeddedHarness.Answer::frame).filter(f -> f instanceof Frame.PushPeer).toList();
    assertThat(peers).hasSize(1);
    return (Frame.PushPeer) peers.get(0);
  }

  @Test
  void mutualContactsAreIntroducedWithTheAddressTheServerSeesFirstAndARelayOnlyDeviceRevealsNone() throws Exception {
    EmbeddedHarness.Peer[] p = start(CONFIG);
    EmbeddedHarness.Peer a = p[0];
    EmbeddedHarness.Peer b = p[1];
    long id = a.nextId();
    assertThat(a.exchangeLast(new Frame.PeerConnect(id, a.tokenHi, a.tokenLo, 0, "bob", ALICE_KEY, true,
        List.of(lan(2), a.address)), id).isOkTo(0x27, id)).isTrue();

    Frame.PushPeer offer = onlyPushPeer(b.drain());
    assertThat(offer.role()).isEqualTo(1);
    assertThat(offer.peer()).isEqualTo("alice");
    assertThat(offer.staticKey()).isEqualTo(ALICE_KEY);
    assertThat(offer.direct()).isTrue();
    assertThat(offer.candidates()).containsExactly(a.address, lan(2)); // the seen address first, no duplicate

    long answerId = b.nextId();
    assertThat(b.exchangeLast(new Frame.PeerConnect(answerId, b.tokenHi, b.tokenLo, offer.linkId(), "alice", BOB_KEY,
        false, List.of()), answerId).isOkTo(0x27, answerId)).isTrue();
    Frame.PushPeer answer = onlyPushPeer(a.drain());
    assertThat(answer.role()).isEqualTo(2);
    assertThat(answer.linkId()).isEqualTo(offer.linkId());
    assertThat(answer.peer()).isEqualTo("bob");
    assertThat(answer.staticKey()).isEqualTo(BOB_KEY);
    assertThat(answer.direct()).isFalse();
    assertThat(answer.candidates()).as("bob keeps to the relay: no address of his, not even the seen one").isEmpty();
    assertThat(h.stats().peerLinks()).isEqualTo(1);
  }

  @Test
  void strangersOneSidedContactsTheOfflineAndWrongLinksGetTheSameRefusal() throws Exception {
    EmbeddedHarness.Peer[] p = start(CONFIG);
    EmbeddedHarness.Peer a = p[0];
    EmbeddedHarness.Peer c = p[2];
    long id = c.nextId();
    assertThat(c.exchangeLast(new Frame.PeerConnect(id, c.tokenHi, c.tokenLo, 0, "alice", BOB_KEY, false, List.of()), id)
        .errorCode()).as("carol lists alice, alice does not list carol").isEqualTo(PEER_UNAVAILABLE);
    id = a.nextId();
    assertThat(a.exchangeLast(new Frame.PeerConnect(id, a.tokenHi, a.tokenLo, 0, "carol", ALICE_KEY, false, List.of()), id)
        .errorCode()).isEqualTo(PEER_UNAVAILABLE);
    id = a.nextId();
    assertThat(a.exchangeLast(new Frame.PeerConnect(id, a.tokenHi, a.tokenLo, 0, "alice", ALICE_KEY, false, List.of()), id)
        .errorCode()).as("oneself").isEqualTo(PEER_UNAVAILABLE);
    id = a.nextId();
    assertThat(a.exchangeLast(new Frame.PeerConnect(id, a.tokenHi, a.tokenLo, 12345, "bob", ALICE_KEY, false, List.of()), id)
        .errorCode()).as("a link that is not there").isEqualTo(PEER_UNAVAILABLE);
    EmbeddedHarness.Peer b = p[1];
    long out = b.nextId();
    b.exchangeLast(new Frame.Logout(out, b.tokenHi, b.tokenLo), out);
    id = a.nextId();
    assertThat(a.exchangeLast(new Frame.PeerConnect(id, a.tokenHi, a.tokenLo, 0, "bob", ALICE_KEY, false, List.of()), id)
        .errorCode()).as("bob is offline").isEqualTo(PEER_UNAVAILABLE);
    assertThat(c.drain()).isEmpty();
  }

  @Test
  void theRelayForwardsAlongALinkOnlyAndNeverAnswers() throws Exception {
    EmbeddedHarness.Peer[] p = start(CONFIG);
    EmbeddedHarness.Peer a = p[0];
    EmbeddedHarness.Peer b = p[1];
    EmbeddedHarness.Peer c = p[2];
    long link = introduce(a, b);
    byte[] packet = {0x14, 9, 8, 7, 6};

    assertThat(a.exchange(new Frame.Relay(0, a.tokenHi, a.tokenLo, link, packet))).isEmpty();
    List<EmbeddedHarness.Answer> atBob = b.drain();
    assertThat(atBob).hasSize(1);
    assertThat(atBob.get(0).frame()).isEqualTo(new Frame.Relayed(0, link, packet));
    assertThat(b.exchange(new Frame.Relay(0, b.tokenHi, b.tokenLo, link, packet))).isEmpty();
    assertThat(a.drain()).hasSize(1);

    // carol is no end of the link, a wrong link goes nowhere, a bad token nowhere either
    assertThat(c.exchange(new Frame.Relay(0, c.tokenHi, c.tokenLo, link, packet))).isEmpty();
    assertThat(a.exchange(new Frame.Relay(0, a.tokenHi, a.tokenLo, link + 1, packet))).isEmpty();
    assertThat(a.exchange(new Frame.Relay(0, a.tokenHi + 1, a.tokenLo, link, packet))).isEmpty();
    // malformed: an empty packet, a zero link; silence
    ByteBuffer empty = ByteBuffer.allocate(64);
    new org.p2pchat.protocol.codec.FrameCodec().encode(new Frame.Relay(0, a.tokenHi, a.tokenLo, link, packet), empty);
    empty.flip().limit(37);
    assertThat(a.exchange(empty)).isEmpty();
    assertThat(a.drain()).isEmpty();
    assertThat(b.drain()).isEmpty();
    assertThat(c.drain()).isEmpty();
    assertThat(h.stats().relayedPackets()).isEqualTo(2);
    assertThat(h.stats().relayedBytes()).isEqualTo(2L * packet.length);
  }

  @Test
  void aLinkTheOtherDeviceDidNotAnswerRelaysNothing() throws Exception {
    EmbeddedHarness.Peer[] p = start(CONFIG);
    EmbeddedHarness.Peer a = p[0];
    EmbeddedHarness.Peer b = p[1];
    long id = a.nextId();
    assertThat(a.exchangeLast(new Frame.PeerConnect(id, a.tokenHi, a.tokenLo, 0, "bob", ALICE_KEY, false, List.of()), id)
        .isOk()).isTrue();
    long link = onlyPushPeer(b.drain()).linkId();
    assertThat(a.exchange(new Frame.Relay(0, a.tokenHi, a.tokenLo, link, new byte[] {1, 2, 3}))).isEmpty();
    assertThat(b.drain()).as("bob never answered the offer").isEmpty();
  }

  @Test
  void theRelayKeepsToItsBandwidthPerUser() throws Exception {
    EmbeddedHarness.Peer[] p = start(ServerConfig.builder().from(CONFIG).relayBytesPerSecondPerUser(10_000).build());
    EmbeddedHarness.Peer a = p[0];
    EmbeddedHarness.Peer b = p[1];
    long link = introduce(a, b);
    byte[] packet = new byte[1000];
    for (int i = 0; i < 30; i++) {
      a.offer(encode(new Frame.Relay(0, a.tokenHi, a.tokenLo, link, packet)));
    }
    h.run(); // all in the same millisecond of the manual clock: one second's burst passes, no more
    // each packet is charged its 1000 bytes and 64 for its frame: 9 fit in 10,000
    assertThat(b.drain()).hasSize(9);
    assertThat(h.stats().relayedBytes()).isEqualTo(9_000);
  }

  @Test
  void aBlockOrARemovalEndsTheLinksBetweenTheTwo() throws Exception {
    EmbeddedHarness.Peer[] p = start(CONFIG);
    EmbeddedHarness.Peer a = p[0];
    EmbeddedHarness.Peer b = p[1];
    long link = introduce(a, b);
    long id = b.nextId();
    assertThat(b.exchangeLast(new Frame.Block(id, b.tokenHi, b.tokenLo, "alice"), id).isOk()).isTrue();
    b.drain();
    assertThat(a.exchange(new Frame.Relay(0, a.tokenHi, a.tokenLo, link, new byte[] {1}))).isEmpty();
    assertThat(b.drain()).as("bob blocked alice: nothing of hers relayed").isEmpty();
    assertThat(h.stats().peerLinks()).isZero();
  }

  @Test
  void aSessionAsksForAtMostTenIntroductionsInTenSeconds() throws Exception {
    EmbeddedHarness.Peer[] p = start(CONFIG);
    EmbeddedHarness.Peer a = p[0];
    for (int i = 0; i < 10; i++) {
      long id = a.nextId();
      assertThat(a.exchangeLast(new Frame.PeerConnect(id, a.tokenHi, a.tokenLo, 0, "bob", ALICE_KEY, false, List.of()),
          id).isOk()).isTrue();
    }
    long id = a.nextId();
    assertThat(a.exchangeLast(new Frame.PeerConnect(id, a.tokenHi, a.tokenLo, 0, "bob", ALICE_KEY, false, List.of()), id)
        .errorCode()).isEqualTo(8); // RATE_LIMITED, with the rest of the window as its retry-after
  }

  @Test
  void aLinkEndsWithEitherSession() throws Exception {
    EmbeddedHarness.Peer[] p = start(CONFIG);
    EmbeddedHarness.Peer a = p[0];
    EmbeddedHarness.Peer b = p[1];
    long link = introduce(a, b);
    long out = b.nextId();
    b.exchangeLast(new Frame.Logout(out, b.tokenHi, b.tokenLo), out);
    b.logIn("bob");
    b.drain();
    assertThat(a.exchange(new Frame.Relay(0, a.tokenHi, a.tokenLo, link, new byte[] {1}))).isEmpty();
    assertThat(b.drain()).as("the new session is no end of the old link").isEmpty();
  }

  private long introduce(EmbeddedHarness.Peer a, EmbeddedHarness.Peer b) {
    long id = a.nextId();
    assertThat(a.exchangeLast(new Frame.PeerConnect(id, a.tokenHi, a.tokenLo, 0, "bob", ALICE_KEY, false, List.of()), id)
        .isOk()).isTrue();
    long link = onlyPushPeer(b.drain()).linkId();
    long answerId = b.nextId();
    assertThat(b.exchangeLast(new Frame.PeerConnect(answerId, b.tokenHi, b.tokenLo, link, "alice", BOB_KEY, false,
        List.of()), answerId).isOk()).isTrue();
    a.drain();
    return link;
  }

  private static ByteBuffer encode(Frame f) {
    ByteBuffer b = ByteBuffer.allocate(2048);
    new org.p2pchat.protocol.codec.FrameCodec().encode(f, b);
    return b.flip();
  }
}
