package org.p2pchat.protocol.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.UserName;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.codec.Frame;

/** Long messages (docs/protocol.md section 23) against the real server engine, frame by frame. */
class LongMessageFramesTest {
  private static final ServerConfig CONFIG = ServerConfig.builder()
      .argon2MemoryKib(64).argon2Iterations(1).maxPartialSendBytes(200_000).build();

  private final EmbeddedHarness h = new EmbeddedHarness(CONFIG, "alice", "bob", "carol");

  @AfterEach
  void stop() {
    h.close();
  }

  private static byte[] body(int bytes) {
    byte[] b = new byte[bytes];
    for (int i = 0; i < bytes; i++) {
      b[i] = (byte) ('a' + i % 26);
    }
    return b;
  }

  private static Frame.SendPart part(EmbeddedHarness.Peer p, long id, long key, String to, byte[] body, int index) {
    int from = index * 1000;
    return new Frame.SendPart(id, p.tokenHi, p.tokenLo, key, to, body.length, index,
        Arrays.copyOfRange(body, from, Math.min(body.length, from + 1000)));
  }

  /** Sends one part and returns its answer. */
  private static Frame send(EmbeddedHarness.Peer p, long key, String to, byte[] body, int index) {
    long id = p.nextId();
    return p.exchangeLast(part(p, id, key, to, body, index), id).frame();
  }

  /** Sends every part in order; returns the answers. */
  private static List<Frame> sendAll(EmbeddedHarness.Peer p, long key, String to, byte[] body) {
    List<Frame> answers = new ArrayList<>();
    for (int i = 0; i < (body.length + 999) / 1000; i++) {
      answers.add(send(p, key, to, body, i));
    }
    return answers;
  }

  private static int code(Frame f) {
    return f instanceof Frame.Error e ? e.errorCode() : 0;
  }

  private EmbeddedHarness.Peer loggedIn(int octet, String user) {
    EmbeddedHarness.Peer p = h.peer(octet);
    p.logIn(user);
    return p;
  }

  @Test
  void everyPartButTheLastIsHeldAndTheLastIsAnsweredWithTheStoredMessagesId() {
    EmbeddedHarness.Peer alice = loggedIn(1, "alice");
    byte[] body = body(2500);
    List<Frame> answers = sendAll(alice, 7, "bob", body);

    assertThat(answers.subList(0, 2)).allSatisfy(f -> assertThat(f).isEqualTo(
        new Frame.OkSendPart(((Frame.OkSendPart) f).requestId(), 0, 0)));
    Frame.OkSendPart last = (Frame.OkSendPart) answers.get(2);
    assertThat(last.messageId()).isPositive();
    assertThat(last.sentAtMillis()).isPositive();
    var stored = ChatFixtureless.history(h, "bob");
    assertThat(stored).singleElement().satisfies(m -> {
      assertThat(m.id()).isEqualTo(last.messageId());
      assertThat(m.body().getBytes(StandardCharsets.UTF_8)).isEqualTo(body);
    });
  }

  @Test
  void theOnlineRecipientIsPushedAStubAndFetchesEveryPartWithMessagePart() {
    EmbeddedHarness.Peer alice = loggedIn(1, "alice");
    EmbeddedHarness.Peer bob = loggedIn(2, "bob");
    byte[] body = body(65_536);
    List<Frame> answers = sendAll(alice, 9, "bob", body);
    long messageId = ((Frame.OkSendPart) answers.get(answers.size() - 1)).messageId();

    h.run();
    List<Frame> pushed = bob.drain().stream().map(EmbeddedHarness.Answer::frame).toList();
    assertThat(pushed).singleElement().isInstanceOfSatisfying(Frame.PushLongMessage.class, p -> {
      assertThat(p.messageId()).isEqualTo(messageId);
      assertThat(p.sender()).isEqualTo("alice");
      assertThat(p.totalLength()).isEqualTo(65_536);
    });
    byte[] fetched = new byte[65_536];
    for (int i = 0; i < 66; i++) {
      long id = bob.nextId();
      Frame f = bob.exchangeLast(new Frame.MessagePart(id, bob.tokenHi, bob.tokenLo, messageId, i), id).frame();
      Frame.OkMessagePart ok = (Frame.OkMessagePart) f;
      assertThat(ok.partIndex()).isEqualTo(i);
      System.arraycopy(ok.part(), 0, fetched, i * 1000, ok.part().length);
    }
    assertThat(fetched).isEqualTo(body);

    long id = bob.nextId();
    assertThat(code(bob.exchangeLast(new Frame.MessagePart(id, bob.tokenHi, bob.tokenLo, messageId, 65), id).frame()))
        .isZero();
    EmbeddedHarness.Peer carol = loggedIn(3, "carol");
    long other = carol.nextId();
    assertThat(code(carol.exchangeLast(new Frame.MessagePart(other, carol.tokenHi, carol.tokenLo, messageId, 0), other)
        .frame())).as("not carol's message").isEqualTo(ErrorCode.BAD_PART.code());
  }

  @Test
  void aPartPastTheLastOfAMessageIsBadPart() {
    EmbeddedHarness.Peer alice = loggedIn(1, "alice");
    List<Frame> answers = sendAll(alice, 11, "bob", body(1001));
    long messageId = ((Frame.OkSendPart) answers.get(1)).messageId();
    long id = alice.nextId();
    assertThat(code(alice.exchangeLast(new Frame.MessagePart(id, alice.tokenHi, alice.tokenLo, messageId, 2), id)
        .frame())).isEqualTo(ErrorCode.BAD_PART.code());
  }

  @Test
  void aResendInANewSessionWithTheSameKeyStoresOnceAndAnswersTheFirstId() {
    EmbeddedHarness.Peer alice = loggedIn(1, "alice");
    byte[] body = body(3000);
    long first = ((Frame.OkSendPart) sendAll(alice, 42, "bob", body).get(2)).messageId();

    EmbeddedHarness.Peer again = loggedIn(2, "alice"); // the answer was lost with the old session
    long second = ((Frame.OkSendPart) sendAll(again, 42, "bob", body).get(2)).messageId();

    assertThat(second).isEqualTo(first);
    assertThat(ChatFixtureless.history(h, "bob")).hasSize(1);
  }

  @Test
  void aRetransmittedPartIsAnsweredFromTheCacheAndAPartSentTwiceCountsOnce() {
    EmbeddedHarness.Peer alice = loggedIn(1, "alice");
    byte[] body = body(2000);
    long id = alice.nextId();
    Frame.SendPart p0 = part(alice, id, 5, "bob", body, 0);
    Frame held = alice.exchangeLast(p0, id).frame();
    assertThat(alice.exchangeLast(p0, id).frame()).isEqualTo(held);
    assertThat(send(alice, 5, "bob", body, 0)).isInstanceOf(Frame.OkSendPart.class); // a copy with a new id
    assertThat(((Frame.OkSendPart) send(alice, 5, "bob", body, 1)).messageId()).isPositive();
    assertThat(ChatFixtureless.history(h, "bob")).hasSize(1);
  }

  @Test
  void aPartThatDisagreesWithItsSendsTotalOrRecipientIsBadPart() {
    EmbeddedHarness.Peer alice = loggedIn(1, "alice");
    assertThat(send(alice, 3, "bob", body(3000), 0)).isInstanceOf(Frame.OkSendPart.class);
    assertThat(code(send(alice, 3, "bob", body(4000), 1))).isEqualTo(ErrorCode.BAD_PART.code());
    assertThat(code(send(alice, 3, "carol", body(3000), 1))).isEqualTo(ErrorCode.BAD_PART.code());
  }

  @Test
  void aPartWhoseIndexOrLengthDoesNotFitItsTotalIsMalformed() {
    EmbeddedHarness.Peer alice = loggedIn(1, "alice");
    long id = alice.nextId();
    // Part index 2 of a body of 2000 bytes (2 parts): index out of range.
    Frame.SendPart ok = part(alice, id, 1, "bob", body(2000), 1);
    ByteBuffer b = encode(ok);
    int indexAt = b.limit() - 2 - 1000 - 2;
    b.putShort(indexAt, (short) 2);
    assertThat(errorOf(alice.exchange(b))).isEqualTo(ErrorCode.MALFORMED_FRAME.code());
    // A total of 1000: not long.
    ByteBuffer t = encode(ok);
    t.putInt(indexAt - 4, 1000);
    assertThat(errorOf(alice.exchange(t))).isEqualTo(ErrorCode.MALFORMED_FRAME.code());
    // A total over 64 KiB.
    ByteBuffer over = encode(ok);
    over.putInt(indexAt - 4, 65_537);
    assertThat(errorOf(alice.exchange(over))).isEqualTo(ErrorCode.BODY_TOO_LONG.code());
    assertThat(h.stats()).isNotNull();
  }

  @Test
  void aSessionHoldsAtMostFourUnfinishedSendsAndANeverFinishedOneIsDroppedAfterTheTimeout() {
    EmbeddedHarness.Peer alice = loggedIn(1, "alice");
    byte[] body = body(2000);
    for (long key = 1; key <= 4; key++) {
      assertThat(send(alice, key, "bob", body, 0)).isInstanceOf(Frame.OkSendPart.class);
    }
    Frame refused = send(alice, 5, "bob", body, 0);
    assertThat(refused).isInstanceOfSatisfying(Frame.Error.class, e -> {
      assertThat(e.errorCode()).isEqualTo(ErrorCode.TOO_MANY_PARTIAL_SENDS.code());
      assertThat(e.retryAfterMillis()).isPositive();
    });
    // Another session of the same user has its own four.
    EmbeddedHarness.Peer phone = loggedIn(2, "alice");
    assertThat(send(phone, 5, "bob", body, 0)).isInstanceOf(Frame.OkSendPart.class);

    h.server.advanceTimeBy(Duration.ofSeconds(31));
    h.run();
    alice.ping();
    assertThat(send(alice, 5, "bob", body, 0)).as("room again after the timeout").isInstanceOf(Frame.OkSendPart.class);
    // The dropped sends' parts are gone: their last part alone does not make a message.
    assertThat(((Frame.OkSendPart) send(alice, 1, "bob", body, 1)).messageId()).isZero();
    assertThat(ChatFixtureless.history(h, "bob")).isEmpty();
  }

  @Test
  void theBytesInAssemblyAreBoundedAcrossSessions() {
    // 200,000 bytes in all: three sends of 64 KiB fit, a fourth does not, whoever sends it.
    byte[] body = body(65_536);
    EmbeddedHarness.Peer alice = loggedIn(1, "alice");
    for (long key = 1; key <= 3; key++) {
      assertThat(send(alice, key, "bob", body, 0)).isInstanceOf(Frame.OkSendPart.class);
    }
    EmbeddedHarness.Peer carol = loggedIn(3, "carol");
    assertThat(code(send(carol, 1, "bob", body, 0))).isEqualTo(ErrorCode.TOO_MANY_PARTIAL_SENDS.code());
    assertThat(send(carol, 1, "bob", body(2000), 0)).as("a small one still fits").isInstanceOf(Frame.OkSendPart.class);
  }

  @Test
  void aWholeThatIsNotWellFormedUtf8IsBadPartAndNothingIsStored() {
    EmbeddedHarness.Peer alice = loggedIn(1, "alice");
    byte[] body = body(1500);
    body[999] = (byte) 0xc3; // a lead byte, then 'b' instead of a continuation byte
    sendAll(alice, 8, "bob", body).get(0);
    assertThat(code(send(alice, 8, "bob", body, 1))).isZero(); // the copy: the send is gone, this part is held
    EmbeddedHarness.Peer again = loggedIn(2, "alice");
    List<Frame> answers = sendAll(again, 9, "bob", body);
    assertThat(code(answers.get(1))).isEqualTo(ErrorCode.BAD_PART.code());
    assertThat(ChatFixtureless.history(h, "bob")).isEmpty();
  }

  @Test
  void aLongMessageToAnUnknownUserIsRefusedWhole() {
    EmbeddedHarness.Peer alice = loggedIn(1, "alice");
    List<Frame> answers = sendAll(alice, 8, "nobody", body(1500));
    assertThat(code(answers.get(1))).isEqualTo(ErrorCode.UNKNOWN_RECIPIENT.code());
  }

  @Test
  void historyLongCarriesAStubAndTheOldHistoryTheBodysStart() {
    EmbeddedHarness.Peer alice = loggedIn(1, "alice");
    alice.sendMessage("bob", "short one");
    String text = "é".repeat(1500); // 3000 bytes
    sendAll(alice, 4, "bob", text.getBytes(StandardCharsets.UTF_8));

    long id = alice.nextId();
    Frame.OkHistoryLong page = (Frame.OkHistoryLong) alice.exchangeLast(
        new Frame.HistoryLong(id, alice.tokenHi, alice.tokenLo, null, false, false, 0, 10), id).frame();
    assertThat(page.entries()).hasSize(2);
    assertThat(page.entries().get(0).body()).isEqualTo("short one");
    assertThat(page.entries().get(1).isStub()).isTrue();
    assertThat(page.entries().get(1).totalLength()).isEqualTo(3000);

    long old = alice.nextId();
    Frame.OkHistory classic = (Frame.OkHistory) alice.exchangeLast(
        new Frame.History(old, alice.tokenHi, alice.tokenLo, null, false, false, 0, 10), old).frame();
    assertThat(classic.messages().get(1).body()).isEqualTo("é".repeat(500));
  }

  private static ByteBuffer encode(Frame f) {
    ByteBuffer b = ByteBuffer.allocate(2048);
    new org.p2pchat.protocol.codec.FrameCodec().encode(f, b);
    return b.flip();
  }

  private static int errorOf(List<EmbeddedHarness.Answer> answers) {
    assertThat(answers).as("one answer").hasSize(1);
    return answers.get(0).errorCode();
  }

  /** Reads a user's history straight from the store. */
  static final class ChatFixtureless {
    static List<org.p2pchat.api.ChatMessage> history(EmbeddedHarness h, String user) {
      try {
        return h.server.store().history(UserName.of(user), HistoryQuery.latest()).get().messages();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }

    static String hex(byte[] b) {
      return HexFormat.of().formatHex(b);
    }
  }
}
