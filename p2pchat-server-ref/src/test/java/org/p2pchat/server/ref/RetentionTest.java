package org.p2pchat.server.ref;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.NewMessage;
import org.p2pchat.api.store.StoredUser;
import org.p2pchat.store.sqlite.SqliteChatStore;

/**
 * {@code --retention}: old messages go in transactions of at most {@link Retention#BATCH}, with
 * the users' writes committed between them, and the database stays consistent.
 */
class RetentionTest {
  private static final UserName ALICE = UserName.of("alice");
  private static final UserName BOB = UserName.of("bob");
  private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

  @TempDir
  Path dir;

  @Test
  void oldMessagesGoInSmallTransactionsWhileNewOnesAreWrittenAndTheDatabaseStaysConsistent() throws Exception {
    Path db = dir.resolve("p2pchat.db");
    List<Integer> commits = new CopyOnWriteArrayList<>();
    try (SqliteChatStore store = SqliteChatStore.builder(db).commitListener((writes, nanos) -> commits.add(writes)).open()) {
      store.createUser(StoredUser.of(ALICE, "h", NOW)).get();
      store.createUser(StoredUser.of(BOB, "h", NOW)).get();
      List<NewMessage> old = new ArrayList<>();
      for (int i = 0; i < 2_100; i++) {
        old.add(NewMessage.of(ALICE, BOB, "old " + i, NOW.minus(Duration.ofDays(200)).plusSeconds(i)));
      }
      store.append(old).get();
      int before = commits.size();

      Retention retention = new Retention(store.admin(), Duration.ofDays(90), Clock.fixed(NOW, ZoneOffset.UTC));
      CompletableFuture<Retention.Purged> purged = CompletableFuture.supplyAsync(retention::runOnce);
      List<CompletableFuture<List<ChatMessage>>> meanwhile = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        meanwhile.add(store.append(List.of(NewMessage.of(BOB, ALICE, "new " + i, NOW))));
      }
      assertThat(purged.get(60, TimeUnit.SECONDS)).isEqualTo(new Retention.Purged(2_100, 0));
      for (CompletableFuture<List<ChatMessage>> m : meanwhile) {
        m.get(60, TimeUnit.SECONDS);
      }
      retention.close();

      // 2,100 messages in batches of 500: five purge transactions (the last one finds 100), each
      // a single write of its group commit or sharing it with the users' appends.
      assertThat(commits.size() - before).isGreaterThanOrEqualTo(5);
      assertThat(store.admin().stats().get().messages()).isEqualTo(50);
    }
    assertThat(AdminCommandTest.integrityCheck(db)).isEqualTo("ok");
  }

  @Test
  void oldRoomMessagesGoTooInBatchesBesideTheDirectOnesWhileTheRoomGoesOnAndTheDatabaseStaysConsistent()
      throws Exception {
    Path db = dir.resolve("p2pchat.db");
    List<Integer> commits = new CopyOnWriteArrayList<>();
    try (SqliteChatStore store = SqliteChatStore.builder(db).commitListener((writes, nanos) -> commits.add(writes)).open()) {
      store.createUser(StoredUser.of(ALICE, "h", NOW)).get();
      store.createUser(StoredUser.of(BOB, "h", NOW)).get();
      long room = store.rooms().createRoom(ALICE, "old friends", NOW.minus(Duration.ofDays(300))).get().id();
      store.rooms().addMember(room, ALICE, BOB).get();
      List<CompletableFuture<?>> old = new ArrayList<>();
      for (int i = 0; i < 1_100; i++) {
        old.add(store.rooms().appendToRoom(room, i % 2 == 0 ? ALICE : BOB, "old " + i,
            NOW.minus(Duration.ofDays(200)).plusSeconds(i)));
      }
      List<NewMessage> direct = new ArrayList<>();
      for (int i = 0; i < 600; i++) {
        direct.add(NewMessage.of(ALICE, BOB, "old direct " + i, NOW.minus(Duration.ofDays(100))));
      }
      old.add(store.append(direct));
      for (CompletableFuture<?> f : old) {
        f.get(60, TimeUnit.SECONDS);
      }
      int before = commits.size();

      Retention retention = new Retention(store.admin(), Duration.ofDays(90), Clock.fixed(NOW, ZoneOffset.UTC));
      CompletableFuture<Retention.Purged> purged = CompletableFuture.supplyAsync(retention::runOnce);
      List<CompletableFuture<?>> meanwhile = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        meanwhile.add(store.rooms().appendToRoom(room, BOB, "new " + i, NOW));
      }
      assertThat(purged.get(60, TimeUnit.SECONDS)).isEqualTo(new Retention.Purged(600, 1_100));
      for (CompletableFuture<?> m : meanwhile) {
        m.get(60, TimeUnit.SECONDS);
      }
      retention.close();

      // 1,100 room messages and 600 messages in batches of 500: at least 3 + 2 purge transactions.
      assertThat(commits.size() - before).isGreaterThanOrEqualTo(5);
      assertThat(store.admin().stats().get().roomMessages()).isEqualTo(50);
      assertThat(store.admin().stats().get().messages()).isZero();
      assertThat(store.rooms().roomHistory(room, ALICE, org.p2pchat.api.HistoryQuery.builder().limit(100).build())
          .get().messages()).hasSize(50).allMatch(m -> m.body().startsWith("new "));
    }
    assertThat(AdminCommandTest.integrityCheck(db)).isEqualTo("ok");
  }

  @Test
  void runsEveryTenthOfThePeriodBetweenAMinuteAndAnHour() {
    assertThat(Retention.interval(Duration.ofDays(90))).isEqualTo(Duration.ofHours(1));
    assertThat(Retention.interval(Duration.ofMinutes(30))).isEqualTo(Duration.ofMinutes(3));
    assertThat(Retention.interval(Duration.ofMinutes(2))).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void aServerWithRetentionSaysSoAtStart() throws Exception {
    try (RunningServer server = new RunningServer("--db", dir.resolve("p2pchat.db").toString(), "--retention", "90d")) {
      assertThat(server.out.toString()).contains("retention 90d: older messages and room messages are deleted every 1h");
    }
  }
}
