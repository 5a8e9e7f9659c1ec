package org.p2pchat.cli.ref;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.UserName;

class MessageFormatterTest {

  @Test
  void aPeerCannotSendTerminalControlSequences() {
    ChatMessage m = ChatMessage.builder().id(1).sender(UserName.of("mallory")).recipient(UserName.of("alice"))
        .body("hi\u001b[2J\rgone\u009b").sentAt(Instant.parse("2026-11-25T10:15:30Z")).build();

    assertThat(new MessageFormatter(ZoneOffset.UTC).incoming(m)).isEqualTo("[10:15] mallory: hi?[2J?gone?");
  }

  private static final Instant NOW = Instant.parse("2026-11-25T10:15:30Z");
  private final MessageFormatter format = new MessageFormatter(Clock.fixed(NOW, ZoneOffset.UTC), true);

  @Test
  void aMultiLineBodyContinuesIndentedUnderTheFirstCharacterOfItsText() {
    assertThat(format.outgoing(UserName.of("bob"), "line one\nline two\r\nline three"))
        .containsExactly("[10:15] me -> bob: line one", "                   line two", "                   line three");
    ChatMessage m = ChatMessage.builder().id(7).sender(UserName.of("bob")).recipient(UserName.of("alice"))
        .body("a\nb").sentAt(NOW).build();
    assertThat(format.incoming(m, true)).containsExactly("[10:15] bob: a", "             b");
    assertThat(format.incoming(m, false)).containsExactly("[10:15] *bob*: a", "               b");
    assertThat(format.historyLines(m, UserName.of("alice")))
        .containsExactly("#7 [2026-11-25 10:15] bob -> alice: a", "                                    b (new)");
  }

  @Test
  void marksSayHowFarAMessageGotInUnicodeOrAscii() {
    UserName bob = UserName.of("bob");
    assertThat(format.mark(MessageFormatter.Mark.QUEUED, bob, "")).isEqualTo("\u00b7 queued");
    assertThat(format.mark(MessageFormatter.Mark.STORED, bob, "")).isEqualTo("\u2713 stored");
    assertThat(format.mark(MessageFormatter.Mark.STORED_OFFLINE, bob, "")).isEqualTo("\u2713 stored for bob (offline)");
    assertThat(format.mark(MessageFormatter.Mark.READ, bob, "")).isEqualTo("\u2713\u2713 read");
    assertThat(format.ascii().mark(MessageFormatter.Mark.DELIVERED, bob, "")).isEqualTo("++ delivered");
    assertThat(format.mark(MessageFormatter.Mark.FAILED, bob, "the server did not answer"))
        .isEqualTo("\u2717 not sent: the server did not answer");
    assertThat(MessageFormatter.Mark.READ.isBefore(MessageFormatter.Mark.DELIVERED)).as("states only move forward")
        .isFalse();
  }
}
