package org.p2pchat.benchmarks;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.UserName;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.protocol.codec.internal.CredentialsFlyweight;
import org.p2pchat.protocol.codec.internal.EmptyOkFlyweight;
import org.p2pchat.protocol.codec.internal.ErrorFlyweight;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.HistoryFlyweight;
import org.p2pchat.protocol.codec.internal.HistoryOkFlyweight;
import org.p2pchat.protocol.codec.internal.LoginOkFlyweight;
import org.p2pchat.protocol.codec.internal.MarkReadFlyweight;
import org.p2pchat.protocol.codec.internal.PushMessageFlyweight;
import org.p2pchat.protocol.codec.internal.PushStateFlyweight;
import org.p2pchat.protocol.codec.internal.SendFlyweight;
import org.p2pchat.protocol.codec.internal.SendOkFlyweight;
import org.p2pchat.protocol.codec.internal.TokenFlyweight;

/**
 * Encode and decode of every frame type (the four OK shapes separately). Encode writes the frame
 * from its field values into a reused buffer; decode wraps the flyweight (which validates the
 * whole frame) and reads every field, strings included, as a receiver does.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar FrameCodecBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class FrameCodecBenchmark {
  private static final long ID = SendCodecBenchmark.REQUEST_ID;
  private static final long HI = SendCodecBenchmark.TOKEN_HI;
  private static final long LO = SendCodecBenchmark.TOKEN_LO;
  private static final String NAME = "recipient1";
  private static final String PASSWORD = "correct horse battery staple";
  private static final String BODY = SendCodecBenchmark.BODY;
  private static final long[] MESSAGE_IDS = {101, 102, 103, 104, 105, 106, 107, 108};

  /** The frame type; OK comes in the shapes of its replies. */
  @Param({"REGISTER", "LOGIN", "LOGOUT", "SEND", "HISTORY", "PING", "MARK_READ", "PUSH_ACK",
      "OK_EMPTY", "OK_LOGIN", "OK_SEND", "OK_HISTORY", "ERROR", "PUSH_MESSAGE", "PUSH_STATE"})
  public String type;

  private final ByteBuffer encodeBuffer = ByteBuffer.allocate(1500);
  private final ByteBuffer frame = ByteBuffer.allocate(1500);
  private final CredentialsFlyweight register = new CredentialsFlyweight(FrameType.REGISTER);
  private final CredentialsFlyweight login = new CredentialsFlyweight(FrameType.LOGIN);
  private final TokenFlyweight logout = new TokenFlyweight(FrameType.LOGOUT);
  private final SendFlyweight send = new SendFlyweight();
  private final HistoryFlyweight history = new HistoryFlyweight();
  private final TokenFlyweight ping = new TokenFlyweight(FrameType.PING);
  private final MarkReadFlyweight markRead = new MarkReadFlyweight();
  private final TokenFlyweight pushAck = new TokenFlyweight(FrameType.PUSH_ACK);
  private final EmptyOkFlyweight emptyOk = new EmptyOkFlyweight();
  private final LoginOkFlyweight loginOk = new LoginOkFlyweight();
  private final SendOkFlyweight sendOk = new SendOkFlyweight();
  private final HistoryOkFlyweight historyOk = new HistoryOkFlyweight();
  private final ErrorFlyweight error = new ErrorFlyweight();
  private final PushMessageFlyweight pushMessage = new PushMessageFlyweight();
  private final PushStateFlyweight pushState = new PushStateFlyweight();
  private final ChatMessage[] page = new ChatMessage[8];

  /** Builds the history page and encodes one frame of the type for the decode benchmark. */
  @Setup
  public void setUp() {
    for (int i = 0; i < page.length; i++) {
      page[i] = ChatMessage.builder().id(1000 + i).sender(UserName.of("sender1"))
          .recipient(UserName.of(NAME)).body(BODY).sentAt(Instant.ofEpochMilli(1_700_000_000_000L + i))
          .build();
    }
    encode(frame);
    frame.flip();
  }

  /** Writes one frame. */
  @Benchmark
  public int encode() {
    encodeBuffer.clear();
    return encode(encodeBuffer);
  }

  /** Validates one frame and reads all its fields. */
  @Benchmark
  public void decode(Blackhole bh) throws DecodeException {
    switch (type) {
      case "REGISTER":
        register.wrap(frame);
        bh.consume(register.requestId());
        bh.consume(register.name());
        bh.consume(register.password());
        break;
      case "LOGIN":
        login.wrap(frame);
        bh.consume(login.requestId());
        bh.consume(login.name());
        bh.consume(login.password());
        break;
      case "LOGOUT":
        logout.wrap(frame);
        bh.consume(logout.requestId());
        bh.consume(logout.tokenHi());
        bh.consume(logout.tokenLo());
        break;
      case "SEND":
        send.wrap(frame);
        bh.consume(send.requestId());
        bh.consume(send.tokenHi());
        bh.consume(send.tokenLo());
        bh.consume(send.recipient());
        bh.consume(send.body());
        break;
      case "HISTORY":
        history.wrap(frame);
        bh.consume(history.requestId());
        bh.consume(history.tokenHi());
        bh.consume(history.tokenLo());
        bh.consume(history.peer());
        bh.consume(history.unreadOnly());
        bh.consume(history.after());
        bh.consume(history.cursor());
        bh.consume(history.pageLimit());
        break;
      case "PING":
        ping.wrap(frame);
        bh.consume(ping.requestId());
        bh.consume(ping.tokenHi());
        bh.consume(ping.tokenLo());
        break;
      case "MARK_READ":
        markRead.wrap(frame);
        bh.consume(markRead.requestId());
        bh.consume(markRead.tokenHi());
        bh.consume(markRead.tokenLo());
        for (int i = 0; i < markRead.count(); i++) {
          bh.consume(markRead.messageId(i));
        }
        break;
      case "PUSH_ACK":
        pushAck.wrap(frame);
        bh.consume(pushAck.requestId());
        bh.consume(pushAck.tokenHi());
        bh.consume(pushAck.tokenLo());
        break;
      case "OK_EMPTY":
        emptyOk.wrap(frame);
        bh.consume(emptyOk.requestId());
        bh.consume(emptyOk.inReplyTo());
        break;
      case "OK_LOGIN":
        loginOk.wrap(frame);
        bh.consume(loginOk.requestId());
        bh.consume(loginOk.tokenHi());
        bh.consume(loginOk.tokenLo());
        bh.consume(loginOk.keepaliveMillis());
        break;
      case "OK_SEND":
        sendOk.wrap(frame);
        bh.consume(sendOk.requestId());
        bh.consume(sendOk.messageId());
        bh.consume(sendOk.sentAtMillis());
        break;
      case "OK_HISTORY":
        historyOk.wrap(frame);
        bh.consume(historyOk.requestId());
        bh.consume(historyOk.nextCursor());
        for (int i = 0; i < historyOk.count(); i++) {
          bh.consume(historyOk.message(i));
        }
        break;
      case "ERROR":
        error.wrap(frame);
        bh.consume(error.requestId());
        bh.consume(error.errorCode());
        bh.consume(error.retryAfterMillis());
        for (int i = 0; i < error.versionCount(); i++) {
          bh.consume(error.version(i));
        }
        break;
      case "PUSH_MESSAGE":
        pushMessage.wrap(frame);
        bh.consume(pushMessage.requestId());
        bh.consume(pushMessage.messageId());
        bh.consume(pushMessage.sentAtMillis());
        bh.consume(pushMessage.sender());
        bh.consume(pushMessage.body());
        break;
      case "PUSH_STATE":
        pushState.wrap(frame);
        bh.consume(pushState.requestId());
        bh.consume(pushState.messageId());
        bh.consume(pushState.state());
        bh.consume(pushState.recipient());
        break;
      default:
        throw new IllegalStateException("unknown frame type " + type);
    }
  }

  private int encode(ByteBuffer dst) {
    switch (type) {
      case "REGISTER": return register.encode(dst, ID).name(NAME).password(PASSWORD).finish();
      case "LOGIN": return login.encode(dst, ID).name(NAME).password(PASSWORD).finish();
      case "LOGOUT": return logout.encode(dst, ID).token(HI, LO).finish();
      case "SEND": return send.encode(dst, ID).token(HI, LO).recipient(NAME).body(BODY).finish();
      case "HISTORY":
        return history.encode(dst, ID).token(HI, LO).peer(NAME).query(false, false, 5000, 20).finish();
      case "PING": return ping.encode(dst, ID).token(HI, LO).finish();
      case "MARK_READ": return encodeMarkRead(dst);
      case "PUSH_ACK": return pushAck.encode(dst, ID).token(HI, LO).finish();
      case "OK_EMPTY": return emptyOk.encode(dst, ID).inReplyTo(FrameType.PING).finish();
      case "OK_LOGIN":
        return loginOk.encode(dst, ID).inReplyTo(FrameType.LOGIN).session(HI, LO, 25_000).finish();
      case "OK_SEND":
        return sendOk.encode(dst, ID).inReplyTo(FrameType.SEND).stored(4242, 1_700_000_000_000L).finish();
      case "OK_HISTORY": return encodePage(dst);
      case "ERROR": return error.encode(dst, ID).error(ErrorCode.SERVER_BUSY, 100).finish();
      case "PUSH_MESSAGE":
        return pushMessage.encode(dst, ID).message(4242, 1_700_000_000_000L).sender(NAME).body(BODY).finish();
      case "PUSH_STATE": return pushState.encode(dst, ID).state(4242, 2).recipient(NAME).finish();
      default: throw new IllegalStateException("unknown frame type " + type);
    }
  }

  private int encodeMarkRead(ByteBuffer dst) {
    markRead.encode(dst, ID).token(HI, LO);
    for (long id : MESSAGE_IDS) {
      markRead.addMessageId(id);
    }
    return markRead.finish();
  }

  /** A page of eight 100-byte messages. */
  private int encodePage(ByteBuffer dst) {
    historyOk.encode(dst, ID).inReplyTo(FrameType.HISTORY);
    for (ChatMessage m : page) {
      historyOk.tryAdd(m);
    }
    return historyOk.nextCursor(999).finish();
  }
}
