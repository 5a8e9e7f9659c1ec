package org.p2pchat.protocol.codec.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.HistoryPage;
import org.p2pchat.api.UserName;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.protocol.codec.Frame;
import org.p2pchat.protocol.codec.FrameCodec;
import org.p2pchat.protocol.codec.Vectors;

/**
 * The fluent encoders and the flyweights' {@code wrap} allocate nothing per frame. Measured with
 * the JDK's per-thread allocation counter, reached by reflection because this module does not
 * read the management modules. The JDKs this project builds on have the counter: without it
 * the test fails rather than skip, since a skipped test proves nothing.
 */
class AllocationTest {
  private static final int ROUNDS = 20_000;
  private static final String BODY = "hello w\u00f6rld \u20ac \uD83D\uDE00, a message of some length";

  private static Object threadBean;
  private static Method allocatedBytes;

  @BeforeAll
  static void findAllocationCounter() throws ReflectiveOperationException {
    threadBean = Class.forName("java.lang.management.ManagementFactory")
        .getMethod("getThreadMXBean").invoke(null);
    allocatedBytes = Class.forName("com.sun.management.ThreadMXBean")
        .getMethod("getCurrentThreadAllocatedBytes");
    // -1 when the JVM supports the counter but has it switched off: measuring would then pass
    // whatever the code allocates.
    assertThat((long) allocatedBytes.invoke(threadBean))
        .as("the per-thread allocation counter").isPositive();
  }

  private static ChatMessage message(long id) {
    return ChatMessage.builder().id(id).sentAt(Instant.ofEpochMilli(5))
        .sender(UserName.of("alice")).recipient(UserName.of("bob")).body(BODY).build();
  }

  @FunctionalInterface
  interface Op {
    void run() throws Exception;
  }

  private static double bytesPerOp(Op op) throws Exception {
    op.run(); // first use loads classes
    long before = (long) allocatedBytes.invoke(threadBean);
    for (int i = 0; i < ROUNDS; i++) {
      op.run();
    }
    long after = (long) allocatedBytes.invoke(threadBean);
    return (after - before) / (double) ROUNDS;
  }

  @Test
  void theCounterSeesAnAllocation() throws Exception {
    // The measurement below can fail: 16 bytes or more per round are counted.
    Object[] sink = new Object[1];
    assertThat(bytesPerOp(() -> sink[0] = new long[2])).isGreaterThanOrEqualTo(16);
  }

  @Test
  void fluentEncodersWriteEveryLayoutWithoutAllocating() throws Exception {
    ByteBuffer dst = ByteBuffer.allocateDirect(1200);
    ByteBuffer heap = ByteBuffer.allocate(1200);
    ChatMessage m = message(42);
    HistoryPage page = HistoryPage.of(List.of(m, message(43)), OptionalLong.of(41));
    CredentialsFlyweight register = new CredentialsFlyweight(FrameType.REGISTER);
    CredentialsFlyweight login = new CredentialsFlyweight(FrameType.LOGIN);
    TokenFlyweight logout = new TokenFlyweight(FrameType.LOGOUT);
    TokenFlyweight ping = new TokenFlyweight(FrameType.PING);
    TokenFlyweight pushAck = new TokenFlyweight(FrameType.PUSH_ACK);
    SendFlyweight send = new SendFlyweight();
    HistoryFlyweight history = new HistoryFlyweight();
    MarkReadFlyweight markRead = new MarkReadFlyweight();
    EmptyOkFlyweight emptyOk = new EmptyOkFlyweight();
    LoginOkFlyweight loginOk = new LoginOkFlyweight();
    SendOkFlyweight sendOk = new SendOkFlyweight();
    HistoryOkFlyweight historyOk = new HistoryOkFlyweight();
    ErrorFlyweight error = new ErrorFlyweight();
    PushMessageFlyweight pushMessage = new PushMessageFlyweight();
    PushStateFlyweight pushState = new PushStateFlyweight();
    DeviceLoginFlyweight loginDevice = new DeviceLoginFlyweight();
    ResumeFlyweight resume = new ResumeFlyweight();
    RevokeDeviceFlyweight revoke = new RevokeDeviceFlyweight();
    SendKeyedFlyweight sendKeyed = new SendKeyedFlyweight();
    DeviceLoginOkFlyweight deviceLoginOk = new DeviceLoginOkFlyweight();
    DevicesOkFlyweight devicesOk = new DevicesOkFlyweight();
    AccountDeleteFlyweight accountDelete = new AccountDeleteFlyweight();
    AccountOkFlyweight accountOk = new AccountOkFlyweight();
    byte[] secret = new byte[32];
    SendPartFlyweight sendPart = new SendPartFlyweight();
    SendPartOkFlyweight sendPartOk = new SendPartOkFlyweight();
    MessagePartFlyweight messagePart = new MessagePartFlyweight();
    MessagePartOkFlyweight messagePartOk = new MessagePartOkFlyweight();
    LongHistoryOkFlyweight longHistoryOk = new LongHistoryOkFlyweight();
    PushLongMessageFlyweight pushLong = new PushLongMessageFlyweight();
    byte[] part = new byte[1000];
    org.p2pchat.protocol.codec.Frame.LongEntry stub = new org.p2pchat.protocol.codec.Frame.LongEntry(43, 5, 1,
        "alice", "bob", 65_536, null);
    org.p2pchat.protocol.codec.Frame.LongEntry whole = org.p2pchat.protocol.codec.Frame.LongEntry.of(m);

    // Measured one by one, so that a failure names the encoder that allocates.
    Map<String, Op> encoders = new LinkedHashMap<>();
    encoders.put("REGISTER", () -> register.encode(dst.clear(), 1).name("alice")
        .password("correct horse").finish());
    encoders.put("LOGIN, heap, non-ASCII", () -> login.encode(heap.clear(), 1).name("alice")
        .password("correct h\u00f6rse").finish());
    encoders.put("LOGOUT", () -> logout.encode(dst.clear(), 1).token(2, 3).finish());
    encoders.put("PING", () -> ping.encode(dst.clear(), 1).token(2, 3).finish());
    encoders.put("PUSH_ACK", () -> pushAck.encode(dst.clear(), 1).token(2, 3).finish());
    encoders.put("SEND", () -> send.encode(dst.clear(), 1).token(2, 3).recipient("bob")
        .body(BODY).finish());
    encoders.put("SEND, heap, ASCII", () -> send.encode(heap.clear(), 1).token(2, 3)
        .recipient("bob").body("all ASCII, copied").finish());
    encoders.put("HISTORY", () -> history.encode(dst.clear(), 1).token(2, 3).peer("bob")
        .query(true, true, 4, 50).finish());
    encoders.put("HISTORY of all peers", () -> history.encode(dst.clear(), 1).token(2, 3)
        .peer(null).query(false, false, 0, 1).finish());
    encoders.put("MARK_READ", () -> markRead.encode(dst.clear(), 1).token(2, 3).addMessageId(1L)
        .addMessageId(2L).addMessageId(3L).finish());
    encoders.put("OK", () -> emptyOk.encode(dst.clear(), 1).inReplyTo(FrameType.PING).finish());
    encoders.put("OK to LOGIN", () -> loginOk.encode(dst.clear(), 1).inReplyTo(FrameType.LOGIN)
        .session(2, 3, 20_000).finish());
    encoders.put("OK to SEND", () -> sendOk.encode(dst.clear(), 1).inReplyTo(FrameType.SEND)
        .stored(42, 5).finish());
    encoders.put("OK to HISTORY, entry by entry", () -> {
      historyOk.encode(dst.clear(), 1).inReplyTo(FrameType.HISTORY);
      historyOk.tryAdd(m);
      historyOk.tryAdd(m);
      historyOk.nextCursor(9).finish();
    });
    encoders.put("OK to HISTORY, a page", () -> historyOk.encode(dst.clear(), 1)
        .inReplyTo(FrameType.HISTORY).page(page, true).finish());
    encoders.put("ERROR", () -> error.encode(dst.clear(), 1)
        .error(ErrorCode.UNSUPPORTED_VERSION, 0).addVersion(HeaderFlyweight.VERSION).finish());
    encoders.put("PUSH_MESSAGE", () -> pushMessage.encode(dst.clear(), 1).message(42, 5)
        .sender("alice").body(BODY).finish());
    encoders.put("PUSH_STATE", () -> pushState.encode(dst.clear(), 1).state(42, 3)
        .recipient("bob").finish());
    encoders.put("LOGIN_DEVICE", () -> loginDevice.encode(dst.clear(), 1).name("alice")
        .password("correct horse").deviceName("phone").finish());
    encoders.put("RESUME", () -> resume.encode(dst.clear(), 1).credential(7, secret).finish());
    encoders.put("REVOKE_DEVICE", () -> revoke.encode(dst.clear(), 1).token(2, 3).deviceId(7).finish());
    encoders.put("SEND_KEYED", () -> sendKeyed.encode(dst.clear(), 1).token(2, 3).key(9)
        .recipient("bob").body(BODY).finish());
    encoders.put("OK to LOGIN_DEVICE", () -> deviceLoginOk.encode(dst.clear(), 1)
        .inReplyTo(FrameType.LOGIN_DEVICE).session(2, 3, 20_000, 7, secret).finish());
    encoders.put("OK to DEVICES", () -> devicesOk.encode(dst.clear(), 1).inReplyTo(FrameType.DEVICES)
        .add(7, 5, 6, true, "phone").finish());
    encoders.put("ACCOUNT_DELETE", () -> accountDelete.encode(dst.clear(), 1).token(2, 3)
        .password("correct horse").finish());
    encoders.put("OK to ACCOUNT_INFO", () -> accountOk.encode(dst.clear(), 1).inReplyTo(FrameType.ACCOUNT_INFO)
        .account(5, "alice").finish());
    encoders.put("SEND_PART", () -> sendPart.encode(dst.clear(), 1).token(2, 3).key(9).recipient("bob")
        .part(65_536, 3, part, 0, 1000).finish());
    encoders.put("OK to SEND_PART", () -> sendPartOk.encode(dst.clear(), 1).inReplyTo(FrameType.SEND_PART)
        .stored(42, 5).finish());
    encoders.put("MESSAGE_PART", () -> messagePart.encode(dst.clear(), 1).token(2, 3).part(42, 3).finish());
    encoders.put("OK to MESSAGE_PART", () -> messagePartOk.encode(dst.clear(), 1).inReplyTo(FrameType.MESSAGE_PART)
        .part(42, 3, part, 0, 1000).finish());
    encoders.put("OK to HISTORY_LONG, entry by entry", () -> {
      longHistoryOk.encode(dst.clear(), 1).inReplyTo(FrameType.HISTORY_LONG);
      longHistoryOk.tryAdd(whole);
      longHistoryOk.tryAdd(stub);
      longHistoryOk.nextCursor(9).finish();
    });
    encoders.put("PUSH_LONG_MESSAGE", () -> pushLong.encode(dst.clear(), 1).message(42, 5, "alice", 65_536).finish());

    FeaturesFlyweight features = new FeaturesFlyweight();
    PushAcksFlyweight pushAcks = new PushAcksFlyweight();
    PushStatesFlyweight pushStates = new PushStatesFlyweight();
    encoders.put("FEATURES", () -> features.encode(dst.clear(), 1).token(2, 3).features(1).finish());
    encoders.put("PUSH_ACKS", () -> pushAcks.encode(dst.clear(), 0).token(2, 3).addPushId(7).addPushId(8).finish());
    encoders.put("PUSH_STATES", () -> pushStates.encode(dst.clear(), 1).addState(42, 2, "bob").addState(43, 3, "carol")
        .finish());

    // Peer to peer: the candidates' addresses are copied out of InetAddress (which allocates),
    // so the relay-only offer is the one measured; introductions are rare, relayed packets not.
    PeerConnectFlyweight peerConnect = new PeerConnectFlyweight();
    PushPeerFlyweight pushPeer = new PushPeerFlyweight();
    RelayFlyweight relay = new RelayFlyweight();
    RelayedFlyweight relayed = new RelayedFlyweight();
    byte[] key = new byte[32];
    ByteBuffer packet = ByteBuffer.wrap(new byte[] {0x14, 1, 2, 3});
    List<java.net.InetSocketAddress> none = List.of();
    encoders.put("PEER_CONNECT", () -> peerConnect.encode(dst.clear(), 1).token(2, 3)
        .connect(0, "bob", key, false, none).finish());
    encoders.put("PUSH_PEER", () -> pushPeer.encode(dst.clear(), 1).peer(5, 2, "bob", 7, key, false, none).finish());
    encoders.put("RELAY", () -> relay.encode(dst.clear(), 0).token(2, 3).relay(5, packet).finish());
    encoders.put("RELAYED", () -> relayed.encode(dst.clear(), 0).relayed(5, packet, 0, 4).finish());

    Map<Class<?>, Op> roomEncoders = RoomEncoders.of(dst);
    roomEncoders.forEach((type, op) -> encoders.put(type.getSimpleName(), op));

    Map<String, Double> perFrame = new LinkedHashMap<>();
    for (Map.Entry<String, Op> e : encoders.entrySet()) {
      perFrame.put(e.getKey(), bytesPerOp(e.getValue()));
    }

    // HistoryPage.nextCursor() makes an OptionalLong per call (Immutables keeps the value
    // boxed), which page() reads once: that is the api's allocation, not the codec's.
    perFrame.merge("OK to HISTORY, a page", bytesPerOp(page::nextCursor), (a, b) -> a - b);

    assertThat(perFrame).allSatisfy((encoder, bytes) ->
        assertThat(bytes).as("bytes per frame of %s", encoder).isLessThan(1.0));
    // Every layout of the table was among them, so a new layout must join the list above.
    Set<Class<?>> encoded = new HashSet<>(Set.of(register.getClass(), logout.getClass(), send.getClass(),
        history.getClass(), markRead.getClass(), emptyOk.getClass(), loginOk.getClass(),
        sendOk.getClass(), historyOk.getClass(), error.getClass(), pushMessage.getClass(),
        pushState.getClass(), loginDevice.getClass(), resume.getClass(), revoke.getClass(),
        sendKeyed.getClass(), deviceLoginOk.getClass(), devicesOk.getClass(), accountDelete.getClass(),
        accountOk.getClass(), sendPart.getClass(), sendPartOk.getClass(), messagePart.getClass(),
        messagePartOk.getClass(), longHistoryOk.getClass(), pushLong.getClass(), features.getClass(),
        pushAcks.getClass(), pushStates.getClass(), peerConnect.getClass(), pushPeer.getClass(), relay.getClass(),
        relayed.getClass()));
    encoded.addAll(roomEncoders.keySet());
    Set<Class<?>> layouts = new HashSet<>();
    for (HeaderFlyweight<?> f : Layouts.newFlyweights()) {
      layouts.add(f.getClass());
    }
    assertThat(encoded).isEqualTo(layouts);
  }

  @Test
  void everyLayoutsFlyweightWrapsItsFramesWithoutAllocating() throws Exception {
    // One frame per vector and one long one, each wrapped by its layout's flyweight.
    List<ByteBuffer> frames = new ArrayList<>();
    for (byte[] v : Vectors.fromResource().values()) {
      ByteBuffer direct = ByteBuffer.allocateDirect(v.length).put(v).flip();
      frames.add(direct);
    }
    ByteBuffer send = ByteBuffer.allocateDirect(1200);
    new SendFlyweight().encode(send, 1).token(2, 3).recipient("bob").body(BODY).finish();
    frames.add(send.flip());
    ByteBuffer page = ByteBuffer.allocateDirect(1200);
    new FrameCodec().encode(new Frame.OkHistory(1, 9, List.of(message(42), message(43))), page);
    frames.add(page.flip());

    List<HeaderFlyweight<?>> flyweights = Layouts.newFlyweights();
    List<HeaderFlyweight<?>> wrapper = new ArrayList<>();
    Set<HeaderFlyweight<?>> used = new HashSet<>();
    for (ByteBuffer frame : frames) {
      HeaderFlyweight<?> match = null;
      for (HeaderFlyweight<?> f : flyweights) {
        try {
          f.wrap(frame);
          assertThat(match).as("one layout per frame").isNull();
          match = f;
        } catch (DecodeException notThisLayout) {
          // another layout's frame
        }
      }
      assertThat(match).as("the layout of a valid frame").isNotNull();
      wrapper.add(match);
      used.add(match);
    }
    assertThat(used).as("every layout has a frame").hasSameSizeAs(flyweights);

    double perRound = bytesPerOp(() -> {
      for (int i = 0; i < frames.size(); i++) {
        ByteBuffer frame = frames.get(i);
        wrapper.get(i).wrap(frame);
        HeaderFlyweight.readType(frame);
      }
    });

    assertThat(perRound).isLessThan(1.0);
  }
}
