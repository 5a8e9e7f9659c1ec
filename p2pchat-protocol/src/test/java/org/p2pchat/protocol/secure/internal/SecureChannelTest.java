package org.p2pchat.protocol.secure.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.p2pchat.protocol.secure.internal.SecurePair.text;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.p2pchat.protocol.secure.SecureChannel;
import org.p2pchat.protocol.secure.ServerKeyPair;

/** The secure channel between a client and a server transport, driven step by step. */
class SecureChannelTest {

  @Test
  void framesCrossBothWaysEncryptedAndArriveUnchanged() throws Exception {
    try (SecurePair p = new SecurePair()) {
      p.clientSends("LOGIN alice correct horse");
      p.pump();
      assertThat(p.atServer).hasSize(1);
      assertThat(text(p.atServer.get(0).frame())).isEqualTo("LOGIN alice correct horse");
      assertThat(p.atServer.get(0).from()).isEqualTo(p.clientWire.localAddress());

      p.serverSends("OK token", p.clientWire.localAddress());
      p.pump();
      assertThat(p.atClient).extracting(r -> text(r.frame())).containsExactly("OK token");

      for (Tap.Sent s : p.clientWire.sent) {
        assertThat(new String(s.bytes(), StandardCharsets.ISO_8859_1)).doesNotContain("correct horse");
      }
      for (Tap.Sent s : p.serverWire.sent) {
        assertThat(new String(s.bytes(), StandardCharsets.ISO_8859_1)).doesNotContain("OK token");
      }
    }
  }

  @Test
  void aDataPacketIsTheFrameAndTwentyNineBytesAndTheLargestFitsTheIpv6MinimumMtu() throws Exception {
    try (SecurePair p = new SecurePair()) {
      p.establish();
      p.client.send(java.nio.ByteBuffer.allocate(1200), p.serverWire.localAddress());
      assertThat(p.clientWire.take()).singleElement()
          .satisfies(s -> assertThat(s.bytes()).hasSize(SecureChannel.MAX_PACKET_BYTES));
      assertThat(SecureChannel.MAX_PACKET_BYTES).isEqualTo(1229).isLessThanOrEqualTo(1280 - 40 - 8);
      p.pollServer();
      assertThat(p.atServer).singleElement().satisfies(r -> assertThat(r.frame()).hasSize(1200));
    }
  }

  @Test
  void everyFlippedBitOfAClientDataPacketIsRejectedAndTheOriginalStillPasses() throws Exception {
    try (SecurePair p = new SecurePair()) {
      p.establish();
      p.clientWire.hold = true;
      p.clientSends("SEND bob hi");
      byte[] packet = p.clientWire.take().get(0).bytes();
      InetSocketAddress from = p.clientWire.localAddress();
      for (int bit = 0; bit < packet.length * 8; bit++) {
        p.injectToServer(flip(packet, bit), from);
      }
      assertThat(p.atServer).isEmpty();
      p.injectToServer(packet, from);
      assertThat(p.atServer).extracting(r -> text(r.frame())).containsExactly("SEND bob hi");
    }
  }

  @Test
  void everyFlippedBitOfAServerDataPacketIsRejectedAndTheOriginalStillPasses() throws Exception {
    try (SecurePair p = new SecurePair()) {
      p.establish();
      p.serverWire.hold = true;
      p.serverSends("PUSH from alice", p.clientWire.localAddress());
      byte[] packet = p.serverWire.take().get(0).bytes();
      for (int bit = 0; bit < packet.length * 8; bit++) {
        p.injectToClient(flip(packet, bit));
      }
      assertThat(p.atClient).isEmpty();
      p.injectToClient(packet);
      assertThat(p.atClient).extracting(r -> text(r.frame())).containsExactly("PUSH from alice");
    }
  }

  @Test
  void everyFlippedBitOfAnInitiationIsRejectedWithoutAHandshake() throws Exception {
    try (SecurePair p = new SecurePair()) {
      p.clientWire.hold = true;
      p.clientSends("hello");
      byte[] initiation = p.clientWire.take().get(0).bytes();
      assertThat(initiation).hasSize(Packets.INITIATION_BYTES);
      for (int bit = 0; bit < initiation.length * 8; bit++) {
        p.injectToServer(flip(initiation, bit), p.clientWire.localAddress());
        for (Tap.Sent answer : p.serverWire.take()) {
          // only a flipped mac2 may be answered, and only with a cookie, never a handshake
          assertThat(answer.bytes()[0]).as("answer to bit %d", bit).isEqualTo(Packets.COOKIE);
          assertThat(bit / 8).isBetween(Packets.INITIATION_MAC2_OFFSET, Packets.INITIATION_BYTES - 1);
        }
      }
      assertThat(p.server.stats().handshakes()).isZero();
      assertThat(p.server.stats().channels()).isZero();
      p.injectToServer(initiation, p.clientWire.localAddress());
      assertThat(p.server.stats().handshakes()).isEqualTo(1);
    }
  }

  @Test
  void everyFlippedBitOfAResponseIsRejectedAndTheRealResponseStillCompletesTheHandshake() throws Exception {
    try (SecurePair p = new SecurePair()) {
      p.serverWire.hold = true;
      p.clientSends("hello");
      p.pollServer();
      byte[] response = p.serverWire.take().get(0).bytes();
      assertThat(response).hasSize(Packets.RESPONSE_BYTES);
      for (int bit = 0; bit < response.length * 8; bit++) {
        p.injectToClient(flip(response, bit));
        assertThat(p.client.isEstablished()).as("bit %d", bit).isFalse();
      }
      p.serverWire.hold = false;
      p.injectToClient(response);
      assertThat(p.client.isEstablished()).isTrue();
      p.pump();
      assertThat(p.atServer).extracting(r -> text(r.frame())).containsExactly("hello");
    }
  }

  @Test
  void aReplayedPacketIsDropped() throws Exception {
    try (SecurePair p = new SecurePair()) {
      p.establish();
      p.clientWire.hold = true;
      p.clientSends("SEND bob once");
      byte[] packet = p.clientWire.take().get(0).bytes();
      p.injectToServer(packet, p.clientWire.localAddress());
      p.injectToServer(packet, p.clientWire.localAddress());
      p.injectToServer(packet, new InetSocketAddress(InetAddress.getLoopbackAddress(), 40_000));
      assertThat(p.atServer).hasSize(1);
    }
  }

  @Test
  void aPacketOutsideTheWindowIsDroppedAndOneInsideIsAccepted() throws Exception {
    try (SecurePair p = new SecurePair()) {
      p.establish();
      p.clientWire.hold = true;
      for (int i = 0; i < 2_100; i++) {
        p.clientSends("frame " + i);
      }
      List<Tap.Sent> packets = p.clientWire.take();
      InetSocketAddress from = p.clientWire.localAddress();
      p.injectToServer(packets.get(2_099).bytes(), from);
      p.injectToServer(packets.get(0).bytes(), from); // about 2,100 behind: outside
      p.injectToServer(packets.get(2_000).bytes(), from); // 99 behind: inside, never seen
      assertThat(p.atServer).extracting(r -> text(r.frame())).containsExactly("frame 2099", "frame 2000");
    }
  }

  @Test
  void aClientPinnedToAnotherKeyGetsNoAnswerAndSendsOnlyInitiations() throws Exception {
    try (SecurePair p = new SecurePair(ServerKeyPair.generate().publicKey(),
        SecureServerTransport.Limits.defaults(), SecureClientTransport.Options.defaults())) {
      p.clientSends("LOGIN alice correct horse");
      for (int i = 0; i < 5; i++) {
        p.pump();
        p.clock.addAndGet(5_000);
        p.pollClient(); // retransmits
      }
      assertThat(p.client.isEstablished()).isFalse();
      assertThat(p.atServer).isEmpty();
      assertThat(p.server.stats().handshakes()).isZero();
      assertThat(p.serverWire.sent).isEmpty();
      assertThat(p.clientWire.sent).hasSizeGreaterThan(1)
          .allSatisfy(s -> assertThat(s.bytes()[0]).isEqualTo(Packets.INITIATION));
    }
  }

  @Test
  void aLostInitiationIsRetransmittedFreshAfterTheBackoff() throws Exception {
    try (SecurePair p = new SecurePair()) {
      p.clientWire.hold = true;
      p.clientSends("hello");
      byte[] first = p.clientWire.take().get(0).bytes();
      p.clientWire.hold = false;
      p.clock.addAndGet(249);
      p.pollClient();
      assertThat(p.clientWire.sent).isEmpty();
      p.clock.addAndGet(1);
      p.pollClient();
      assertThat(p.clientWire.sent).singleElement().satisfies(s -> assertThat(s.bytes()).isNotEqualTo(first));
      p.pump();
      assertThat(p.client.isEstablished()).isTrue();
      assertThat(p.atServer).extracting(r -> text(r.frame())).containsExactly("hello");
    }
  }

  @Test
  void aPeerWhoseAddressChangesKeepsItsChannelAndAnswersFollowIt() throws Exception {
    try (SecurePair p = new SecurePair()) {
      p.establish();
      p.clientWire.hold = true;
      p.clientSends("PING after rebinding");
      byte[] packet = p.clientWire.take().get(0).bytes();
      InetSocketAddress rebound = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50_123);
      p.injectToServer(packet, rebound);
      assertThat(p.atServer).singleElement().satisfies(r -> assertThat(r.from()).isEqualTo(rebound));
      assertThat(p.server.send(SecurePair.frame("OK"), rebound)).isFalse(); // nothing bound there in memory
      assertThat(p.serverWire.take()).singleElement().satisfies(s -> assertThat(s.target()).isEqualTo(rebound));
      assertThat(p.server.send(SecurePair.frame("OK"), p.clientWire.localAddress())).isFalse();
      assertThat(p.serverWire.take()).isEmpty(); // the old address has no channel any more
    }
  }

  @Test
  void theClientRekeysAfterTheMessageBoundAndNothingIsLost() throws Exception {
    SecureClientTransport.Options options = new SecureClientTransport.Options(250, 4_000, 90_000,
        SecureChannel.REKEY_AFTER_MILLIS, 10);
    try (SecurePair p = new SecurePair(null, SecureServerTransport.Limits.defaults(), options)) {
      for (int i = 0; i < 35; i++) {
        p.clientSends("frame " + i);
        p.pump();
        p.serverSends("answer " + i, p.clientWire.localAddress());
        p.pump();
      }
      assertThat(p.client.handshakesCompleted()).isEqualTo(4);
      assertThat(p.atServer).hasSize(35);
      assertThat(p.atClient).hasSize(35);
    }
  }

  @Test
  void aDelayedPacketOfTheOldChannelDoesNotPullAnswersBackOntoItAfterARekey() throws Exception {
    try (SecurePair p = new SecurePair()) {
      p.establish();
      p.clientWire.hold = true;
      p.clientSends("late on the old channel");
      byte[] late = p.clientWire.take().get(0).bytes();
      p.clientWire.hold = false;
      p.clock.addAndGet(SecureChannel.REKEY_AFTER_MILLIS);
      p.clientSends("triggers a rekey");
      p.pump();
      int newIndex = p.clientWire.take().stream().filter(s -> s.bytes()[0] == Packets.INITIATION)
          .map(s -> Packets.getInt(s.bytes(), Packets.INITIATION_SENDER_OFFSET)).reduce((a, b) -> b).orElseThrow();
      p.clientSends("on the new channel");
      p.pump();
      p.injectToServer(late, p.clientWire.localAddress()); // authentic, inside the window, heard last
      assertThat(p.atServer).extracting(r -> text(r.frame()))
          .containsExactly("triggers a rekey", "on the new channel", "late on the old channel");
      p.serverWire.take();
      p.serverSends("answer", p.clientWire.localAddress());
      assertThat(p.serverWire.take()).singleElement().satisfies(s ->
          assertThat(Packets.getInt(s.bytes(), Packets.DATA_RECEIVER_OFFSET)).isEqualTo(newIndex));
      p.pump();
      assertThat(p.atClient).extracting(r -> text(r.frame())).containsExactly("answer");
    }
  }

  @Test
  void theClientRekeysAfterTwoMinutesAndAChannelIsRefusedAfterThree() throws Exception {
    try (SecurePair p = new SecurePair()) {
      p.establish();
      p.clientWire.hold = true;
      p.clientSends("old channel");
      byte[] old = p.clientWire.take().get(0).bytes();
      p.clientWire.hold = false;
      p.clock.addAndGet(SecureChannel.REKEY_AFTER_MILLIS);
      p.clientSends("triggers a rekey");
      p.pump();
      assertThat(p.client.handshakesCompleted()).isEqualTo(2);
      p.clock.addAndGet(SecureChannel.REJECT_AFTER_MILLIS - SecureChannel.REKEY_AFTER_MILLIS);
      p.clientSends("on the new channel");
      p.pump();
      p.injectToServer(old, p.clientWire.localAddress()); // never delivered before, but expired
      assertThat(p.atServer).extracting(r -> text(r.frame())).containsExactly("triggers a rekey", "on the new channel");
    }
  }

  @Test
  void aClientWhoseChannelTheServerForgotHandshakesAgainAfterFifteenSilentSeconds() throws Exception {
    try (SecurePair p = new SecurePair()) {
      p.establish();
      // the server restarts with the same key and no channels
      SecureServerTransport restarted = new SecureServerTransport(p.serverWire, p.serverKeys,
          SecureServerTransport.Limits.defaults(), p.clock::get);
      p.clientSends("lost in the restart");
      restarted.poll((frame, from) -> p.atServer.add(new SecurePair.Received(copy(frame), from)), 0);
      assertThat(p.atServer).isEmpty();
      p.clock.addAndGet(SecureClientTransport.SILENCE_BEFORE_REHANDSHAKE_MILLIS - 1);
      p.clientSends("still lost");
      assertThat(p.clientWire.take()).allSatisfy(s -> assertThat(s.bytes()[0]).isEqualTo(Packets.DATA));
      p.clock.addAndGet(1);
      p.clientSends("after the silence");
      assertThat(p.clientWire.sent).anySatisfy(s -> assertThat(s.bytes()[0]).isEqualTo(Packets.INITIATION));
      for (int i = 0; i < 3; i++) {
        restarted.poll((frame, from) -> p.atServer.add(new SecurePair.Received(copy(frame), from)), 0);
        p.pollClient();
      }
      p.clientSends("on the new channel");
      restarted.poll((frame, from) -> p.atServer.add(new SecurePair.Received(copy(frame), from)), 0);
      assertThat(p.atServer).extracting(r -> text(r.frame())).contains("on the new channel");
      assertThat(p.client.handshakesCompleted()).isEqualTo(2);
    }
  }

  private static byte[] copy(java.nio.ByteBuffer b) {
    byte[] bytes = new byte[b.remaining()];
    b.duplicate().get(bytes);
    return bytes;
  }

  static byte[] flip(byte[] packet, int bit) {
    byte[] copy = packet.clone();
    copy[bit / 8] ^= (byte) (1 << (bit % 8));
    return copy;
  }
}
