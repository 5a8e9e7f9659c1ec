package org.p2pchat.cli.ref;

import static org.assertj.core.api.Assertions.assertThat;

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
}
