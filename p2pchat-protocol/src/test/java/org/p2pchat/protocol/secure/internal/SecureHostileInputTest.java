package org.p2pchat.protocol.secure.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.p2pchat.protocol.secure.SecureChannel;

/** Strangers and spoofers against the server's side of the secure channel. */
class SecureHostileInputTest {

  @Test
  void randomDatagramsOfEveryTypeReachNothingCreateNothingAndAreNeverAnsweredLarger() throws Exception {
    try (SecurePair p = new SecurePair()) {
      Random random = new Random(8);
      for (int i = 0; i < 20_000; i++) {
        byte[] datagram = new byte[random.nextInt(SecureChannel.MAX_PACKET_BYTES + 1)];
        random.nextBytes(datagram);
        if (datagram.length > 0) {
          datagram[0] = (byte) random.nextInt(8); // mostly our own types, to get past the first check
        }
        p.injectToServer(datagram, stranger(i));
        for (Tap.Sent answer : p.serverWire.take()) {
          assertThat(answer.bytes().length).isLessThanOrEqualTo(datagram.length);
        }
      }
      assertThat(p.atServer).isEmpty();
      assertThat(p.server.stats().channels()).isZero();
      assertThat(p.server.stats().handshakes()).isZero();
    }
  }

  @Test
  void aSpoofedHandshakeFloodUnderLoadGetsOnlySmallerCookieRepliesAndCostsNoStateNorDiffieHellman() throws Exception {
    try (SecurePair p = new SecurePair(null, SecurePair.underLoad(() -> true), SecureClientTransport.Options.defaults())) {
      // the attacker knows the public key, so its initiations carry a valid mac1
      p.clientWire.hold = true;
      for (int i = 0; i < 1_000; i++) {
        p.clientSends("x");
        p.clock.addAndGet(5_000); // past every backoff: a fresh initiation each time
        p.pollClient();
      }
      int sent = 0;
      for (Tap.Sent initiation : p.clientWire.take()) {
        p.injectToServer(initiation.bytes(), stranger(sent++));
        for (Tap.Sent answer : p.serverWire.take()) {
          assertThat(answer.bytes()[0]).isEqualTo(Packets.COOKIE);
          assertThat(answer.bytes().length).isLessThan(initiation.bytes().length);
        }
      }
      assertThat(sent).isGreaterThan(900);
      assertThat(p.server.stats().cookieReplies()).isEqualTo(sent);
      assertThat(p.server.stats().handshakes()).isZero();
      assertThat(p.server.stats().channels()).isZero();
    }
  }

  @Test
  void aRealClientGetsThroughALoadedServerWithItsCookie() throws Exception {
    AtomicBoolean loaded = new AtomicBoolean(true);
    try (SecurePair p = new SecurePair(null, SecurePair.underLoad(loaded::get), SecureClientTransport.Options.defaults())) {
      p.clientSends("hello");
      p.pump();
      assertThat(p.server.stats().cookieReplies()).isEqualTo(1);
      assertThat(p.server.stats().handshakes()).isEqualTo(1);
      assertThat(p.client.isEstablished()).isTrue();
      assertThat(p.atServer).extracting(r -> SecurePair.text(r.frame())).containsExactly("hello");
    }
  }

  @Test
  void everyFlippedBitOfACookieReplyIsIgnoredAndTheRealOneStillWorks() throws Exception {
    try (SecurePair p = new SecurePair(null, SecurePair.underLoad(() -> true), SecureClientTransport.Options.defaults())) {
      p.serverWire.hold = true;
      p.clientSends("hello");
      p.pollServer();
      byte[] cookie = p.serverWire.take().get(0).bytes();
      assertThat(cookie[0]).isEqualTo(Packets.COOKIE);
      p.clientWire.take();
      for (int bit = 0; bit < cookie.length * 8; bit++) {
        p.injectToClient(SecureChannelTest.flip(cookie, bit));
        assertThat(p.clientWire.take()).as("answer to bit %d", bit).isEmpty();
      }
      p.serverWire.hold = false;
      p.injectToClient(cookie);
      p.pump();
      assertThat(p.client.isEstablished()).isTrue();
      assertThat(p.atServer).extracting(r -> SecurePair.text(r.frame())).containsExactly("hello");
    }
  }

  @Test
  void aCookieIsBoundToTheAddressItWasGivenTo() throws Exception {
    try (SecurePair p = new SecurePair(null, SecurePair.underLoad(() -> true), SecureClientTransport.Options.defaults())) {
      p.clientSends("hello");
      p.pump(); // cookie, then an initiation with mac2
      assertThat(p.client.isEstablished()).isTrue();
      p.clientWire.hold = true;
      p.clock.addAndGet(SecureChannel.REKEY_AFTER_MILLIS);
      p.clientSends("rekey");
      byte[] withMac2 = p.clientWire.take().stream().filter(s -> s.bytes()[0] == Packets.INITIATION)
          .findFirst().orElseThrow().bytes();
      long handshakes = p.server.stats().handshakes();
      p.serverWire.take();
      p.injectToServer(withMac2, stranger(1)); // the same mac2 from another address
      assertThat(p.server.stats().handshakes()).isEqualTo(handshakes);
      assertThat(p.serverWire.take()).singleElement().satisfies(s -> assertThat(s.bytes()[0]).isEqualTo(Packets.COOKIE));
    }
  }

  @Test
  void aFullChannelTableCountsAsLoadSoSpoofedInitiationsStopCreatingChannels() throws Exception {
    SecureServerTransport.Limits small = new SecureServerTransport.Limits(8, 1_000_000, () -> false);
    try (SecurePair p = new SecurePair(null, small, SecureClientTransport.Options.defaults())) {
      p.clientWire.hold = true;
      for (int i = 0; i < 40; i++) {
        p.clientSends("x");
        p.clock.addAndGet(5_000);
        p.pollClient();
      }
      java.util.List<Tap.Sent> initiations = p.clientWire.take();
      assertThat(initiations).hasSizeGreaterThanOrEqualTo(40);
      for (Tap.Sent initiation : initiations) {
        p.injectToServer(initiation.bytes(), stranger(0));
        p.pump(); // a full table counts as load: from here on, cookies first
        assertThat(p.server.stats().channels()).isLessThanOrEqualTo(8);
      }
      assertThat(p.server.stats().handshakes()).isEqualTo(8);
      assertThat(p.server.stats().cookieReplies()).isEqualTo(initiations.size() - 8);
    }
  }

  @Test
  void anInitiationWithAnEphemeralKeyOfSmallOrderIsDroppedWithoutAnAnswer() throws Exception {
    try (SecurePair p = new SecurePair()) {
      p.clientWire.hold = true;
      p.clientSends("hello");
      byte[] initiation = p.clientWire.take().get(0).bytes();
      byte[] mac1Key = Packets.mac1Key(p.serverKeys.publicKey().bytes());
      // the point of order 8 (0 and 1 are refused too; NoiseNkTest has the whole list)
      byte[] weak = java.util.HexFormat.of().parseHex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800");
      System.arraycopy(weak, 0, initiation, Packets.INITIATION_MESSAGE_OFFSET, weak.length);
      byte[] mac1 = Packets.mac(mac1Key, initiation, Packets.INITIATION_MAC1_OFFSET);
      System.arraycopy(mac1, 0, initiation, Packets.INITIATION_MAC1_OFFSET, Packets.MAC_BYTES);
      p.injectToServer(initiation, stranger(1));
      assertThat(p.serverWire.take()).isEmpty();
      assertThat(p.server.stats().handshakes()).isZero();
      assertThat(p.server.stats().channels()).isZero();
      assertThat(p.server.stats().dropped()).isEqualTo(1);
    }
  }

  @Test
  void anInitiationWithSenderIndexZeroIsDroppedWithoutAnAnswer() throws Exception {
    try (SecurePair p = new SecurePair()) {
      p.clientWire.hold = true;
      p.clientSends("hello");
      byte[] initiation = p.clientWire.take().get(0).bytes();
      Packets.putInt(initiation, Packets.INITIATION_SENDER_OFFSET, 0);
      byte[] mac1 = Packets.mac(Packets.mac1Key(p.serverKeys.publicKey().bytes()), initiation,
          Packets.INITIATION_MAC1_OFFSET);
      System.arraycopy(mac1, 0, initiation, Packets.INITIATION_MAC1_OFFSET, Packets.MAC_BYTES);
      p.injectToServer(initiation, stranger(1)); // mac1 valid: only the index is wrong
      assertThat(p.serverWire.take()).isEmpty();
      assertThat(p.server.stats().handshakes()).isZero();
      assertThat(p.server.stats().dropped()).isEqualTo(1);
    }
  }

  @Test
  void aKeyRequestIsAnsweredOnlyWithAZeroFiller() throws Exception {
    try (SecurePair p = new SecurePair()) {
      byte[] request = new byte[Packets.KEY_REQUEST_BYTES];
      request[0] = Packets.KEY_REQUEST;
      p.injectToServer(request, stranger(1));
      assertThat(p.serverWire.take()).singleElement().satisfies(s -> assertThat(s.bytes()[0]).isEqualTo(Packets.KEY_REPLY));
      for (int i = 1; i < request.length; i++) {
        byte[] dirty = request.clone();
        dirty[i] = 1;
        p.injectToServer(dirty, stranger(2));
        assertThat(p.serverWire.take()).as("filler byte %d set", i).isEmpty();
      }
      assertThat(p.server.stats().dropped()).isEqualTo(Packets.KEY_REQUEST_BYTES - 1);
    }
  }

  @Test
  void aServerTooSlowToReachTheHandshakeRateStillSwitchesToCookiesOnceHandshakesTakeItsTimeBudget() throws Exception {
    // A clock that moves 1 ms at every reading: each handshake costs the server a few
    // milliseconds, so it answers far fewer than 500 a second and the rate never trips.
    AtomicLong slowClock = new AtomicLong(1_000_000);
    try (SecurePair p = new SecurePair()) {
      SecureServerTransport slow = new SecureServerTransport(p.serverWire, p.serverKeys,
          SecureServerTransport.Limits.defaults(), slowClock::incrementAndGet);
      p.clientWire.hold = true;
      for (int i = 0; i < 700; i++) {
        p.clientSends("x");
        p.clock.addAndGet(5_000);
        p.pollClient();
      }
      java.util.List<Tap.Sent> initiations = p.clientWire.take();
      long windowStart = slowClock.get();
      int sent = 0;
      for (Tap.Sent initiation : initiations) {
        p.network.inject(java.nio.ByteBuffer.wrap(initiation.bytes()), stranger(sent++), p.serverWire.localAddress());
        slow.poll((frame, from) -> { }, 0);
        if (slowClock.get() - windowStart >= 1_000) {
          break; // one second of the slow server's time
        }
      }
      SecureServerTransport.Stats stats = slow.stats();
      assertThat(stats.handshakes() + stats.cookieReplies()).isEqualTo(sent);
      assertThat(stats.handshakes()).isLessThan(SecureServerTransport.Limits.defaults().handshakesPerSecond());
      assertThat(stats.cookieReplies()).as("cookies once 250 ms went to handshakes").isPositive();
    }
  }

  private static InetSocketAddress stranger(int i) throws Exception {
    byte[] ip = {127, (byte) (100 + (i >>> 16)), (byte) (i >>> 8), (byte) i};
    return new InetSocketAddress(InetAddress.getByAddress(ip), 1024 + (i % 60_000));
  }
}
