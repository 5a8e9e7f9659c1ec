package org.p2pchat.protocol.codec.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.HistoryPage;
import org.p2pchat.api.UserName;
import org.p2pchat.api.codec.DecodeException;

/** A history page is filled entry by entry up to what one datagram holds. */
class HistoryOkFlyweightTest {
  private final HistoryOkFlyweight encoder = new HistoryOkFlyweight();
  private final HistoryOkFlyweight decoder = new HistoryOkFlyweight();

  static ChatMessage message(long id, String body) {
    return ChatMessage.builder().id(id).sentAt(Instant.ofEpochMilli(1_767_225_600_000L))
        .sender(UserName.of("Alice")).recipient(UserName.of("bob")).body(body).build();
  }

  @Test
  void pageStopsWhereTheNextEntryWouldPassTheDatagramLimit() throws DecodeException {
    ByteBuffer b = ByteBuffer.allocate(1200);
    encoder.encode(b, 9).inReplyTo(FrameType.HISTORY);
    int added = 0;
    while (encoder.tryAdd(message(added + 1, "k"))) {
      added++;
    }
    // Entries of 17 + 6 ("alice") + 4 ("bob") + 3 ("k") = 30 bytes after a 23-byte head. (Even
    // the shortest entry, 28 bytes, makes the 1200-byte limit bind before the 100-entry one.)
    assertThat(added).isEqualTo((1200 - 23) / 30);
    assertThat(encoder.finish()).isEqualTo(b.position()).isLessThanOrEqualTo(1200);
    assertThat(decoder.wrap(b.flip()).count()).isEqualTo(added);
  }

  @Test
  void refusedEntryLeavesTheBufferUnchanged() {
    ByteBuffer b = ByteBuffer.allocate(1200);
    encoder.encode(b, 9).inReplyTo(FrameType.HISTORY);
    assertThat(encoder.tryAdd(message(1, "x".repeat(1000)))).isTrue();
    byte[] before = Arrays.copyOf(b.array(), 1200);
    int position = b.position();
    int length = encoder.length();

    assertThat(encoder.tryAdd(message(2, "y".repeat(200)))).isFalse();

    assertThat(b.position()).isEqualTo(position);
    assertThat(b.array()).isEqualTo(before);
    assertThat(encoder.count()).isEqualTo(1);
    assertThat(encoder.length()).isEqualTo(length);
  }

  @Test
  void pageDecodesToTheMessagesAddedAndTheNextCursorSet() throws DecodeException {
    ByteBuffer b = ByteBuffer.allocate(1500).position(50);
    ChatMessage first = message(41, "one");
    ChatMessage second = message(42, "two \uD83D\uDE00").withState(DeliveryState.READ);
    encoder.encode(b, 0x55).inReplyTo(FrameType.HISTORY);
    encoder.tryAdd(first);
    encoder.tryAdd(second);
    int length = encoder.nextCursor(41).finish();

    assertThat(b.position()).isEqualTo(50 + length);
    HistoryOkFlyweight d = decoder.wrap(b.flip().position(50));
    assertThat(d.requestId()).isEqualTo(0x55);
    assertThat(d.inReplyTo()).isEqualTo(FrameType.HISTORY.code());
    assertThat(d.nextCursor()).isEqualTo(41);
    assertThat(d.count()).isEqualTo(2);
    assertThat(d.message(0)).isEqualTo(first);
    assertThat(d.message(1)).isEqualTo(second);
  }

  @Test
  void theSameFlyweightWritesAPageAfterReadingOne() throws DecodeException {
    ByteBuffer first = ByteBuffer.allocate(1200);
    encoder.encode(first, 1).inReplyTo(FrameType.HISTORY);
    encoder.tryAdd(message(1, "a"));
    encoder.tryAdd(message(2, "b"));
    encoder.finish();
    assertThat(encoder.wrap(first.flip()).count()).isEqualTo(2);

    ByteBuffer second = ByteBuffer.allocate(1200);
    encoder.encode(second, 2).inReplyTo(FrameType.HISTORY);
    assertThat(encoder.count()).as("a new page starts empty").isZero();
    encoder.tryAdd(message(3, "c"));
    encoder.finish();

    HistoryOkFlyweight d = decoder.wrap(second.flip());
    assertThat(d.count()).isEqualTo(1);
    assertThat(d.message(0).id()).isEqualTo(3);
  }

  // ---------------------------------------------------------------- page(HistoryPage, before)

  /** Messages 1..n of {@code bodyBytes} ASCII bytes each. */
  private static List<ChatMessage> messages(int n, int bodyBytes) {
    List<ChatMessage> all = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      all.add(message(i, "m".repeat(bodyBytes)));
    }
    return all;
  }

  private HistoryOkFlyweight page(HistoryPage page, boolean before) throws DecodeException {
    ByteBuffer b = ByteBuffer.allocate(1200);
    encoder.encode(b, 7).inReplyTo(FrameType.HISTORY).page(page, before).finish();
    return decoder.wrap(b.flip());
  }

  private static List<Long> ids(HistoryOkFlyweight d) {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < d.count(); i++) {
      ids.add(d.message(i).id());
    }
    return ids;
  }

  @Test
  void aWholePageThatIsTheLastHasNoNextCursor() throws DecodeException {
    HistoryOkFlyweight d = page(HistoryPage.of(messages(3, 5), OptionalLong.empty()), true);

    assertThat(ids(d)).containsExactly(1L, 2L, 3L);
    assertThat(d.nextCursor()).isZero();
  }

  @Test
  void aWholePageWithMoreInTheStoreContinuesPastItsEnd() throws DecodeException {
    HistoryPage page = HistoryPage.of(messages(3, 5), OptionalLong.of(99));

    HistoryOkFlyweight backwards = page(page, true);
    assertThat(ids(backwards)).containsExactly(1L, 2L, 3L);
    assertThat(backwards.nextCursor()).as("before the oldest sent").isEqualTo(1);

    HistoryOkFlyweight forwards = page(page, false);
    assertThat(ids(forwards)).containsExactly(1L, 2L, 3L);
    assertThat(forwards.nextCursor()).as("after the newest sent").isEqualTo(3);
  }

  @Test
  void aPageTooBigForADatagramKeepsTheMessagesNearestTheCursor() throws DecodeException {
    // Entries of 17 + 6 + 4 + 300 = 327 bytes: three fit after the 23-byte head, not four.
    HistoryPage page = HistoryPage.of(messages(5, 300), OptionalLong.empty());

    HistoryOkFlyweight backwards = page(page, true);
    assertThat(ids(backwards)).as("paging back: the newest").containsExactly(3L, 4L, 5L);
    assertThat(backwards.nextCursor()).isEqualTo(3);

    HistoryOkFlyweight forwards = page(page, false);
    assertThat(ids(forwards)).as("paging forward: the oldest").containsExactly(1L, 2L, 3L);
    assertThat(forwards.nextCursor()).isEqualTo(3);
  }

  @Test
  void anEmptyPageHasNoNextCursorWhateverTheStoreSays() throws DecodeException {
    HistoryOkFlyweight d = page(HistoryPage.of(List.of(), OptionalLong.of(5)), false);

    assertThat(d.count()).isZero();
    assertThat(d.nextCursor()).isZero();
  }
}
