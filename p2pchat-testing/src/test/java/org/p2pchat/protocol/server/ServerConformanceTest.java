package org.p2pchat.protocol.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.codec.Frame;

/**
 * The points of docs/protocol.md that an implementer of another client meets, each checked
 * against the reference server: the answers to malformed frames (section 14.1, byte for
 * byte), the session bound, the pushes after a gap, and the cases the spec settles (READ
 * implies DELIVERED, marking unknown ids, an unknown peer's history, sending to oneself, the
 * next cursor of a last page).
 */
class ServerConformanceTest {
  private static final ServerConfig CONFIG = ServerConfig.builder()
      .argon2MemoryKib(64).argon2Iterations(1).build();
  private static final HexFormat HEX = HexFormat.of();

  private final EmbeddedHarness harness = new EmbeddedHarness(CONFIG, "alice", "bob");

  @AfterEach
  void stop() {
    harness.close();
  }

  record Case(String name, byte[] request, byte[] answer) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** The cases of section 14.1, read from the spec itself. */
  static Stream<Case> malformedFrames() throws IOException {
    String spec = Files.readString(Path.of("..", "docs", "protocol.md"));
    String section = spec.substring(spec.indexOf("### 14.1 Answers to malformed frames"));
    String block = section.substring(section.indexOf("```text") + 7, section.indexOf("```", section.indexOf("```text") + 7));
    List<Case> cases = new ArrayList<>();
    String name = null;
    byte[] request = null;
    for (String line : block.strip().split("\n")) {
      String[] words = line.trim().split("\\s+");
      switch (words[0]) {
        case "case" -> name = words[1];
        case "request" -> request = HEX.parseHex(words[1]);
        case "answer" -> cases.add(new Case(name, request,
            words[1].equals("silence") ? null : HEX.parseHex(words[1])));
        case "end" -> { }
        default -> throw new AssertionError("unexpected line in section 14.1: " + line);
      }
    }
    assertThat(cases).hasSizeGreaterThan(10);
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedFrames")
  void aMalformedFrameGetsExactlyTheAnswerOfSection14_1(Case c) {
    List<EmbeddedHarness.Answer> answers = harness.peer(9).exchange(ByteBuffer.wrap(c.request()));
    if (c.answer() == null) {
      assertThat(answers).as("silence").isEmpty();
    } else {
      assertThat(answers).singleElement()
          .satisfies(a -> assertThat(HEX.formatHex(a.bytes())).isEqualTo(HEX.formatHex(c.answer())));
    }
  }

  @Test
  void aDatagramOverTheLimitIsDropped() {
    byte[] oversized = new byte[1201];
    System.arraycopy(HEX.parseHex("5032010600010203040506070800112233445566778899aabbccddeeff"), 0, oversized, 0, 29);
    assertThat(harness.peer(9).exchange(ByteBuffer.wrap(oversized))).isEmpty();
  }

  @Test
  void aLoginBeyondEightSessionsEndsTheUsersOldest() {
    List<EmbeddedHarness.Peer> devices = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      EmbeddedHarness.Peer device = harness.peer(10 + i);
      device.logIn("alice");
      devices.add(device);
    }
    assertThat(devices.get(0).sendMessage("bob", "from the oldest").errorCode())
        .isEqualTo(ErrorCode.NOT_LOGGED_IN.code());
    for (EmbeddedHarness.Peer device : devices.subList(1, 9)) {
      assertThat(device.sendMessage("bob", "still in").isOk()).isTrue();
    }
  }

  @Test
  void failedLoginsFromAnyPortOfOneAddressCountTogether() {
    EmbeddedHarness limited = new EmbeddedHarness(ServerConfig.builder().from(CONFIG)
        .loginAttemptsPerAddress(3).build(), "alice");
    try {
      for (int port = 0; port < 3; port++) {
        EmbeddedHarness.Peer p = limited.peerAt(7, 41_000 + port);
        assertThat(p.tryLogIn("mallory")).isEqualTo(ErrorCode.INVALID_CREDENTIALS.code());
      }
      assertThat(limited.peerAt(7, 42_000).tryLogIn("alice")).isEqualTo(ErrorCode.RATE_LIMITED.code());
      assertThat(limited.peerAt(8, 42_000).tryLogIn("alice")).as("another address").isZero();
    } finally {
      limited.close();
    }
  }

  @Test
  void everyRegistrationCountsAgainstItsAddressWhateverItsOutcome() {
    EmbeddedHarness limited = new EmbeddedHarness(ServerConfig.builder().from(CONFIG)
        .loginAttemptsPerAddress(2).build(), "alice");
    try {
      EmbeddedHarness.Peer p = limited.peer(7);
      long taken = p.nextId();
      assertThat(p.exchangeLast(new Frame.Register(taken, "alice", "a long password"), taken).errorCode())
          .isEqualTo(ErrorCode.NAME_TAKEN.code());
      long created = p.nextId();
      assertThat(p.exchangeLast(new Frame.Register(created, "carol", "a long password"), created).isOk()).isTrue();
      long third = p.nextId();
      assertThat(p.exchangeLast(new Frame.Register(third, "dave", "a long password"), third).errorCode())
          .isEqualTo(ErrorCode.RATE_LIMITED.code());
      assertThat(p.tryLogIn("alice")).as("the login budget is apart").isZero();
    } finally {
      limited.close();
    }
  }

  @Test
  void aLoginIsPushedTheUnreadMessagesThatArrivedWhileTheUserWasAway() {
    EmbeddedHarness.Peer alice = harness.peer(2);
    alice.logIn("alice");
    alice.sendMessage("bob", "one");
    alice.sendMessage("bob", "two");
    EmbeddedHarness.Peer bob = harness.peer(3);
    bob.logIn("bob");
    harness.run();
    assertThat(bob.drain()).extracting(EmbeddedHarness.Answer::frame)
        .filteredOn(Frame.PushMessage.class::isInstance)
        .extracting(f -> ((Frame.PushMessage) f).body()).containsExactly("one", "two");
  }

  @Test
  void aMessageADeviceTookInIsNotPushedAgainAtTheNextLogin() {
    EmbeddedHarness.Peer alice = harness.peer(2);
    alice.logIn("alice");
    alice.sendMessage("bob", "once");
    EmbeddedHarness.Peer phone = harness.peer(3);
    phone.logIn("bob");
    harness.run();
    Frame.PushMessage push = (Frame.PushMessage) phone.drain().stream().map(EmbeddedHarness.Answer::frame)
        .filter(Frame.PushMessage.class::isInstance).findFirst().orElseThrow();
    phone.exchange(new Frame.PushAck(push.requestId(), phone.tokenHi, phone.tokenLo));

    EmbeddedHarness.Peer laptop = harness.peer(4);
    laptop.logIn("bob");
    harness.run();
    assertThat(laptop.drain()).extracting(EmbeddedHarness.Answer::frame)
        .noneMatch(Frame.PushMessage.class::isInstance);
  }

  @Test
  void aSessionThatComesBackAfterASilenceIsPushedWhatArrivedMeanwhile() {
    EmbeddedHarness.Peer alice = harness.peer(2);
    alice.logIn("alice");
    EmbeddedHarness.Peer bob = harness.peer(3);
    bob.logIn("bob");
    harness.server.advanceTimeBy(Duration.ofSeconds(46)); // bob's NAT binding timed out, say
    alice.sendMessage("bob", "while you were away");
    assertThat(bob.drain()).as("bob is not online: no push").isEmpty();

    List<EmbeddedHarness.Answer> got = bob.ping();
    harness.run();
    got.addAll(bob.drain());
    assertThat(got).extracting(EmbeddedHarness.Answer::frame)
        .filteredOn(Frame.PushMessage.class::isInstance)
        .extracting(f -> ((Frame.PushMessage) f).body()).containsExactly("while you were away");
  }

  @Test
  void aMessageReadBeforeAnyPushWasAcknowledgedMovesStraightToReadAndTheSenderGetsOnlyRead() {
    EmbeddedHarness.Peer alice = harness.peer(2);
    alice.logIn("alice");
    long id = ((Frame.OkSend) alice.sendMessage("bob", "read me").frame()).messageId();
    EmbeddedHarness.Peer bob = harness.peer(3);
    bob.logIn("bob");
    bob.drain(); // the push, left unacknowledged
    long rid = bob.nextId();
    assertThat(bob.exchangeLast(new Frame.MarkRead(rid, bob.tokenHi, bob.tokenLo, List.of(id)), rid).isOk()).isTrue();
    harness.run();
    assertThat(alice.drain()).extracting(EmbeddedHarness.Answer::frame)
        .singleElement().isInstanceOfSatisfying(Frame.PushState.class, s -> assertThat(s.state()).isEqualTo(3));
  }

  /** Alice sends three messages to bob, who is online; returns bob's three pushes. */
  private List<Frame.PushMessage> threePushesToBob(EmbeddedHarness.Peer alice, EmbeddedHarness.Peer bob) {
    for (String body : List.of("one", "two", "three")) {
      alice.sendMessage("bob", body);
    }
    harness.run();
    return bob.drain().stream().map(EmbeddedHarness.Answer::frame).filter(Frame.PushMessage.class::isInstance)
        .map(Frame.PushMessage.class::cast).toList();
  }

  private static List<Long> pushIds(List<Frame.PushMessage> pushes) {
    return pushes.stream().map(Frame.PushMessage::requestId).toList();
  }

  @Test
  void aSessionThatTookFeaturesGetsTheStatesOfOnePushAcksInOnePushStates() {
    EmbeddedHarness.Peer alice = harness.peer(2);
    alice.logIn("alice");
    long rid = alice.nextId();
    assertThat(alice.exchangeLast(new Frame.Features(rid, alice.tokenHi, alice.tokenLo, 1), rid).isOkTo(0x25, rid))
        .isTrue();
    EmbeddedHarness.Peer bob = harness.peer(3);
    bob.logIn("bob");
    List<Frame.PushMessage> pushes = threePushesToBob(alice, bob);
    assertThat(pushes).hasSize(3);
    alice.drain();

    assertThat(bob.exchange(new Frame.PushAcks(0, bob.tokenHi, bob.tokenLo, pushIds(pushes)))).as("never answered")
        .isEmpty();
    harness.run();
    List<Frame> toAlice = alice.drain().stream().map(EmbeddedHarness.Answer::frame).toList();
    assertThat(toAlice).singleElement().isInstanceOfSatisfying(Frame.PushStates.class, s ->
        assertThat(s.entries()).extracting(Frame.StateEntry::messageId, Frame.StateEntry::state, Frame.StateEntry::recipient)
            .containsExactly(
                org.assertj.core.groups.Tuple.tuple(pushes.get(0).messageId(), 2, "bob"),
                org.assertj.core.groups.Tuple.tuple(pushes.get(1).messageId(), 2, "bob"),
                org.assertj.core.groups.Tuple.tuple(pushes.get(2).messageId(), 2, "bob")));

    alice.exchange(new Frame.PushAck(toAlice.get(0).requestId(), alice.tokenHi, alice.tokenLo));
    harness.server.advanceTimeBy(Duration.ofSeconds(10));
    assertThat(bob.drain()).as("every push acknowledged: none sent again").isEmpty();
    assertThat(alice.drain()).as("the PUSH_STATES acknowledged as one push").isEmpty();
  }

  @Test
  void aSessionThatDidNotTakeFeaturesGetsOnePushStateAMessageEvenWhenItsRecipientBatches() {
    EmbeddedHarness.Peer alice = harness.peer(2);
    alice.logIn("alice");
    EmbeddedHarness.Peer bob = harness.peer(3);
    bob.logIn("bob");
    List<Frame.PushMessage> pushes = threePushesToBob(alice, bob);
    alice.drain();

    bob.exchange(new Frame.PushAcks(0, bob.tokenHi, bob.tokenLo, pushIds(pushes)));
    harness.run();
    assertThat(alice.drain()).extracting(EmbeddedHarness.Answer::frame).hasSize(3)
        .allSatisfy(f -> assertThat(f).isInstanceOf(Frame.PushState.class));
  }

  @Test
  void featuresIgnoresBitsThisVersionDoesNotDefineAndBitZeroClearTurnsBatchingOff() {
    EmbeddedHarness.Peer alice = harness.peer(2);
    alice.logIn("alice");
    long later = alice.nextId();
    assertThat(alice.exchangeLast(new Frame.Features(later, alice.tokenHi, alice.tokenLo, 0xffff_ffffL), later)
        .isOkTo(0x25, later)).as("a later client's bits: taken as bit 0").isTrue();
    EmbeddedHarness.Peer bob = harness.peer(3);
    bob.logIn("bob");
    List<Frame.PushMessage> batched = threePushesToBob(alice, bob);
    alice.drain();
    bob.exchange(new Frame.PushAcks(0, bob.tokenHi, bob.tokenLo, pushIds(batched)));
    harness.run();
    assertThat(alice.drain()).extracting(EmbeddedHarness.Answer::frame).singleElement()
        .isInstanceOf(Frame.PushStates.class);

    long off = alice.nextId();
    assertThat(alice.exchangeLast(new Frame.Features(off, alice.tokenHi, alice.tokenLo, 0), off).isOkTo(0x25, off))
        .isTrue();
    List<Frame.PushMessage> single = threePushesToBob(alice, bob);
    alice.drain();
    bob.exchange(new Frame.PushAcks(0, bob.tokenHi, bob.tokenLo, pushIds(single)));
    harness.run();
    assertThat(alice.drain()).extracting(EmbeddedHarness.Answer::frame).hasSize(3)
        .allSatisfy(f -> assertThat(f).isInstanceOf(Frame.PushState.class));
  }

  @Test
  void aMalformedPushAcksIsNeverAnswered() {
    EmbeddedHarness.Peer alice = harness.peer(2);
    alice.logIn("alice");
    String token = String.format("%016x%016x", alice.tokenHi, alice.tokenLo);
    for (String frame : List.of(
        "50320126000000000000000000" + token + "00", // count 0
        "50320126000000000000000000" + token + "81" + "00".repeat(8 * 129), // count 129
        "50320126000000000000000000" + token + "02" + "1112131415161718", // one id of two
        "50320126000000000000000000" + "00".repeat(16) + "01" + "1112131415161718")) { // unknown token
      assertThat(alice.exchange(ByteBuffer.wrap(HEX.parseHex(frame)))).as(frame.substring(0, 60)).isEmpty();
    }
  }

  @Test
  void markingIdsThatDoNotExistOrWereNotReceivedIsAnsweredOkAndChangesNothing() {
    EmbeddedHarness.Peer alice = harness.peer(2);
    alice.logIn("alice");
    long own = ((Frame.OkSend) alice.sendMessage("bob", "mine").frame()).messageId();
    long rid = alice.nextId();
    assertThat(alice.exchangeLast(new Frame.MarkRead(rid, alice.tokenHi, alice.tokenLo, List.of(own, 999_999L)), rid)
        .isOkTo(0x07, rid)).isTrue();
    assertThat(alice.drain()).as("no state pushed").isEmpty();
  }

  @Test
  void theHistoryOfAPeerThatDoesNotExistIsAnEmptyPage() {
    EmbeddedHarness.Peer alice = harness.peer(2);
    alice.logIn("alice");
    long rid = alice.nextId();
    Frame page = alice.exchangeLast(new Frame.History(rid, alice.tokenHi, alice.tokenLo, "nobody", false, false, 0, 20), rid).frame();
    assertThat(page).isEqualTo(new Frame.OkHistory(rid, 0, List.of()));
  }

  @Test
  void aMessageToOneselfIsStoredOnceAndPushedToTheUsersSessions() {
    EmbeddedHarness.Peer phone = harness.peer(2);
    phone.logIn("alice");
    EmbeddedHarness.Peer laptop = harness.peer(3);
    laptop.logIn("alice");
    assertThat(phone.sendMessage("alice", "note to self").isOk()).isTrue();
    harness.run();
    assertThat(laptop.drain()).extracting(EmbeddedHarness.Answer::frame)
        .filteredOn(Frame.PushMessage.class::isInstance).hasSize(1);
    long rid = phone.nextId();
    Frame.OkHistory page = (Frame.OkHistory) phone.exchangeLast(
        new Frame.History(rid, phone.tokenHi, phone.tokenLo, null, false, false, 0, 20), rid).frame();
    assertThat(page.messages()).singleElement().satisfies(m -> {
      assertThat(m.sender().value()).isEqualTo("alice");
      assertThat(m.recipient().value()).isEqualTo("alice");
    });
  }

  @Test
  void aBeforePageContinuesFromItsSmallestIdAndAnExactlyFullLastPageEndsWithCursorZero() {
    EmbeddedHarness.Peer alice = harness.peer(2);
    alice.logIn("alice");
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ids.add(((Frame.OkSend) alice.sendMessage("bob", "m" + i).frame()).messageId());
    }
    long first = alice.nextId();
    Frame.OkHistory newest = (Frame.OkHistory) alice.exchangeLast(
        new Frame.History(first, alice.tokenHi, alice.tokenLo, null, false, false, 0, 2), first).frame();
    assertThat(newest.messages()).extracting(m -> m.id()).containsExactly(ids.get(2), ids.get(3));
    assertThat(newest.nextCursor()).isEqualTo(ids.get(2));
    long second = alice.nextId();
    Frame.OkHistory last = (Frame.OkHistory) alice.exchangeLast(
        new Frame.History(second, alice.tokenHi, alice.tokenLo, null, false, false, newest.nextCursor(), 2), second).frame();
    assertThat(last.messages()).extracting(m -> m.id()).containsExactly(ids.get(0), ids.get(1));
    assertThat(last.nextCursor()).as("an exactly full last page").isZero();
  }
}
