package org.p2pchat.protocol.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatListener;
import org.p2pchat.protocol.ClientConfig;
import org.p2pchat.protocol.codec.Frame;
import org.p2pchat.protocol.codec.FrameCodec;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.HeaderFlyweight;
import org.p2pchat.protocol.internal.MovableClock;
import org.p2pchat.protocol.internal.RecordingTransport;

/**
 * Coverage-guided fuzzing of the client engine's handling of what a server sends it
 * (docs/reliability.md): answers and pushes, from a hostile or broken server. The client runs on
 * the fuzzer's thread with a clock the harness moves. A plain test run replays the inputs under
 * {@code ClientEngineFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes.
 *
 * <p>What must hold after every input: nothing escapes the engine; its listener never gets one
 * message id twice; what the server can make it remember stays bounded; and the client still
 * works: a send it makes next is answered and completes with the answer's id.
 */
class ClientEngineFuzzTest {
  private static final InetSocketAddress SERVER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 7777);
  private static final InetSocketAddress STRANGER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 6666);
  private static final ClientConfig CONFIG = ClientConfig.builder().maxInFlight(64).build();
  private static final int REMEMBERED = 4096;
  private static final String[] SENDERS = {"alice", "bob", "carol"};
  private static final FrameCodec CODEC = new FrameCodec();

  private static final MovableClock clock = new MovableClock();
  private static final RecordingTransport wire = new RecordingTransport(50_000);
  private static final Set<Long> shown = new HashSet<>();
  private static final List<Long> shownTwice = new ArrayList<>();
  private static ClientEngine client;

  @BeforeAll
  static void logIn() throws Exception {
    client = ClientEngine.driven(wire, SERVER, CONFIG, new ChatListener() {
      @Override
      public void onMessage(ChatMessage message) {
        if (!shown.add(message.id())) {
          shownTwice.add(message.id());
        }
      }
    }, clock, Runnable::run);
    loginAgain();
  }

  @FuzzTest
  void anyDatagramFromTheServerLeavesTheClientWorking(byte[] datagram) throws Exception {
    wire.deliver(datagram, SERVER);
    client.loop().runOnce(0);
    checkStillWorking();
  }

  /**
   * Well-formed answers and pushes, some with one byte changed, for the requests the client has
   * in flight and for messages it has or has not seen, from the server or from elsewhere, with
   * time passing between them: the fuzzer gets past the decoders to the engine's state.
   */
  @FuzzTest
  void wellFormedAnswersAndPushesWithOneFieldWrongLeaveTheClientWorking(FuzzedDataProvider data) throws Exception {
    List<Long> inFlight = new ArrayList<>();
    int frames = data.consumeInt(1, 8);
    for (int i = 0; i < frames && data.remainingBytes() > 0; i++) {
      if (data.consumeBoolean()) {
        // Now and then a long message (docs/protocol.md section 23): its parts are requests too.
        client.send(UserName.of("bob"), data.consumeInt(0, 3) == 0 ? "L".repeat(1500) : "a message of mine");
        client.loop().runOnce(0);
        for (RecordingTransport.Sent s : wire.take()) {
          inFlight.add(HeaderFlyweight.requestId(ByteBuffer.wrap(s.bytes())));
        }
      }
      long answered = inFlight.isEmpty() ? data.consumeLong() : data.pickValue(inFlight);
      Frame frame = switch (data.consumeInt(0, 13)) {
        case 0 -> new Frame.PushMessage(data.consumeLong(), data.consumeLong(1, 50), data.consumeLong(),
            data.pickValue(SENDERS), "pushed " + data.consumeInt());
        case 1 -> new Frame.PushState(data.consumeLong(), data.consumeLong(1, 50), data.consumeInt(2, 3),
            data.pickValue(SENDERS));
        case 2 -> new Frame.OkSend(answered, data.consumeLong(1, Long.MAX_VALUE), data.consumeLong());
        case 3 -> new Frame.OkEmpty(answered, data.pickValue(new Integer[] {0x01, 0x03, 0x06, 0x07, 0x20}));
        case 4 -> new Frame.Error(answered, data.consumeInt(0, 0xffff), data.consumeLong(0, 0xffff_ffffL), List.of());
        case 5 -> new Frame.OkHistory(answered, data.consumeLong(0, Long.MAX_VALUE), List.of());
        case 6 -> new Frame.OkAccount(answered, data.consumeLong(0, Long.MAX_VALUE), data.pickValue(SENDERS));
        case 7 -> new Frame.PushLongMessage(data.consumeLong(), data.consumeLong(1, 50), data.consumeLong(),
            data.pickValue(SENDERS), data.consumeInt(1001, 65_536));
        case 8 -> data.consumeBoolean() ? new Frame.OkSendPart(answered, 0, 0)
            : new Frame.OkSendPart(answered, data.consumeLong(1, Long.MAX_VALUE), data.consumeLong());
        case 9 -> new Frame.OkMessagePart(answered, data.consumeLong(1, 50), data.consumeInt(0, 65),
            data.consumeBytes(data.consumeInt(1, 1000)).length == 0 ? new byte[] {'x'} : "part".getBytes());
        case 10 -> new Frame.PushStates(data.consumeLong(), List.of(
            new Frame.StateEntry(data.consumeLong(1, 50), data.consumeInt(2, 3), data.pickValue(SENDERS)),
            new Frame.StateEntry(data.consumeLong(1, 50), data.consumeInt(2, 3), data.pickValue(SENDERS))));
        case 11 -> new Frame.PushPeer(data.consumeLong(), data.consumeLong(1, 5), data.consumeInt(1, 2),
            data.pickValue(SENDERS), data.consumeLong(0, 3), data.consumeBytes(32).length == 32 ? KEY : KEY,
            data.consumeBoolean(), List.of(STRANGER));
        case 12 -> new Frame.Relayed(0, data.consumeLong(1, 5), peerPacket(data));
        default -> new Frame.OkHistoryLong(answered, data.consumeLong(0, Long.MAX_VALUE), List.of(
            new Frame.LongEntry(data.consumeLong(1, 50), data.consumeLong(), data.consumeInt(1, 3),
                data.pickValue(SENDERS), "dave", data.consumeInt(1001, 65_536), null)));
      };
      ByteBuffer b = ByteBuffer.allocate(1300);
      CODEC.encode(frame, b);
      byte[] bytes = new byte[b.flip().remaining()];
      b.get(bytes);
      if (data.consumeBoolean()) {
        bytes[data.consumeInt(0, bytes.length - 1)] = data.consumeByte();
      }
      wire.deliver(bytes, data.consumeInt(0, 9) == 0 ? STRANGER : SERVER);
      clock.advance(data.consumeLong(0, 5_000));
      client.loop().runOnce(0);
      wire.take();
    }
    checkStillWorking();
  }

  /** A key whose peer nobody is (a valid curve point, so that introductions get as far as handshakes). */
  private static final byte[] KEY = org.p2pchat.protocol.secure.internal.NoiseNk.publicKey(new byte[32]);

  /** A peer packet (docs/protocol.md section 25.5) of a known type, its other bytes the fuzzer's. */
  private static byte[] peerPacket(FuzzedDataProvider data) {
    int length = data.pickValue(new Integer[] {9, 65, 77, 29, 45, data.consumeInt(1, 1161)});
    byte[] p = new byte[length];
    byte[] rest = data.consumeBytes(length);
    System.arraycopy(rest, 0, p, 0, rest.length);
    p[0] = data.pickValue(new Byte[] {0x11, 0x12, 0x13, 0x14, data.consumeByte()});
    if (length >= 9 && data.consumeBoolean()) {
      ByteBuffer.wrap(p).putLong(1, data.consumeLong(1, 5)); // a link id it may know
    }
    return p;
  }

  /** The properties every input must leave true; see the class comment. */
  private static void checkStillWorking() throws Exception {
    assertThat(shownTwice).as("message ids the listener got twice").isEmpty();
    ClientEngine.Footprint f = client.footprint();
    assertThat(f.inFlight()).isLessThanOrEqualTo(CONFIG.maxInFlight());
    assertThat(f.inbox().messages()).isLessThanOrEqualTo(REMEMBERED);
    assertThat(f.inbox().states()).isLessThanOrEqualTo(REMEMBERED);
    assertThat(f.inbox().fetching()).isLessThanOrEqualTo(LongMessages.MAX_ACTIVE_FETCHES);
    assertThat(f.peerLinks()).isLessThanOrEqualTo(64);

    if (client.user().isEmpty()) {
      loginAgain(); // a hostile NOT_LOGGED_IN ended the session, as a real one may
    }
    wire.take();
    CompletableFuture<ChatMessage> send = client.send(UserName.of("bob"), "are you still there?");
    client.loop().runOnce(0);
    List<RecordingTransport.Sent> sent = wire.take();
    long id = -1;
    for (RecordingTransport.Sent s : sent) {
      if ((s.bytes()[3] & 0xff) == FrameType.SEND.code()) {
        id = HeaderFlyweight.requestId(ByteBuffer.wrap(s.bytes()));
      }
    }
    assertThat(id).as("the client sent its SEND").isNotEqualTo(-1);
    deliver(new Frame.OkSend(id, 4242, 1_767_225_600_000L));
    assertThat(send).isCompleted();
    assertThat(send.join().id()).isEqualTo(4242);
  }

  private static void loginAgain() throws Exception {
    CompletableFuture<Void> login = client.login(UserName.of("dave"), "correct horse battery");
    client.loop().runOnce(0);
    long id = -1;
    for (RecordingTransport.Sent s : wire.take()) {
      if ((s.bytes()[3] & 0xff) == FrameType.LOGIN.code()) {
        id = HeaderFlyweight.requestId(ByteBuffer.wrap(s.bytes()));
      }
    }
    deliver(new Frame.OkLogin(id, 0x0011_2233_4455_6677L, 0x1899_aabb_ccdd_eeffL, 20_000));
    assertThat(login).isCompleted();
  }

  private static void deliver(Frame frame) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(1300);
    CODEC.encode(frame, b);
    byte[] bytes = new byte[b.flip().remaining()];
    b.get(bytes);
    wire.deliver(bytes, SERVER);
    client.loop().runOnce(0);
  }
}
