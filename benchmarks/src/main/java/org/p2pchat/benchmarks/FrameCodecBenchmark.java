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
import org.p2pchat.protocol.codec.ErrorDecoder;
import org.p2pchat.protocol.codec.ErrorEncoder;
import org.p2pchat.protocol.codec.HistoryDecoder;
import org.p2pchat.protocol.codec.HistoryEncoder;
import org.p2pchat.protocol.codec.HistoryOkEncoder;
import org.p2pchat.protocol.codec.LoginDecoder;
import org.p2pchat.protocol.codec.LoginEncoder;
import org.p2pchat.protocol.codec.LogoutDecoder;
import org.p2pchat.protocol.codec.LogoutEncoder;
import org.p2pchat.protocol.codec.MarkReadDecoder;
import org.p2pchat.protocol.codec.MarkReadEncoder;
import org.p2pchat.protocol.codec.OkDecoder;
import org.p2pchat.protocol.codec.OkEncoder;
import org.p2pchat.protocol.codec.PingDecoder;
import org.p2pchat.protocol.codec.PingEncoder;
import org.p2pchat.protocol.codec.PushAckDecoder;
import org.p2pchat.protocol.codec.PushAckEncoder;
import org.p2pchat.protocol.codec.PushMessageDecoder;
import org.p2pchat.protocol.codec.PushMessageEncoder;
import org.p2pchat.protocol.codec.PushStateDecoder;
import org.p2pchat.protocol.codec.PushStateEncoder;
import org.p2pchat.protocol.codec.RegisterDecoder;
import org.p2pchat.protocol.codec.RegisterEncoder;
import org.p2pchat.protocol.codec.SendDecoder;
import org.p2pchat.protocol.codec.SendEncoder;

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
  private final RegisterDecoder register = new RegisterDecoder();
  private final LoginDecoder login = new LoginDecoder();
  private final LogoutDecoder logout = new LogoutDecoder();
  private final SendDecoder send = new SendDecoder();
  private final HistoryDecoder history = new HistoryDecoder();
  private final PingDecoder ping = new PingDecoder();
  private final MarkReadDecoder markRead = new MarkReadDecoder();
  private final PushAckDecoder pushAck = new PushAckDecoder();
  private final OkDecoder ok = new OkDecoder();
  private final ErrorDecoder error = new ErrorDecoder();
  private final PushMessageDecoder pushMessage = new PushMessageDecoder();
  private final PushStateDecoder pushState = new PushStateDecoder();
  private final HistoryOkEncoder historyOk = new HistoryOkEncoder();
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
        bh.consume(history.limit());
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
        ok.wrap(frame);
        bh.consume(ok.requestId());
        bh.consume(ok.inReplyTo());
        break;
      case "OK_LOGIN":
        ok.wrap(frame);
        bh.consume(ok.requestId());
        bh.consume(ok.tokenHi());
        bh.consume(ok.tokenLo());
        bh.consume(ok.keepaliveMillis());
        break;
      case "OK_SEND":
        ok.wrap(frame);
        bh.consume(ok.requestId());
        bh.consume(ok.messageId());
        bh.consume(ok.sentAtMillis());
        break;
      case "OK_HISTORY":
        ok.wrap(frame);
        bh.consume(ok.requestId());
        bh.consume(ok.nextCursor());
        for (int i = 0; i < ok.count(); i++) {
          bh.consume(ok.message(i));
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
      case "REGISTER": return RegisterEncoder.encode(dst, ID, NAME, PASSWORD);
      case "LOGIN": return LoginEncoder.encode(dst, ID, NAME, PASSWORD);
      case "LOGOUT": return LogoutEncoder.encode(dst, ID, HI, LO);
      case "SEND": return SendEncoder.encode(dst, ID, HI, LO, NAME, BODY);
      case "HISTORY": return HistoryEncoder.encode(dst, ID, HI, LO, NAME, false, false, 5000, 20);
      case "PING": return PingEncoder.encode(dst, ID, HI, LO);
      case "MARK_READ": return MarkReadEncoder.encode(dst, ID, HI, LO, MESSAGE_IDS, MESSAGE_IDS.length);
      case "PUSH_ACK": return PushAckEncoder.encode(dst, ID, HI, LO);
      case "OK_EMPTY": return OkEncoder.encodeEmpty(dst, ID, 0x06);
      case "OK_LOGIN": return OkEncoder.encodeLogin(dst, ID, HI, LO, 25_000);
      case "OK_SEND": return OkEncoder.encodeSend(dst, ID, 4242, 1_700_000_000_000L);
      case "OK_HISTORY": return encodePage(dst);
      case "ERROR": return ErrorEncoder.encode(dst, ID, ErrorCode.SERVER_BUSY.code(), 100);
      case "PUSH_MESSAGE": return PushMessageEncoder.encode(dst, ID, 4242, 1_700_000_000_000L, NAME, BODY);
      case "PUSH_STATE": return PushStateEncoder.encode(dst, ID, 4242, 2, NAME);
      default: throw new IllegalStateException("unknown frame type " + type);
    }
  }

  /** A page of eight 100-byte messages. */
  private int encodePage(ByteBuffer dst) {
    historyOk.wrap(dst, ID);
    for (ChatMessage m : page) {
      historyOk.tryAdd(m);
    }
    historyOk.nextCursor(999);
    return historyOk.finish();
  }
}
