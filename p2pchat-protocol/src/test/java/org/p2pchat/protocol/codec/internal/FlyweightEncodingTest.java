package org.p2pchat.protocol.codec.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.UserName;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.protocol.codec.Frame;
import org.p2pchat.protocol.codec.FrameCodec;
import org.p2pchat.protocol.codec.Vectors;

/**
 * The fluent encoders refuse values outside the protocol's limits: the setter that refuses
 * writes nothing, and the buffer's position moves only when {@code finish} ends a whole frame.
 */
class FlyweightEncodingTest {
  /** Where the frames start in their buffers: not at 0, so that offsets are seen to be relative. */
  private static final int START = 5;

  /** One call on a flyweight whose frame is under way. */
  record Step(HeaderFlyweight<?> flyweight, Runnable call) {}

  /** Runs the first steps of a frame into {@code dst} and returns the next, the one tested. */
  @FunctionalInterface
  interface UpTo {
    Step encode(ByteBuffer dst);
  }

  /** A whole frame, returning {@code finish()}'s length. */
  @FunctionalInterface
  interface Encode {
    int into(ByteBuffer dst);
  }

  private static <F extends HeaderFlyweight<F>> Step refuse(F flyweight, Consumer<F> step) {
    return new Step(flyweight, () -> step.accept(flyweight));
  }

  private static <F extends HeaderFlyweight<F>> Step then(F flyweight, Consumer<F> step) {
    return refuse(flyweight, step);
  }

  private static HistoryOkFlyweight historyOk(ByteBuffer d) {
    return new HistoryOkFlyweight().encode(d, 1).inReplyTo(FrameType.HISTORY);
  }

  private static CredentialsFlyweight register(ByteBuffer d) {
    return new CredentialsFlyweight(FrameType.REGISTER).encode(d, 1);
  }

  private static CredentialsFlyweight login(ByteBuffer d) {
    return new CredentialsFlyweight(FrameType.LOGIN).encode(d, 1);
  }

  private static SendFlyweight send(ByteBuffer d) {
    return new SendFlyweight().encode(d, 1).token(0, 0);
  }

  private static HistoryFlyweight history(ByteBuffer d) {
    return new HistoryFlyweight().encode(d, 1).token(0, 0).peer(null);
  }

  private static MarkReadFlyweight markRead(ByteBuffer d) {
    return new MarkReadFlyweight().encode(d, 1).token(0, 0);
  }

  private static ErrorFlyweight error(ByteBuffer d) {
    return new ErrorFlyweight().encode(d, 1);
  }

  private static PushMessageFlyweight pushMessage(ByteBuffer d) {
    return new PushMessageFlyweight().encode(d, 1);
  }

  private static PushStateFlyweight pushState(ByteBuffer d) {
    return new PushStateFlyweight().encode(d, 1);
  }

  static Stream<Arguments> valuesOutsideTheLimits() {
    String body1001 = "x".repeat(1001);
    String euro334 = "\u20ac".repeat(334); // 1002 bytes in 334 chars
    Class<?> iae = IllegalArgumentException.class;
    return Stream.of(
        Arguments.of("name of 2 characters", (UpTo) d -> refuse(register(d), f -> f.name("al")),
            iae),
        Arguments.of("name of 33 characters",
            (UpTo) d -> refuse(login(d), f -> f.name("a".repeat(33))), iae),
        Arguments.of("name starting with a digit",
            (UpTo) d -> refuse(send(d), f -> f.recipient("1bob")), iae),
        Arguments.of("name with a space", (UpTo) d -> refuse(send(d), f -> f.recipient("b ob")),
            iae),
        Arguments.of("non-ASCII name",
            (UpTo) d -> refuse(send(d), f -> f.recipient("b\u00f6b")), iae),
        Arguments.of("empty password",
            (UpTo) d -> refuse(register(d).name("alice"), f -> f.password("")), iae),
        Arguments.of("password of 129 bytes",
            (UpTo) d -> refuse(register(d).name("alice"), f -> f.password("p".repeat(129))), iae),
        Arguments.of("password with an unpaired surrogate",
            (UpTo) d -> refuse(login(d).name("alice"), f -> f.password("pw\uD83D")), iae),
        Arguments.of("empty body", (UpTo) d -> refuse(send(d).recipient("bob"), f -> f.body("")),
            iae),
        Arguments.of("body of 1001 bytes",
            (UpTo) d -> refuse(send(d).recipient("bob"), f -> f.body(body1001)), iae),
        Arguments.of("body of 1002 bytes in 334 characters",
            (UpTo) d -> refuse(pushMessage(d).message(1, 0).sender("bob"), f -> f.body(euro334)),
            iae),
        Arguments.of("unpaired high surrogate",
            (UpTo) d -> refuse(send(d).recipient("bob"), f -> f.body("a\uD83D")), iae),
        Arguments.of("unpaired low surrogate",
            (UpTo) d -> refuse(send(d).recipient("bob"), f -> f.body("\uDE00a")), iae),
        Arguments.of("history peer of 2 characters",
            (UpTo) d -> refuse(new HistoryFlyweight().encode(d, 1).token(0, 0),
                f -> f.peer("al")), iae),
        Arguments.of("history limit 0",
            (UpTo) d -> refuse(history(d), f -> f.query(false, false, 0, 0)), iae),
        Arguments.of("history limit 101",
            (UpTo) d -> refuse(history(d), f -> f.query(false, false, 0, 101)), iae),
        Arguments.of("negative history cursor",
            (UpTo) d -> refuse(history(d), f -> f.query(false, false, -1, 10)), iae),
        // The fluent MARK_READ counts its ids itself: none is a call out of order. (Its setter
        // takes a long: messageId(int) is the getter of the id at an index.)
        Arguments.of("mark-read of no id", (UpTo) d -> refuse(markRead(d), f -> f.finish()),
            IllegalStateException.class),
        Arguments.of("mark-read id 65", (UpTo) d -> {
          MarkReadFlyweight f = markRead(d);
          for (long id = 1; id <= 64; id++) {
            f.addMessageId(id);
          }
          return refuse(f, g -> g.addMessageId(65L));
        }, iae),
        Arguments.of("mark-read id 0",
            (UpTo) d -> refuse(markRead(d).addMessageId(1L), f -> f.addMessageId(0L)), iae),
        Arguments.of("mark-read id with the top bit set",
            (UpTo) d -> refuse(markRead(d), f -> f.addMessageId(Long.MIN_VALUE)), iae),
        Arguments.of("OK without payload to SEND",
            (UpTo) d -> refuse(new EmptyOkFlyweight().encode(d, 1),
                f -> f.inReplyTo(FrameType.SEND)), iae),
        Arguments.of("keepalive over 32 bits",
            (UpTo) d -> refuse(new LoginOkFlyweight().encode(d, 1).inReplyTo(FrameType.LOGIN),
                f -> f.session(0, 0, 1L << 32)), iae),
        Arguments.of("negative keepalive",
            (UpTo) d -> refuse(new LoginOkFlyweight().encode(d, 1).inReplyTo(FrameType.LOGIN),
                f -> f.session(0, 0, -1)), iae),
        Arguments.of("OK to SEND with message id 0",
            (UpTo) d -> refuse(new SendOkFlyweight().encode(d, 1).inReplyTo(FrameType.SEND),
                f -> f.stored(0, 0)), iae),
        Arguments.of("error code over 16 bits",
            (UpTo) d -> refuse(error(d), f -> f.error(65536, 0)), iae),
        Arguments.of("negative error code", (UpTo) d -> refuse(error(d), f -> f.error(-1, 0)),
            iae),
        Arguments.of("negative retry-after", (UpTo) d -> refuse(error(d), f -> f.error(8, -1)),
            iae),
        Arguments.of("version 256",
            (UpTo) d -> refuse(error(d).error(2, 0), f -> f.addVersion(256)), iae),
        Arguments.of("256th version", (UpTo) d -> {
          ErrorFlyweight f = error(d).error(2, 0);
          for (int i = 0; i < 255; i++) {
            f.addVersion(1);
          }
          return refuse(f, g -> g.addVersion(1));
        }, iae),
        Arguments.of("push of message id 0",
            (UpTo) d -> refuse(pushMessage(d), f -> f.message(0, 0)), iae),
        Arguments.of("pushed sender of 2 characters",
            (UpTo) d -> refuse(pushMessage(d).message(1, 0), f -> f.sender("al")), iae),
        Arguments.of("pushed state STORED", (UpTo) d -> refuse(pushState(d), f -> f.state(1, 1)),
            iae),
        Arguments.of("pushed message id with the top bit set",
            (UpTo) d -> refuse(pushState(d), f -> f.state(Long.MIN_VALUE, 2)), iae),
        Arguments.of("pushed recipient with a dot",
            (UpTo) d -> refuse(pushState(d).state(1, 2), f -> f.recipient("b.b")), iae));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valuesOutsideTheLimits")
  void valueOutsideTheProtocolLimitsIsRefusedUnwrittenAndThePositionStays(String what, UpTo upTo,
      Class<? extends Throwable> refusal) {
    ByteBuffer dst = ByteBuffer.allocate(1200).position(START);
    Runnable refusedStep = upTo.encode(dst).call();
    byte[] before = dst.array().clone();

    assertThatThrownBy(refusedStep::run).as(what).isInstanceOf(refusal);
    assertThat(dst.array()).as("bytes after the refused step").isEqualTo(before);
    assertThat(dst.position()).isEqualTo(START);
  }

  @Test
  void aRefusedPasswordIsNeverInTheMessage() {
    for (String password : List.of("s3cret\uD83D", "s3cret".repeat(30))) {
      CredentialsFlyweight f = login(ByteBuffer.allocate(1200)).name("alice");

      assertThatThrownBy(() -> f.password(password)).isInstanceOf(IllegalArgumentException.class)
          .message().doesNotContain("s3cret");
    }
  }

  @Test
  void everyOkLayoutRefusesToAnswerARequestOfAnotherLayoutAndWritesNothing() {
    int refused = 0;
    for (FrameType.Answer layout : FrameType.Answer.values()) {
      if (layout.mapping() == null) {
        continue;
      }
      OkFlyweight<?> ok = (OkFlyweight<?>) layout.mapping().newFlyweight();
      for (FrameType request : FrameType.values()) {
        ByteBuffer dst = ByteBuffer.allocate(1200).position(START);
        ok.encode(dst, 1);
        if (request.answer() == layout) {
          ok.inReplyTo(request);
          assertThat(dst.get(START + OkFlyweight.IN_REPLY_TO_OFFSET)).isEqualTo(
              (byte) request.code());
          continue;
        }
        byte[] before = dst.array().clone();
        assertThatThrownBy(() -> ok.inReplyTo(request)).as("%s OK to %s", layout, request)
            .isInstanceOf(IllegalArgumentException.class);
        assertThat(dst.array()).isEqualTo(before);
        assertThat(dst.position()).isEqualTo(START);
        refused++;
      }
    }
    assertThat(refused).isPositive();
  }

  static Stream<Arguments> settersThatWrite() {
    ChatMessage m = ChatMessage.builder().id(42).sentAt(Instant.ofEpochMilli(5))
        .sender(UserName.of("alice")).recipient(UserName.of("bob")).body("h\u00e9llo").build();
    return Stream.of(
        Arguments.of("token", (UpTo) d -> then(new SendFlyweight().encode(d, 1),
            f -> f.token(2, 3))),
        Arguments.of("name", (UpTo) d -> then(register(d), f -> f.name("alice"))),
        Arguments.of("password", (UpTo) d -> then(register(d).name("alice"),
            f -> f.password("p\u00e4ss"))),
        Arguments.of("padding", (UpTo) d -> then(register(d).name("alice").password("pw"),
            f -> f.finish())),
        Arguments.of("recipient", (UpTo) d -> then(send(d), f -> f.recipient("bob"))),
        Arguments.of("body", (UpTo) d -> then(send(d).recipient("bob"), f -> f.body("h\u00e9"))),
        Arguments.of("peer of all", (UpTo) d -> then(new HistoryFlyweight().encode(d, 1)
            .token(0, 0), f -> f.peer(null))),
        Arguments.of("peer", (UpTo) d -> then(new HistoryFlyweight().encode(d, 1).token(0, 0),
            f -> f.peer("bob"))),
        Arguments.of("query", (UpTo) d -> then(history(d), f -> f.query(true, true, 5, 10))),
        Arguments.of("first message id", (UpTo) d -> then(markRead(d), f -> f.addMessageId(1L))),
        Arguments.of("second message id", (UpTo) d -> then(markRead(d).addMessageId(1L),
            f -> f.addMessageId(2L))),
        Arguments.of("in-reply-to of OK", (UpTo) d -> then(new EmptyOkFlyweight().encode(d, 1),
            f -> f.inReplyTo(FrameType.PING))),
        Arguments.of("in-reply-to of OK to HISTORY", (UpTo) d -> then(
            new HistoryOkFlyweight().encode(d, 1), f -> f.inReplyTo(FrameType.HISTORY))),
        Arguments.of("session", (UpTo) d -> then(new LoginOkFlyweight().encode(d, 1)
            .inReplyTo(FrameType.LOGIN), f -> f.session(2, 3, 20_000))),
        Arguments.of("stored", (UpTo) d -> then(new SendOkFlyweight().encode(d, 1)
            .inReplyTo(FrameType.SEND), f -> f.stored(42, 5))),
        Arguments.of("history entry", (UpTo) d -> then(historyOk(d), f -> f.tryAdd(m))),
        Arguments.of("second history entry", (UpTo) d -> {
          HistoryOkFlyweight f = historyOk(d);
          f.tryAdd(m);
          return then(f, g -> g.tryAdd(m));
        }),
        Arguments.of("error", (UpTo) d -> then(error(d), f -> f.error(8, 1500))),
        Arguments.of("version", (UpTo) d -> then(error(d).error(2, 0), f -> f.addVersion(1))),
        Arguments.of("pushed message", (UpTo) d -> then(pushMessage(d), f -> f.message(42, 5))),
        Arguments.of("sender", (UpTo) d -> then(pushMessage(d).message(42, 5),
            f -> f.sender("alice"))),
        Arguments.of("pushed body", (UpTo) d -> then(pushMessage(d).message(42, 5)
            .sender("alice"), f -> f.body("hello"))),
        Arguments.of("pushed state", (UpTo) d -> then(pushState(d), f -> f.state(42, 3))),
        Arguments.of("pushed recipient", (UpTo) d -> then(pushState(d).state(42, 3),
            f -> f.recipient("bob"))));
  }

  /**
   * Each setter checks its room before it writes: given any room short of what it needs, it
   * throws BufferOverflowException, leaves every byte and the position as they were, and the
   * frame can go on once there is room.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("settersThatWrite")
  void aSetterWithTooLittleRoomOverflowsBeforeWritingAByte(String what, UpTo upTo) {
    Step probe = upTo.encode(ByteBuffer.allocate(1200).position(START));
    int before = probe.flyweight().length();
    probe.call().run();
    int after = probe.flyweight().length();
    assertThat(after).as("the setter writes").isGreaterThan(before);

    for (int room = before; room < after; room++) {
      ByteBuffer dst = ByteBuffer.allocate(1200).position(START);
      Step step = upTo.encode(dst);
      dst.limit(START + room);
      byte[] bytes = dst.array().clone();

      assertThatThrownBy(step.call()::run).as("%s with room for %d bytes", what, room)
          .isInstanceOf(BufferOverflowException.class);
      assertThat(dst.array()).as("%s with room for %d bytes", what, room).isEqualTo(bytes);
      assertThat(dst.position()).isEqualTo(START);
      assertThat(step.flyweight().length()).isEqualTo(before);

      dst.limit(dst.capacity());
      step.call().run();
      assertThat(step.flyweight().length()).isEqualTo(after);
    }
  }

  static Stream<Arguments> validFrames() {
    return Stream.of(
        Arguments.of("register", (Encode) d -> register(d).name("alice").password("pw").finish()),
        Arguments.of("send",
            (Encode) d -> send(d).recipient("bob").body("h\u00e9llo \uD83D\uDE00").finish()),
        Arguments.of("history", (Encode) d -> new HistoryFlyweight().encode(d, 1).token(0, 0)
            .peer("bob").query(true, false, 5, 10).finish()),
        Arguments.of("mark-read",
            (Encode) d -> markRead(d).addMessageId(1L).addMessageId(2L).addMessageId(3L).finish()),
        Arguments.of("ping",
            (Encode) d -> new TokenFlyweight(FrameType.PING).encode(d, 1).token(2, 3).finish()),
        Arguments.of("ok-login", (Encode) d -> new LoginOkFlyweight().encode(d, 1)
            .inReplyTo(FrameType.LOGIN).session(2, 3, 20_000).finish()),
        Arguments.of("error", (Encode) d -> error(d).error(ErrorCode.UNSUPPORTED_VERSION, 0)
            .addVersion(HeaderFlyweight.VERSION).finish()),
        Arguments.of("push-state",
            (Encode) d -> pushState(d).state(1, 3).recipient("bob").finish()));
  }

  /**
   * Every vector's frame too, each through its layout's mapping: so a new layout is covered
   * without being listed here.
   */
  static Stream<Arguments> everyVectorsFrame() throws DecodeException {
    FrameCodec codec = new FrameCodec();
    List<Arguments> all = new ArrayList<>();
    for (Map.Entry<String, byte[]> v : Vectors.fromResource().entrySet()) {
      Frame frame = codec.decode(ByteBuffer.wrap(v.getValue()));
      all.add(Arguments.of("vector " + v.getKey(), (Encode) d -> codec.encode(frame, d)));
    }
    return Stream.concat(validFrames(), all.stream());
  }

  /**
   * A frame that overflows its buffer leaves the position where it was and nothing before it
   * changed. (What the setters that fitted wrote lies beyond the position, where a flyweight
   * writes its frame in progress: each setter alone writes nothing when it lacks room, above.)
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("everyVectorsFrame")
  void aBufferOneByteTooSmallOverflowsAndThePositionStays(String what, Encode encode) {
    ByteBuffer roomy = ByteBuffer.allocate(1200).position(START);
    int length = encode.into(roomy);
    byte[] frame = Arrays.copyOfRange(roomy.array(), START, START + length);
    ByteBuffer tight = ByteBuffer.allocate(START + length - 1).position(START);

    assertThatThrownBy(() -> encode.into(tight)).as(what)
        .isInstanceOf(BufferOverflowException.class);
    assertThat(tight.position()).isEqualTo(START);
    assertThat(Arrays.copyOf(tight.array(), START)).containsOnly(0);

    ByteBuffer exact = ByteBuffer.allocate(START + length).position(START);
    assertThat(encode.into(exact)).isEqualTo(length);
    assertThat(exact.hasRemaining()).isFalse();
    assertThat(Arrays.copyOfRange(exact.array(), START, START + length))
        .isEqualTo(frame);
  }

  @Test
  void aBufferWithNoRoomForTheHeaderIsLeftUntouched() {
    ByteBuffer b = ByteBuffer.allocate(HeaderFlyweight.LENGTH - 1);

    assertThatThrownBy(() -> new SendFlyweight().encode(b, 1))
        .isInstanceOf(BufferOverflowException.class);
    assertThat(b.position()).isZero();
    assertThat(b.array()).containsOnly(0);
  }

  @Test
  void credentialsFramesArePaddedToSixtyFourBytesAndLongerOnesAreNot() {
    ByteBuffer b = ByteBuffer.allocate(1200);
    assertThat(login(b).name("bob").password("p").finish()).isEqualTo(64);
    assertThat(b.position()).isEqualTo(64);
    assertThat(register(b.clear()).name("a".repeat(32)).password("p".repeat(128)).finish())
        .isEqualTo(13 + 33 + 129);
  }

  @Test
  void paddingIsWrittenAsZeroesOverWhateverTheBufferHeld() throws DecodeException {
    ByteBuffer b = ByteBuffer.allocate(100);
    for (int i = 0; i < 100; i++) {
      b.put(i, (byte) 0x7f);
    }
    int n = new CredentialsFlyweight(FrameType.LOGIN).encode(b, 0x0102030405060708L)
        .name("alice").password("correct horse").finish();

    assertThat(Arrays.copyOf(b.array(), n))
        .isEqualTo(Vectors.fromResource().get("login"));
    assertThat(new CredentialsFlyweight(FrameType.LOGIN).wrap(b.flip()).name()).isEqualTo("alice");
  }

  @Test
  void unsupportedVersionErrorListsVersionOneAndIsAVersionOneFrame() throws Exception {
    ByteBuffer b = ByteBuffer.allocate(1200);
    // As the server writes it.
    int n = new ErrorFlyweight().encode(b, 77).error(ErrorCode.UNSUPPORTED_VERSION, 0)
        .addVersion(HeaderFlyweight.VERSION).finish();

    ErrorFlyweight d = new ErrorFlyweight().wrap(b.flip());

    assertThat(n).isEqualTo(21);
    assertThat(b.get(HeaderFlyweight.VERSION_OFFSET)).isEqualTo((byte) 1);
    assertThat(d.requestId()).isEqualTo(77);
    assertThat(d.errorCode()).isEqualTo(2);
    assertThat(d.versionCount()).isEqualTo(1);
    assertThat(d.version(0)).isEqualTo(1);
  }
}
