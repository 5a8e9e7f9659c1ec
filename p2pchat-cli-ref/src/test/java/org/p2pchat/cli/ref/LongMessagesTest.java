package org.p2pchat.cli.ref;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ProtocolLimits;

class LongMessagesTest {

  @Test
  void aMessageThatFitsIsItsOnlyPart() {
    assertThat(LongMessages.split("hello", 1000)).containsExactly("hello");
    assertThat(LongMessages.split("x".repeat(1000), 1000)).containsExactly("x".repeat(1000));
  }

  @Test
  void aLongMessageSplitsAtSpacesIntoPartsThatFit() {
    String body = ("word ".repeat(1000)).strip();
    List<String> parts = LongMessages.split(body, 1000);
    assertThat(parts).hasSize(5).allSatisfy(p -> assertThat(ProtocolLimits.utf8Length(p)).isLessThanOrEqualTo(1000));
    assertThat(String.join(" ", parts)).isEqualTo(body);
  }

  @Test
  void aLineBreakIsPreferredToASpace() {
    String body = "a".repeat(600) + "\n" + "b c ".repeat(200);
    assertThat(LongMessages.split(body, 1000)).first().isEqualTo("a".repeat(600));
  }

  @Test
  void withoutABreakItCutsBetweenCharactersNeverInsideOne() {
    String body = "\u00e9".repeat(600); // 2 bytes each
    List<String> parts = LongMessages.split(body, 1000);
    assertThat(parts).containsExactly("\u00e9".repeat(500), "\u00e9".repeat(100));
    String emoji = "\ud83d\ude00".repeat(300); // 4 bytes each
    assertThat(LongMessages.split(emoji, 1000)).containsExactly("\ud83d\ude00".repeat(250), "\ud83d\ude00".repeat(50));
  }

  @Test
  void theLimitIsTheSdksSoAFiveThousandCharacterMessageIsOne() {
    assertThat(LongMessages.LIMIT_BYTES).isEqualTo(ProtocolLimits.MAX_LONG_BODY_BYTES);
    String text = "0123456789".repeat(500);
    assertThat(LongMessages.split(text, LongMessages.LIMIT_BYTES)).containsExactly(text);
    assertThat(LongMessages.split("x".repeat(65_537), LongMessages.LIMIT_BYTES)).hasSize(2);
  }

  @Test
  void aMessageOverTheLimitIsSplitAndTheLimitIsNamed() {
    String body = ("word ".repeat(13_200)).strip(); // 65,999 characters
    List<String> parts = LongMessages.split(body, LongMessages.LIMIT_BYTES);
    assertThat(parts).hasSize(2).allSatisfy(p -> assertThat(ProtocolLimits.utf8Length(p)).isLessThanOrEqualTo(65_536));
    assertThat(String.join(" ", parts)).isEqualTo(body);
    assertThat(LongMessages.overTheLimit(body, parts.size())).isEqualTo(
        "(that message is 65,999 characters, over the limit of 65536 bytes for one message: it goes as 2 messages)");
  }

  @Test
  void theLengthIsSaidForPeople() {
    assertThat(LongMessages.describe("x".repeat(5000))).isEqualTo("5,000 characters");
  }
}
