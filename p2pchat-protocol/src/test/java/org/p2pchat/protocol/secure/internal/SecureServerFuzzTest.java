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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.p2pchat.protocol.secure.SecureChannel;

/**
 * Coverage-guided fuzzing of the server's side of the secure channel ({@code SecureServerTransport}),
 * which sees every datagram before the engine does (docs/reliability.md). A plain test run replays
 * the inputs under {@code SecureServerFuzzTestInputs/}, captured from real exchanges by
 * {@link SecureFuzzSeeds}; {@code JAZZER_FUZZ=1} fuzzes.
 *
 * <p>What must hold after every packet: no answer is larger than the packet that caused it, nor
 * goes anywhere but back to its source; nothing reaches the handler above without a channel's
 * keys; the channel tables stay within their bound; and a packet the server does not accept
 * changes nothing but the drop counter. With a channel's keys in hand (the structure-aware
 * target), every frame sealed on it arrives exactly once, unchanged, and the channel keeps
 * working whatever else arrives beside it.
 */
class SecureServerFuzzTest {
  static final int MAX_CHANNELS = 16;
  private static final InetSocketAddress SERVER = FakeWire.address(0, 7000);
  private static final InetSocketAddress STRANGER = FakeWire.address(1, 40_001);
  private static final InetSocketAddress[] PEER_ADDRESSES = {
      FakeWire.address(2, 50_000), FakeWire.address(2, 50_001), FakeWire.address(3, 50_000)};

  /** A server with a fixed key (the seeds' initiations are addressed to it) over a wire without a network. */
  static final class Side {
    final AtomicLong clock = new AtomicLong(1_000_000);
    final AtomicBoolean loaded = new AtomicBoolean();
    final FakeWire wire = new FakeWire(SERVER);
    final SecureServerTransport server = new SecureServerTransport(wire, SecureFuzzSeeds.SERVER_KEYS,
        new SecureServerTransport.Limits(MAX_CHANNELS, 1_000_000, loaded::get), clock::get);
    final List<byte[]> frames = new ArrayList<>();
    final List<InetSocketAddress> senders = new ArrayList<>();

    Side(boolean underLoad) {
      loaded.set(underLoad);
    }

    /** Delivers one packet and checks what holds for every packet; returns what it caused. */
    Outcome deliver(byte[] packet, InetSocketAddress from) throws IOException {
      frames.clear();
      senders.clear();
      SecureServerTransport.Stats before = server.stats();
      wire.deliver(packet, from);
      server.poll((frame, sender) -> {
        byte[] copy = new byte[frame.remaining()];
        frame.get(copy);
        frames.add(copy);
        senders.add(sender);
      }, 0);
      SecureServerTransport.Stats after = server.stats();
      List<FakeWire.Sent> answers = wire.take();
      assertThat(answers).as("answers to one packet").hasSizeLessThanOrEqualTo(1);
      for (FakeWire.Sent answer : answers) {
        assertThat(answer.target()).as("an answer goes back to its source").isEqualTo(from);
        assertThat(answer.bytes().length).as("answer of type %d", answer.bytes()[0]).isLessThanOrEqualTo(packet.length);
      }
      assertThat(after.channels()).as("channels").isLessThanOrEqualTo(MAX_CHANNELS);
      assertThat(after.addresses()).as("addresses mapped").isLessThanOrEqualTo(after.channels());
      Outcome outcome = new Outcome(before, after, answers.isEmpty() ? null : answers.get(0).bytes(),
          List.copyOf(frames));
      if (outcome.answer() == null && frames.isEmpty()) {
        assertThat(after).as("a packet neither answered nor delivered changes nothing but the drop counter")
            .isEqualTo(new SecureServerTransport.Stats(before.channels(), before.addresses(), before.handshakes(),
                before.cookieReplies(), before.dropped() + 1));
      }
      return outcome;
    }
  }

  record Outcome(SecureServerTransport.Stats before, SecureServerTransport.Stats after, byte[] answer,
      List<byte[]> frames) {
    byte answerType() {
      return answer == null ? -1 : answer[0];
    }
  }

  private static Side calm;
  private static Side loaded;
  private static Live live;

  /**
   * Any bytes from a stranger, to a server that is not under load and to one that is. A stranger
   * holds no channel's keys, so nothing may reach the handler; a handshake (the seeds hold real
   * initiations for the fixed key) may make a channel, answered with a smaller RESPONSE.
   */
  @FuzzTest(maxDuration = "10m")
  void aStrangersPacketIsAnsweredNoLargerReachesNothingAndChangesNothingUnlessAccepted(byte[] data)
      throws Exception {
    byte[] packet = Arrays.copyOf(data, Math.min(data.length, SecureChannel.MAX_PACKET_BYTES + 64));
    if (calm == null || calm.server.stats().channels() >= MAX_CHANNELS) {
      calm = new Side(false); // a full table counts as load: start again so handshakes stay reachable
    }
    if (loaded == null) {
      loaded = new Side(true);
    }
    for (Side side : new Side[] {calm, loaded}) {
      Outcome o = side.deliver(packet, STRANGER);
      assertThat(o.frames()).as("frames from a stranger's packet").isEmpty();
      SecureServerTransport.Stats b = o.before();
      SecureServerTransport.Stats a = o.after();
      switch (o.answerType()) {
        case -1 -> { } // checked by deliver: nothing changed but the drop counter
        case Packets.RESPONSE -> {
          assertThat(packet[0]).isEqualTo(Packets.INITIATION);
          assertThat(side).isNotSameAs(loaded);
          assertThat(a).isEqualTo(new SecureServerTransport.Stats(b.channels() + 1, b.addresses(),
              b.handshakes() + 1, b.cookieReplies(), b.dropped()));
        }
        case Packets.COOKIE -> {
          assertThat(packet[0]).isEqualTo(Packets.INITIATION);
          assertThat(a).isEqualTo(new SecureServerTransport.Stats(b.channels(), b.addresses(), b.handshakes(),
              b.cookieReplies() + 1, b.dropped()));
        }
        case Packets.KEY_REPLY -> {
          assertThat(packet).hasSize(Packets.KEY_REQUEST_BYTES).startsWith(Packets.KEY_REQUEST);
          assertThat(Arrays.copyOfRange(o.answer(), 1, o.answer().length))
              .isEqualTo(SecureFuzzSeeds.SERVER_KEYS.publicKey().bytes());
          assertThat(a).isEqualTo(b);
        }
        default -> throw new AssertionError("answered with packet type " + o.answerType());
      }
    }
  }

  /**
   * Structure-aware: the target holds a live channel's keys (a {@link HandClient} that shook hands
   * with the server) and builds well-formed packets with one field wrong, valid packets on the
   * channel under any counter and from any address, valid handshakes beside it, and the passing
   * of time. After every input the live channel must still carry a fresh frame both ways.
   */
  @FuzzTest(maxDuration = "10m")
  void aPacketWithOneFieldWrongChangesNothingAndTheLiveChannelKeepsWorking(FuzzedDataProvider data)
      throws Exception {
    if (live == null) {
      live = new Live();
    }
    live.renewIfOld();
    int actions = data.consumeInt(1, 8);
    for (int i = 0; i < actions && data.remainingBytes() > 0; i++) {
      switch (data.consumeInt(0, 9)) {
        case 0 -> live.validData(data);
        case 1 -> live.dataWithOneFieldWrong(data);
        case 2 -> live.validInitiation(data);
        case 3 -> live.initiationWithOneFieldWrong(data);
        case 4 -> live.keyRequest(data);
        case 5 -> live.packetOfAnotherType(data);
        case 6 -> live.rawPacket(data);
        case 7 -> live.timePasses(data);
        case 8 -> live.side.loaded.set(!live.side.loaded.get());
        default -> live.serverSends(data);
      }
    }
    live.probe();
  }

  /** The server, and a client played by hand that holds one live channel with it. */
  static final class Live {
    /** Renew the live channel well before the server's 180 s limit. */
    private static final long RENEW_AFTER_MILLIS = 150_000;
    final Side side = new Side(false);
    private HandClient peer;
    private CounterOracle oracle;
    private long createdMillis;
    private InetSocketAddress address = PEER_ADDRESSES[0];
    private int nextIndex = 1;

    Live() throws IOException {
      handshake();
    }

    private void handshake() throws IOException {
      boolean wasLoaded = side.loaded.getAndSet(false);
      HandClient fresh = new HandClient(SecureFuzzSeeds.SERVER_KEYS.publicKey().bytes());
      Outcome o = side.deliver(fresh.initiate(nextIndex++, null), address);
      if (o.answerType() == Packets.COOKIE) { // a full table counts as load
        o = side.deliver(fresh.initiate(nextIndex++, fresh.cookieFrom(o.answer())), address);
      }
      assertThat(o.answerType()).as("answer to the live channel's initiation").isEqualTo(Packets.RESPONSE);
      assertThat(fresh.accept(o.answer())).as("the server's response completes the handshake").isTrue();
      side.loaded.set(wasLoaded);
      peer = fresh;
      oracle = new CounterOracle();
      createdMillis = side.clock.get();
      probe(); // the first frame maps the address to the new channel
    }

    void renewIfOld() throws IOException {
      if (side.clock.get() - createdMillis >= RENEW_AFTER_MILLIS) {
        handshake();
      }
    }

    private InetSocketAddress anAddress(FuzzedDataProvider data) {
      int pick = data.consumeInt(0, PEER_ADDRESSES.length);
      return pick == PEER_ADDRESSES.length ? address : PEER_ADDRESSES[pick];
    }

    private long aCounter(FuzzedDataProvider data) {
      return switch (data.consumeInt(0, 4)) {
        case 0 -> oracle.fresh();
        case 1 -> Math.max(0, oracle.anAccepted(data.consumeInt())); // a replay
        case 2 -> oracle.fresh() + data.consumeLong(1, 1L << 21); // ahead
        case 3 -> oracle.greatest() - data.consumeLong(1, 2 * ReplayWindow.WINDOW); // behind, in or out of the window
        default -> data.consumeLong(); // anything, negative and beyond 2^60 too
      };
    }

    void validData(FuzzedDataProvider data) throws IOException {
      byte[] frame = data.consumeBytes(data.consumeInt(0, 1200));
      long counter = aCounter(data);
      InetSocketAddress from = anAddress(data);
      boolean expected = oracle.accepts(counter);
      Outcome o = side.deliver(peer.data(counter, frame), from);
      assertThat(o.answer()).as("answer to a DATA packet").isNull();
      if (expected) {
        assertThat(o.frames()).as("frame under counter %d", counter).singleElement().isEqualTo(frame);
        assertThat(side.senders).containsExactly(from);
        oracle.accepted(counter);
        address = from; // roaming: the channel follows its authenticated packets
      } else {
        assertThat(o.frames()).as("replayed or refused counter %d", counter).isEmpty();
      }
    }

    void dataWithOneFieldWrong(FuzzedDataProvider data) throws IOException {
      byte[] frame = data.consumeBytes(data.consumeInt(0, 1200));
      long counter = oracle.fresh();
      byte[] original = peer.data(counter, frame);
      byte[] wrong = original.clone();
      ByteBuffer b = ByteBuffer.wrap(wrong);
      switch (data.consumeInt(0, 4)) {
        case 0 -> {
          int index = data.consumeInt();
          b.putInt(Packets.DATA_RECEIVER_OFFSET, index == peer.serverIndex ? index + 1 : index);
        }
        case 1 -> b.putLong(Packets.DATA_COUNTER_OFFSET, counter ^ (1L << data.consumeInt(0, 63)));
        case 2 -> {
          int bit = data.consumeInt(Packets.DATA_HEADER_BYTES * 8, wrong.length * 8 - 1);
          wrong[bit / 8] ^= (byte) (1 << (bit % 8));
        }
        case 3 -> wrong = Arrays.copyOf(wrong, data.consumeInt(0, wrong.length - 1));
        default -> {
          byte[] extra = data.consumeBytes(data.consumeInt(1, 64));
          wrong = Arrays.copyOf(wrong, wrong.length + Math.max(1, extra.length));
          System.arraycopy(extra, 0, wrong, original.length, extra.length);
        }
      }
      Outcome o = side.deliver(wrong, anAddress(data));
      assertThat(o.frames()).as("frames from a DATA packet with one field wrong").isEmpty();
      assertThat(o.answer()).isNull();
      // the failed packet moved neither the window nor the channel's address
      Outcome intact = side.deliver(original, address);
      assertThat(intact.frames()).as("the intact packet after the damaged one").singleElement().isEqualTo(frame);
      oracle.accepted(counter);
    }

    /** A sender index as a client picks it: any but 0, which is malformed (16.2). */
    private static int senderIndex(FuzzedDataProvider data) {
      int index = data.consumeInt();
      return index != 0 ? index : 1;
    }

    void validInitiation(FuzzedDataProvider data) throws IOException {
      HandClient other = new HandClient(SecureFuzzSeeds.SERVER_KEYS.publicKey().bytes());
      InetSocketAddress from = anAddress(data);
      byte[] initiation = other.initiate(senderIndex(data), null);
      Outcome o = side.deliver(initiation, from);
      if (o.answerType() == Packets.COOKIE) {
        assertThat(side.loaded.get() || o.before().channels() >= MAX_CHANNELS).as("a cookie only under load").isTrue();
        byte[] cookie = other.cookieFrom(o.answer());
        assertThat(cookie).as("the cookie opens for the client that asked").isNotNull();
        if (!data.consumeBoolean()) {
          return;
        }
        o = side.deliver(other.initiate(senderIndex(data), cookie), from);
      }
      assertThat(o.answerType()).as("answer to a valid initiation").isEqualTo(Packets.RESPONSE);
      assertThat(o.after().handshakes()).isEqualTo(o.before().handshakes() + 1);
      assertThat(other.accept(o.answer())).as("the response completes the handshake").isTrue();
    }

    void initiationWithOneFieldWrong(FuzzedDataProvider data) throws IOException {
      HandClient other = new HandClient(SecureFuzzSeeds.SERVER_KEYS.publicKey().bytes());
      byte[] initiation = other.initiate(senderIndex(data), null);
      boolean mac2Wrong = false;
      switch (data.consumeInt(0, 5)) {
        case 0 -> initiation[data.consumeInt(Packets.INITIATION_MAC1_OFFSET, Packets.INITIATION_MAC2_OFFSET - 1)] ^=
            (byte) data.consumeInt(1, 255);
        case 1 -> { // the index in clear is not the one the handshake authenticates
          int index = Packets.getInt(initiation, Packets.INITIATION_SENDER_OFFSET);
          Packets.putInt(initiation, Packets.INITIATION_SENDER_OFFSET, index ^ data.consumeInt(1, Integer.MAX_VALUE));
          other.sealMacs(initiation, null);
        }
        case 2 -> { // a damaged Noise message behind a valid mac1: it reaches the handshake
          initiation[data.consumeInt(Packets.INITIATION_MESSAGE_OFFSET, Packets.INITIATION_MAC1_OFFSET - 1)] ^=
              (byte) data.consumeInt(1, 255);
          other.sealMacs(initiation, null);
        }
        case 3 -> { // an ephemeral key the handshake must refuse
          byte[] weak = data.consumeBoolean() ? new byte[32]
              : java.util.HexFormat.of().parseHex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800");
          System.arraycopy(weak, 0, initiation, Packets.INITIATION_MESSAGE_OFFSET, weak.length);
          other.sealMacs(initiation, null);
        }
        case 4 -> { // a mac2 that no cookie made
          mac2Wrong = true;
          byte[] mac2 = data.consumeBytes(Packets.MAC_BYTES);
          System.arraycopy(mac2, 0, initiation, Packets.INITIATION_MAC2_OFFSET, mac2.length);
          initiation[Packets.INITIATION_MAC2_OFFSET] |= 1;
        }
        default -> initiation = Arrays.copyOf(initiation, data.consumeBoolean()
            ? data.consumeInt(0, Packets.INITIATION_BYTES - 1) : data.consumeInt(Packets.INITIATION_BYTES + 1, 300));
      }
      Outcome o = side.deliver(initiation, anAddress(data));
      assertThat(o.after().handshakes()).as("handshakes after an initiation with one field wrong")
          .isEqualTo(o.before().handshakes());
      assertThat(o.after().channels()).isEqualTo(o.before().channels());
      if (mac2Wrong) {
        assertThat(o.answerType()).as("a mac2 that is present must be valid").isEqualTo(Packets.COOKIE);
      } else if (o.answer() != null) {
        assertThat(o.answerType()).as("the only answer to a damaged initiation").isEqualTo(Packets.COOKIE);
      }
    }

    void keyRequest(FuzzedDataProvider data) throws IOException {
      byte[] request = data.consumeBoolean() ? new byte[Packets.KEY_REQUEST_BYTES] : new byte[data.consumeInt(1, 200)];
      request[0] = Packets.KEY_REQUEST;
      Outcome o = side.deliver(request, anAddress(data));
      if (request.length == Packets.KEY_REQUEST_BYTES) {
        assertThat(o.answer()).startsWith(Packets.KEY_REPLY).hasSize(Packets.KEY_REPLY_BYTES);
      } else {
        assertThat(o.answer()).isNull();
      }
    }

    void packetOfAnotherType(FuzzedDataProvider data) throws IOException {
      byte[] types = {Packets.RESPONSE, Packets.COOKIE, Packets.KEY_REPLY, 0x00, 0x07, 0x50, (byte) 0xff};
      byte[] body = data.consumeBytes(data.consumeInt(0, 1300));
      byte[] packet = new byte[body.length + 1];
      packet[0] = types[data.consumeInt(0, types.length - 1)];
      System.arraycopy(body, 0, packet, 1, body.length);
      Outcome o = side.deliver(packet, anAddress(data));
      assertThat(o.answer()).isNull();
      assertThat(o.frames()).isEmpty();
    }

    void rawPacket(FuzzedDataProvider data) throws IOException {
      byte[] packet = data.consumeBytes(data.consumeInt(0, SecureChannel.MAX_PACKET_BYTES + 64));
      Outcome o = side.deliver(packet, STRANGER);
      assertThat(o.frames()).as("frames from a stranger's bytes").isEmpty();
    }

    void timePasses(FuzzedDataProvider data) throws IOException {
      side.clock.addAndGet(data.consumeInt(0, 30_000));
      side.server.poll((frame, from) -> {
        throw new AssertionError("nothing was delivered");
      }, 0);
      assertThat(side.wire.take()).isEmpty();
      renewIfOld();
    }

    void serverSends(FuzzedDataProvider data) throws IOException {
      byte[] frame = data.consumeBytes(data.consumeInt(0, 1201));
      boolean sent = side.server.send(ByteBuffer.wrap(frame), address);
      List<FakeWire.Sent> packets = side.wire.take();
      if (frame.length > 1200) {
        assertThat(sent).isFalse();
        assertThat(packets).isEmpty();
        return;
      }
      assertThat(sent).isTrue();
      assertThat(packets).singleElement().satisfies(p -> {
        assertThat(p.target()).isEqualTo(address);
        assertThat(p.bytes()).hasSize(frame.length + SecureChannel.OVERHEAD_BYTES);
        assertThat(peer.open(p.bytes())).isEqualTo(frame);
      });
      assertThat(side.server.send(ByteBuffer.wrap(frame), STRANGER)).as("a frame to an address without a channel")
          .isFalse();
      assertThat(side.wire.take()).isEmpty();
    }

    /** A fresh frame each way on the live channel. */
    void probe() throws IOException {
      long counter = oracle.fresh();
      byte[] frame = {'P', 'R', 'O', 'B', 'E'};
      Outcome o = side.deliver(peer.data(counter, frame), address);
      assertThat(o.frames()).as("the live channel's probe").singleElement().isEqualTo(frame);
      oracle.accepted(counter);
      assertThat(side.server.send(ByteBuffer.wrap(frame), address)).as("a frame back on the live channel").isTrue();
      assertThat(side.wire.take()).singleElement().satisfies(p -> assertThat(peer.open(p.bytes())).isEqualTo(frame));
    }
  }
}
