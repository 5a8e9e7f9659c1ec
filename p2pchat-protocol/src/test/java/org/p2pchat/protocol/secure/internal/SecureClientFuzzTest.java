package org.p2pchat.protocol.secure.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.p2pchat.protocol.secure.SecureChannel;
import org.p2pchat.protocol.secure.ServerKeyPair;

/**
 * Coverage-guided fuzzing of the client's side of the secure channel ({@code SecureClientTransport})
 * against what a spoofed or malicious server can send it (docs/reliability.md). A plain test run
 * replays the inputs under {@code SecureClientFuzzTestInputs/}, captured from real exchanges by
 * {@link SecureFuzzSeeds}; {@code JAZZER_FUZZ=1} fuzzes.
 *
 * <p>What must hold: a packet that does not authenticate makes the client send nothing, deliver
 * nothing and lose nothing: the handshake in flight still completes with the real response, and
 * an established channel still carries the next frame; a frame is delivered once at most; and
 * the client sends only initiations to the pinned server and its own frames.
 */
class SecureClientFuzzTest {
  private static final InetSocketAddress SERVER = FakeWire.address(0, 7000);
  private static final InetSocketAddress CLIENT = FakeWire.address(5, 45_000);
  private static final InetSocketAddress SPOOFER = FakeWire.address(6, 7000);
  /** No handshake retransmission while a target runs: the clock only moves when a target says so. */
  private static final SecureClientTransport.Options OPTIONS = new SecureClientTransport.Options(60_000, 60_000,
      90_000, SecureChannel.REKEY_AFTER_MILLIS, SecureChannel.REKEY_AFTER_MESSAGES);
  private static final byte[] HELLO = "hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** A client with the fixed server key pinned, over a wire without a network, and its server played by hand. */
  static final class Side {
    final AtomicLong clock = new AtomicLong(1_000_000);
    final FakeWire wire = new FakeWire(CLIENT);
    final SecureClientTransport client = new SecureClientTransport(wire, SERVER, SecureFuzzSeeds.SERVER_KEYS.publicKey(),
        OPTIONS, clock::get);
    final HandServer server = new HandServer(SecureFuzzSeeds.SERVER_KEYS);
    final CounterOracle oracle = new CounterOracle();
    /** Frames the client sent before its channel was up, in order; they leave when it is. */
    final List<byte[]> queued = new ArrayList<>();
    private final List<byte[]> frames = new ArrayList<>();
    byte[] initiation;
    /** The real response to {@link #initiation}, held back. */
    byte[] response;
    int serverIndex = 0x5e_12_3e_01;

    /** The client's first frame starts a handshake; the server played by hand answers, held back. */
    Side start() throws IOException {
      assertThat(client.send(ByteBuffer.wrap(HELLO), SERVER)).isTrue();
      queued.add(HELLO);
      List<FakeWire.Sent> sent = wire.take();
      assertThat(sent).singleElement().satisfies(s -> assertThat(server.isInitiation(s.bytes())).isTrue());
      answer(sent.get(0).bytes());
      return this;
    }

    void answer(byte[] newInitiation) {
      initiation = newInitiation;
      int clientIndex = Packets.getInt(initiation, Packets.INITIATION_SENDER_OFFSET);
      response = server.respond(initiation, ++serverIndex, serverIndex, clientIndex);
      assertThat(response).as("the hand-played server reads the client's initiation").isNotNull();
    }

    Side established() throws IOException {
      Outcome o = deliver(response, SERVER);
      assertThat(o.frames()).isEmpty();
      assertThat(client.isEstablished()).isTrue();
      checkFlushed(o.sent());
      return this;
    }

    /** Once the channel is up, the queued frames leave on it, in order. */
    void checkFlushed(List<FakeWire.Sent> sent) {
      assertThat(sent).as("frames flushed").hasSize(queued.size());
      for (int i = 0; i < sent.size(); i++) {
        assertThat(server.open(sent.get(i).bytes())).as("flushed frame %d", i).isEqualTo(queued.get(i));
      }
      queued.clear();
    }

    /** Delivers one packet and checks what holds for every packet; returns what it caused. */
    Outcome deliver(byte[] packet, InetSocketAddress from) throws IOException {
      frames.clear();
      boolean wasEstablished = client.isEstablished();
      long handshakes = client.handshakesCompleted();
      wire.deliver(packet, from);
      client.poll((frame, sender) -> {
        assertThat(sender).as("frames come from the server").isEqualTo(SERVER);
        byte[] copy = new byte[frame.remaining()];
        frame.get(copy);
        frames.add(copy);
      }, 0);
      List<FakeWire.Sent> sent = wire.take();
      for (FakeWire.Sent s : sent) {
        assertThat(s.target()).as("the client sends to the pinned server only").isEqualTo(SERVER);
        assertThat(s.bytes()[0] == Packets.DATA || server.isInitiation(s.bytes()))
            .as("the client sends initiations and data only, not type %d", s.bytes()[0]).isTrue();
      }
      Outcome o = new Outcome(sent, List.copyOf(frames), wasEstablished, handshakes);
      if (!from.equals(SERVER)) {
        assertThat(sent).as("answers to a packet from elsewhere").isEmpty();
        assertThat(frames).as("frames from elsewhere").isEmpty();
        assertThat(client.handshakesCompleted()).isEqualTo(handshakes);
      }
      return o;
    }

    /** Nothing sent, nothing delivered, nothing established. */
    void unchangedBy(Outcome o) {
      assertThat(o.sent()).as("sent in answer").isEmpty();
      assertThat(o.frames()).as("frames delivered").isEmpty();
      assertThat(client.isEstablished()).isEqualTo(o.wasEstablished());
      assertThat(client.handshakesCompleted()).isEqualTo(o.handshakes());
    }

    /** A fresh frame from the server arrives once. */
    void probe() throws IOException {
      long counter = oracle.fresh();
      byte[] frame = {'P', 'R', 'O', 'B', 'E'};
      Outcome o = deliver(server.data(counter, frame), SERVER);
      assertThat(o.frames()).as("the probe on the channel").singleElement().isEqualTo(frame);
      oracle.accepted(counter);
    }
  }

  record Outcome(List<FakeWire.Sent> sent, List<byte[]> frames, boolean wasEstablished, long handshakes) {}

  private static Side pending;
  private static Side established;

  /**
   * Any bytes, as if from the server and from elsewhere, to a client whose handshake is in flight
   * and to one whose channel is up. Both keep their index across inputs, so the fuzzer can learn it.
   */
  @FuzzTest(maxDuration = "10m")
  void aSpoofedServersPacketSendsNothingDeliversNothingAndSpoilsNoChannel(byte[] data) throws Exception {
    byte[] packet = Arrays.copyOf(data, Math.min(data.length, SecureChannel.MAX_PACKET_BYTES + 64));
    if (pending == null) {
      pending = new Side().start();
    }
    if (established == null) {
      established = new Side().start().established();
    }
    for (Side side : new Side[] {pending, established}) {
      side.unchangedBy(side.deliver(packet, SPOOFER));
      side.unchangedBy(side.deliver(packet, SERVER));
    }
    established.probe();
  }

  /** Whatever the fuzzer sent, the handshake in flight since the first input still completes. */
  @AfterAll
  static void theHandshakeInFlightStillCompletesWithTheRealResponse() throws Exception {
    if (pending != null) {
      pending.established();
      pending.probe();
    }
  }

  /**
   * Structure-aware: a fresh client per input, its handshake answered by a server played by
   * hand, which then sends well-formed packets with one field wrong (responses, cookie replies,
   * data), valid cookie replies and data under any counter, and the real response. At the end
   * the real response must complete the handshake and a fresh frame must arrive once.
   */
  @FuzzTest(maxDuration = "10m")
  void aMaliciousServersPacketWithOneFieldWrongChangesNothing(FuzzedDataProvider data) throws Exception {
    Side side = new Side().start();
    boolean cookieUsed = false;
    int actions = data.consumeInt(1, 8);
    for (int i = 0; i < actions && data.remainingBytes() > 0; i++) {
      boolean up = side.client.isEstablished();
      switch (data.consumeInt(0, 7)) {
        case 0 -> side.unchangedBy(side.deliver(responseWithOneFieldWrong(side, data), SERVER));
        case 1 -> side.unchangedBy(side.deliver(cookieWithOneFieldWrong(side, data), SERVER));
        case 2 -> {
          byte[] cookie = Arrays.copyOf(data.consumeBytes(Packets.COOKIE_BYTES), Packets.COOKIE_BYTES);
          byte[] reply = HandServer.cookie(side.server.clientIndex, new byte[Packets.NONCE_BYTES],
              side.server.initiationMac1, cookie, side.server.cookieKey);
          Outcome o = side.deliver(reply, SERVER);
          if (up || cookieUsed) { // nothing in flight, or its cookie already used: ignored
            side.unchangedBy(o);
          } else {
            assertThat(o.sent()).as("answer to a valid cookie").singleElement().satisfies(s -> {
              byte[] again = s.bytes();
              assertThat(side.server.isInitiation(again)).isTrue();
              assertThat(Packets.macEquals(again, Packets.INITIATION_MAC2_OFFSET,
                  Packets.mac(cookie, again, Packets.INITIATION_MAC2_OFFSET))).as("mac2 made with the cookie").isTrue();
            });
            byte[] stale = side.response;
            side.answer(o.sent().get(0).bytes());
            cookieUsed = true;
            side.unchangedBy(side.deliver(stale, SERVER)); // the answer to the replaced initiation
          }
        }
        case 3 -> {
          Outcome o = side.deliver(side.response, SERVER);
          if (up) {
            side.unchangedBy(o); // a replayed response
          } else {
            assertThat(side.client.isEstablished()).isTrue();
            assertThat(side.client.handshakesCompleted()).isEqualTo(1);
            side.checkFlushed(o.sent());
          }
        }
        case 4 -> {
          byte[] frame = data.consumeBytes(data.consumeInt(0, 1200));
          assertThat(side.client.send(ByteBuffer.wrap(frame), SERVER)).isTrue();
          List<FakeWire.Sent> sent = side.wire.take();
          if (up) {
            assertThat(sent).singleElement().satisfies(s -> assertThat(side.server.open(s.bytes())).isEqualTo(frame));
          } else {
            assertThat(sent).as("sent before the channel is up").isEmpty();
            if (side.queued.size() == 64) {
              side.queued.remove(0); // the client keeps the newest 64
            }
            side.queued.add(frame);
          }
        }
        case 5 -> {
          if (up) {
            validData(side, data);
          } else { // data before any channel: nothing can open it
            side.unchangedBy(side.deliver(side.server.data(data.consumeLong(0, 1 << 20), new byte[8]), SERVER));
          }
        }
        case 6 -> {
          if (up) {
            dataWithOneFieldWrong(side, data);
          } else {
            side.unchangedBy(side.deliver(data.consumeBytes(data.consumeInt(0, 1300)), SERVER));
          }
        }
        default -> side.unchangedBy(side.deliver(packetOfAnotherType(data), SERVER));
      }
    }
    if (!side.client.isEstablished()) {
      side.established();
    }
    assertThat(side.client.handshakesCompleted()).isEqualTo(1);
    side.probe();
  }

  private static byte[] responseWithOneFieldWrong(Side side, FuzzedDataProvider data) {
    int clientIndex = side.server.clientIndex;
    int index = side.serverIndex + 1000;
    byte[] packet;
    switch (data.consumeInt(0, 6)) {
      case 0 -> { // for another handshake
        packet = side.response.clone();
        Packets.putInt(packet, Packets.RESPONSE_RECEIVER_OFFSET, clientIndex ^ data.consumeInt(1, Integer.MAX_VALUE));
      }
      case 1 -> { // the sender index in clear is not the one the handshake authenticates
        HandServer other = new HandServer(SecureFuzzSeeds.SERVER_KEYS);
        packet = other.respond(side.initiation, index, index ^ data.consumeInt(1, Integer.MAX_VALUE), clientIndex);
      }
      case 2 -> { // the authenticated receiver index is another
        HandServer other = new HandServer(SecureFuzzSeeds.SERVER_KEYS);
        packet = other.respond(side.initiation, index, index, clientIndex ^ data.consumeInt(1, Integer.MAX_VALUE));
      }
      case 3 -> { // damaged on the way
        packet = side.response.clone();
        int bit = data.consumeInt(Packets.RESPONSE_MESSAGE_OFFSET * 8, packet.length * 8 - 1);
        packet[bit / 8] ^= (byte) (1 << (bit % 8));
      }
      case 4 -> packet = Arrays.copyOf(side.response, data.consumeBoolean()
          ? data.consumeInt(0, Packets.RESPONSE_BYTES - 1) : data.consumeInt(Packets.RESPONSE_BYTES + 1, 200));
      case 5 -> { // from a man in the middle who does not hold the pinned key
        HandServer impostor = new HandServer(ServerKeyPair.generate());
        packet = impostor.respond(side.initiation, index, index, clientIndex);
        if (packet == null) { // it cannot even read the initiation: it answers with its own e anyway
          packet = side.response.clone();
          byte[] e = NoiseNk.publicKey(NoiseNk.generatePrivateKey());
          System.arraycopy(e, 0, packet, Packets.RESPONSE_MESSAGE_OFFSET, e.length);
        }
      }
      default -> { // an ephemeral key the handshake must refuse
        packet = side.response.clone();
        byte[] weak = data.consumeBoolean() ? new byte[32]
            : java.util.HexFormat.of().parseHex("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157");
        System.arraycopy(weak, 0, packet, Packets.RESPONSE_MESSAGE_OFFSET, weak.length);
      }
    }
    return packet;
  }

  private static byte[] cookieWithOneFieldWrong(Side side, FuzzedDataProvider data) {
    byte[] cookie = new byte[Packets.COOKIE_BYTES];
    byte[] nonce = new byte[Packets.NONCE_BYTES];
    int receiver = side.server.clientIndex;
    byte[] mac1 = side.server.initiationMac1;
    byte[] key = side.server.cookieKey;
    switch (data.consumeInt(0, 4)) {
      case 0 -> receiver ^= data.consumeInt(1, Integer.MAX_VALUE);
      case 1 -> { // sealed for another initiation
        mac1 = mac1.clone();
        mac1[data.consumeInt(0, mac1.length - 1)] ^= (byte) data.consumeInt(1, 255);
      }
      case 2 -> key = Packets.cookieKey(ServerKeyPair.generate().publicKey().bytes()); // by another server
      case 3 -> {
        byte[] packet = HandServer.cookie(receiver, nonce, mac1, cookie, key);
        int bit = data.consumeInt(Packets.COOKIE_NONCE_OFFSET * 8, packet.length * 8 - 1);
        packet[bit / 8] ^= (byte) (1 << (bit % 8));
        return packet;
      }
      default -> {
        byte[] packet = HandServer.cookie(receiver, nonce, mac1, cookie, key);
        return Arrays.copyOf(packet, data.consumeBoolean()
            ? data.consumeInt(0, Packets.COOKIE_PACKET_BYTES - 1) : data.consumeInt(Packets.COOKIE_PACKET_BYTES + 1, 200));
      }
    }
    return HandServer.cookie(receiver, nonce, mac1, cookie, key);
  }

  private static void validData(Side side, FuzzedDataProvider data) throws IOException {
    byte[] frame = data.consumeBytes(data.consumeInt(0, 1200));
    long counter = switch (data.consumeInt(0, 4)) {
      case 0 -> side.oracle.fresh();
      case 1 -> Math.max(0, side.oracle.anAccepted(data.consumeInt()));
      case 2 -> side.oracle.fresh() + data.consumeLong(1, 1L << 21);
      case 3 -> side.oracle.greatest() - data.consumeLong(1, 2 * ReplayWindow.WINDOW);
      default -> data.consumeLong();
    };
    boolean expected = side.oracle.accepts(counter);
    Outcome o = side.deliver(side.server.data(counter, frame), SERVER);
    assertThat(o.sent()).isEmpty();
    if (expected) {
      assertThat(o.frames()).as("frame under counter %d", counter).singleElement().isEqualTo(frame);
      side.oracle.accepted(counter);
    } else {
      assertThat(o.frames()).as("replayed or refused counter %d", counter).isEmpty();
    }
  }

  private static void dataWithOneFieldWrong(Side side, FuzzedDataProvider data) throws IOException {
    byte[] frame = data.consumeBytes(data.consumeInt(0, 1200));
    long counter = side.oracle.fresh();
    byte[] original = side.server.data(counter, frame);
    byte[] wrong = original.clone();
    ByteBuffer b = ByteBuffer.wrap(wrong);
    switch (data.consumeInt(0, 3)) {
      case 0 -> b.putInt(Packets.DATA_RECEIVER_OFFSET, side.server.clientIndex ^ data.consumeInt(1, Integer.MAX_VALUE));
      case 1 -> b.putLong(Packets.DATA_COUNTER_OFFSET, counter ^ (1L << data.consumeInt(0, 63)));
      case 2 -> {
        int bit = data.consumeInt(Packets.DATA_HEADER_BYTES * 8, wrong.length * 8 - 1);
        wrong[bit / 8] ^= (byte) (1 << (bit % 8));
      }
      default -> wrong = Arrays.copyOf(wrong, data.consumeInt(0, wrong.length - 1));
    }
    side.unchangedBy(side.deliver(wrong, SERVER));
    Outcome intact = side.deliver(original, SERVER);
    assertThat(intact.frames()).as("the intact packet after the damaged one").singleElement().isEqualTo(frame);
    side.oracle.accepted(counter);
  }

  private static byte[] packetOfAnotherType(FuzzedDataProvider data) {
    byte[] types = {Packets.INITIATION, Packets.KEY_REQUEST, Packets.KEY_REPLY, 0x00, 0x07, 0x50, (byte) 0xff};
    byte[] body = data.consumeBytes(data.consumeInt(0, 1300));
    byte[] packet = new byte[body.length + 1];
    packet[0] = types[data.consumeInt(0, types.length - 1)];
    System.arraycopy(body, 0, packet, 1, body.length);
    return packet;
  }
}
