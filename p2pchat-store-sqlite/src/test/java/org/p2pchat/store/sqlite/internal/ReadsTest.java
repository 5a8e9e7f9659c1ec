package org.p2pchat.store.sqlite.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.p2pchat.store.tck.StoreAssertions.await;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.HistoryPage;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.NewMessage;
import org.p2pchat.api.store.StoredUser;
import org.p2pchat.store.sqlite.SqliteChatStore;

/**
 * Readers remember user ids ({@link UserIds}); what they remember never changes an answer. One
 * reader thread, so every read goes through the same connection and the same ids.
 */
class ReadsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");
  private static final UserName ALICE = UserName.of("alice");
  private static final UserName BOB = UserName.of("bob");

  @TempDir
  Path dir;

  @Test
  void aPeerUnknownAtOneReadAndCreatedLaterIsFoundByTheNextRead() throws Exception {
    try (SqliteChatStore store = SqliteChatStore.builder(dir.resolve("chat.db")).readerThreads(1).open()) {
      await(store.createUser(StoredUser.of(ALICE, "h", T0)));
      HistoryQuery withBob = HistoryQuery.builder().peer(BOB).build();
      assertThat(await(store.history(ALICE, withBob)).messages()).isEmpty();
      assertThat(await(store.history(BOB, HistoryQuery.latest())).messages()).isEmpty();

      await(store.createUser(StoredUser.of(BOB, "h", T0)));
      List<ChatMessage> sent = await(store.append(List.of(NewMessage.of(ALICE, BOB, "hi", T0))));

      assertThat(await(store.history(ALICE, withBob)).messages()).isEqualTo(sent);
      assertThat(await(store.history(BOB, HistoryQuery.latest())).messages()).isEqualTo(sent);
    }
  }

  @Test
  void aUserNamedInAnyLetterCaseReadsTheSameHistory() throws Exception {
    try (SqliteChatStore store = SqliteChatStore.builder(dir.resolve("chat.db")).readerThreads(1).open()) {
      await(store.createUser(StoredUser.of(ALICE, "h", T0)));
      await(store.createUser(StoredUser.of(BOB, "h", T0)));
      List<ChatMessage> sent = await(store.append(List.of(NewMessage.of(ALICE, BOB, "hi", T0))));

      for (String name : List.of("alice", "ALICE", "Alice", "alice")) {
        HistoryPage page = await(store.history(UserName.of(name), HistoryQuery.builder().peer(UserName.of("BOB")).build()));
        assertThat(page.messages()).as("history of %s", name).isEqualTo(sent);
      }
    }
  }
}
