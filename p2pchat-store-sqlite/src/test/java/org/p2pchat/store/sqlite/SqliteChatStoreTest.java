package org.p2pchat.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.p2pchat.store.tck.StoreAssertions.await;
import static org.p2pchat.store.tck.StoreAssertions.awaitFailure;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.NewMessage;
import org.p2pchat.api.store.StoredUser;
import org.p2pchat.store.sqlite.internal.HistorySql;
import org.p2pchat.store.sqlite.internal.Migrations;
import org.p2pchat.store.tck.StoreAssertions;

/** What the SQLite store promises beyond the store contract: file handling, schema, settings. */
class SqliteChatStoreTest {
  private static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");
  private static final UserName ALICE = UserName.of("alice");
  private static final UserName BOB = UserName.of("bob");

  @TempDir
  Path dir;

  @Test
  void everyHistoryPageIsAnIndexRangeScan() throws Exception {
    Path file = dir.resolve("chat.db");
    try (SqliteChatStore store = SqliteChatStore.open(file)) {
      await(store.createUser(StoredUser.of(ALICE, "h", T0)));
      await(store.createUser(StoredUser.of(BOB, "h", T0)));
    }
    try (Connection c = raw(file)) {
      for (Optional<UserName> peer : List.of(Optional.<UserName>empty(), Optional.of(BOB), Optional.of(ALICE))) {
        for (boolean unread : new boolean[] {false, true}) {
          for (HistoryQuery.Direction direction : HistoryQuery.Direction.values()) {
            HistoryQuery query = HistoryQuery.builder().peer(peer).unreadOnly(unread).direction(direction).build();
            List<String> plan = plan(c, HistorySql.of(query));
            assertThat(plan).as("plan of %s", query)
                .noneMatch(step -> step.matches("SCAN (messages|s|r|users)\\b.*"))
                .noneMatch(step -> step.contains("TEMP B-TREE"))
                .anyMatch(step -> step.matches("SEARCH messages USING (COVERING )?INDEX messages_by_\\w+ \\(.*(rowid|id)[<>]\\?\\)"));
          }
        }
      }
    }
  }

  @Test
  void aNewDatabaseFileAndItsDirectoryAreOwnerOnly() throws Exception {
    assumeThat(dir.getFileSystem().supportedFileAttributeViews()).as("POSIX permissions").contains("posix");
    Path file = dir.resolve("new-dir").resolve("chat.db");

    try (SqliteChatStore store = SqliteChatStore.open(file)) {
      await(store.createUser(StoredUser.of(ALICE, "h", T0)));
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
      Path wal = file.resolveSibling("chat.db-wal");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(wal))).isEqualTo("rw-------");
    }
  }

  @Test
  void aDatabaseOfANewerSchemaIsRefusedNamingTheFileAndLeftUnchanged() throws Exception {
    Path file = dir.resolve("chat.db");
    SqliteChatStore.open(file).close();
    try (Connection c = raw(file); Statement s = c.createStatement()) {
      s.execute("PRAGMA user_version = " + (Migrations.LATEST + 1));
    }
    byte[] before = Files.readAllBytes(file);

    assertThatThrownBy(() -> SqliteChatStore.open(file))
        .isInstanceOfSatisfying(StoreOpenException.class, e -> {
          assertThat(e.reason()).isEqualTo(StoreOpenException.Reason.NEWER_SCHEMA);
          assertThat(e.file()).isEqualTo(file);
        })
        .hasMessageContaining(file.toString())
        .hasMessageContaining("schema version " + (Migrations.LATEST + 1));
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }

  @Test
  void aFileThatIsNotADatabaseIsRefusedAsCorruptAndLeftUnchanged() throws Exception {
    Path file = dir.resolve("chat.db");
    byte[] garbage = "this is certainly not a SQLite database file. ".repeat(100).getBytes(StandardCharsets.US_ASCII);
    Files.write(file, garbage);

    assertThatThrownBy(() -> SqliteChatStore.open(file))
        .isInstanceOfSatisfying(StoreOpenException.class,
            e -> assertThat(e.reason()).isEqualTo(StoreOpenException.Reason.CORRUPT))
        .hasMessageContaining(file.toString())
        .hasMessageContaining("not a SQLite database or it is corrupt");
    assertThat(Files.readAllBytes(file)).isEqualTo(garbage);
  }

  @Test
  void aDirectoryInPlaceOfTheFileIsRefused() throws Exception {
    Path file = Files.createDirectory(dir.resolve("chat.db"));

    assertThatThrownBy(() -> SqliteChatStore.open(file))
        .isInstanceOfSatisfying(StoreOpenException.class,
            e -> assertThat(e.reason()).isEqualTo(StoreOpenException.Reason.UNREADABLE))
        .hasMessageContaining(file.toString());
  }

  @Test
  void aFileLockedByAnotherWriterIsRefusedAtOpen() throws Exception {
    Path file = dir.resolve("chat.db");
    SqliteChatStore.open(file).close();
    try (Connection other = raw(file); Statement s = other.createStatement()) {
      s.execute("BEGIN EXCLUSIVE");

      assertThatThrownBy(() -> SqliteChatStore.builder(file).busyTimeout(Duration.ofMillis(50)).open())
          .isInstanceOfSatisfying(StoreOpenException.class,
              e -> assertThat(e.reason()).isEqualTo(StoreOpenException.Reason.LOCKED))
          .hasMessageContaining(file.toString())
          .hasMessageContaining("locked");
      s.execute("ROLLBACK");
    }
  }

  @Test
  void migrationsAreIdempotentAcrossOpens() throws Exception {
    Path file = dir.resolve("chat.db");
    try (SqliteChatStore store = SqliteChatStore.open(file)) {
      await(store.createUser(StoredUser.of(ALICE, "h", T0)));
    }
    List<String> schema = schema(file);
    for (int i = 0; i < 2; i++) {
      try (SqliteChatStore store = SqliteChatStore.open(file)) {
        assertThat(await(store.findUser(ALICE))).isPresent();
      }
    }
    assertThat(schema(file)).isEqualTo(schema);
    try (Connection c = raw(file); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(Migrations.LATEST);
    }
  }

  @Test
  void connectionsUseWalForeignKeysAndFullSynchronousByDefault() throws Exception {
    try (SqliteChatStore store = SqliteChatStore.open(dir.resolve("chat.db"))) {
      assertThat(await(store.pragma("synchronous"))).isEqualTo("2");
      assertThat(await(store.pragma("journal_mode"))).isEqualTo("wal");
      assertThat(await(store.pragma("foreign_keys"))).isEqualTo("1");
      assertThat(await(store.pragma("busy_timeout"))).isEqualTo("5000");
    }
  }

  @Test
  void synchronousNormalIsAnOption() throws Exception {
    try (SqliteChatStore store = SqliteChatStore.builder(dir.resolve("chat.db"))
        .synchronous(SqliteChatStore.Synchronous.NORMAL).busyTimeout(Duration.ofMillis(1234)).open()) {
      assertThat(await(store.pragma("synchronous"))).isEqualTo("1");
      assertThat(await(store.pragma("busy_timeout"))).isEqualTo("1234");
    }
  }

  @Test
  void aFullWriteQueueFailsFastWithServerBusyWhileReadsGoOn() throws Exception {
    Path file = dir.resolve("chat.db");
    try (SqliteChatStore store = SqliteChatStore.builder(file).writeQueueCapacity(2)
        .busyTimeout(Duration.ofSeconds(30)).open()) {
      await(store.createUser(StoredUser.of(ALICE, "h", T0)));
      await(store.createUser(StoredUser.of(BOB, "h", T0)));
      List<CompletableFuture<List<ChatMessage>>> accepted = new ArrayList<>();
      CompletableFuture<List<ChatMessage>> refused = null;
      try (Connection other = raw(file); Statement s = other.createStatement()) {
        // Another writer holds the write lock, so the store's writer waits and its queue fills.
        s.execute("BEGIN IMMEDIATE");
        for (int i = 0; i < 100 && refused == null; i++) {
          CompletableFuture<List<ChatMessage>> f =
              store.append(List.of(NewMessage.of(ALICE, BOB, "m" + i, T0)));
          if (f.isCompletedExceptionally()) {
            refused = f;
          } else {
            accepted.add(f);
          }
        }
        assertThat(refused).as("a write beyond the queue's capacity is refused at once").isNotNull();
        awaitFailure(refused, ErrorCode.SERVER_BUSY);
        assertThat(await(store.findUser(BOB))).as("reads do not wait for the writer").isPresent();
        assertThat(accepted).noneMatch(CompletableFuture::isDone);
        s.execute("COMMIT");
      }
      for (CompletableFuture<List<ChatMessage>> f : accepted) {
        assertThat(await(f)).hasSize(1);
      }
    }
  }

  @Test
  void marksQueuedTogetherShareABatchAndReportEachMessageOnceAsIfRunInTurn() throws Exception {
    Path file = dir.resolve("chat.db");
    try (SqliteChatStore store = SqliteChatStore.builder(file).busyTimeout(Duration.ofSeconds(30)).open()) {
      await(store.createUser(StoredUser.of(ALICE, "h", T0)));
      await(store.createUser(StoredUser.of(BOB, "h", T0)));
      List<NewMessage> toBob = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        toBob.add(NewMessage.of(ALICE, BOB, "m" + i, T0));
      }
      List<ChatMessage> m = await(store.append(toBob));
      CompletableFuture<List<ChatMessage>> a;
      CompletableFuture<List<ChatMessage>> b;
      CompletableFuture<List<ChatMessage>> notBobs;
      CompletableFuture<List<ChatMessage>> read;
      CompletableFuture<List<ChatMessage>> c;
      try (Connection other = raw(file); Statement s = other.createStatement()) {
        // Another writer holds the write lock, so the marks below queue up behind it and the
        // writer takes them in one batch.
        s.execute("BEGIN IMMEDIATE");
        a = store.markDelivered(BOB, List.of(m.get(0).id(), m.get(1).id(), m.get(1).id()));
        b = store.markDelivered(BOB, List.of(m.get(1).id(), m.get(2).id(), 999_999L));
        notBobs = store.markDelivered(ALICE, List.of(m.get(3).id()));
        read = store.markRead(BOB, List.of(m.get(0).id(), m.get(4).id()));
        c = store.markDelivered(BOB, List.of(m.get(4).id(), m.get(5).id()));
        s.execute("COMMIT");
      }
      assertThat(ids(await(a))).containsExactly(m.get(0).id(), m.get(1).id());
      assertThat(ids(await(b))).as("a message another mark moved first is not reported again")
          .containsExactly(m.get(2).id());
      assertThat(await(notBobs)).as("only the recipient's own messages move").isEmpty();
      assertThat(await(read)).extracting(ChatMessage::state)
          .containsOnly(org.p2pchat.api.DeliveryState.READ);
      assertThat(ids(await(read))).containsExactly(m.get(0).id(), m.get(4).id());
      assertThat(ids(await(c))).as("read is beyond delivered").containsExactly(m.get(5).id());
      List<ChatMessage> page = await(store.history(BOB, HistoryQuery.builder().limit(10).build())).messages();
      assertThat(page).extracting(ChatMessage::state).containsExactlyInAnyOrder(
          org.p2pchat.api.DeliveryState.READ, org.p2pchat.api.DeliveryState.DELIVERED,
          org.p2pchat.api.DeliveryState.DELIVERED, org.p2pchat.api.DeliveryState.STORED,
          org.p2pchat.api.DeliveryState.READ, org.p2pchat.api.DeliveryState.DELIVERED);
    }
  }

  private static List<Long> ids(List<ChatMessage> messages) {
    return messages.stream().map(ChatMessage::id).toList();
  }

  @Test
  void aLoneWriteCompletesOnTheCompleterAfterTheCommitOrOnTheGivenExecutor() throws Exception {
    try (SqliteChatStore store = SqliteChatStore.builder(dir.resolve("a.db"))
        .busyTimeout(Duration.ofSeconds(30)).open()) {
      assertThat(await(completingThread(store, dir.resolve("a.db")))).isEqualTo("p2pchat-store-completer");
      assertThat(await(store.findUser(ALICE))).as("committed before completing").isPresent();
    }
    java.util.concurrent.ExecutorService own = java.util.concurrent.Executors.newSingleThreadExecutor(
        r -> new Thread(r, "my-completions"));
    try (SqliteChatStore store = SqliteChatStore.builder(dir.resolve("b.db")).completionExecutor(own)
        .busyTimeout(Duration.ofSeconds(30)).open()) {
      assertThat(await(completingThread(store, dir.resolve("b.db")))).isEqualTo("my-completions");
    } finally {
      own.shutdown();
    }
  }

  @Test
  void writesCompleteInCommitOrderWhetherTheWriterOrItsCompleterCompletesThem() throws Exception {
    try (SqliteChatStore store = SqliteChatStore.open(dir.resolve("order.db"))) {
      await(store.createUser(StoredUser.of(ALICE, "h", T0)));
      await(store.createUser(StoredUser.of(BOB, "h", T0)));
      List<Long> completed = java.util.Collections.synchronizedList(new ArrayList<>());
      java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
      List<CompletableFuture<?>> all = new ArrayList<>();
      for (int i = 0; i < 3000; i++) {
        all.add(store.append(List.of(NewMessage.of(ALICE, BOB, "m" + i, T0))).thenAccept(m -> {
          threads.add(Thread.currentThread().getName());
          completed.add(m.get(0).id());
        }));
        if (i % 500 == 499) {
          await(all.get(all.size() - 1)); // let the queue run dry now and then
        }
      }
      for (CompletableFuture<?> f : all) {
        await(f);
      }
      assertThat(completed).hasSize(3000).isSorted();
      assertThat(threads).isNotEmpty();
    }
  }

  /** The thread a write's continuation runs on, attached while another connection holds the write lock. */
  private static CompletableFuture<String> completingThread(SqliteChatStore store, Path file) throws SQLException {
    try (Connection other = raw(file); Statement s = other.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
      CompletableFuture<String> thread = store.createUser(StoredUser.of(ALICE, "h", T0))
          .thenApply(v -> Thread.currentThread().getName());
      s.execute("COMMIT");
      return thread;
    }
  }

  @Test
  void closeStopsTheStoreThreads() throws Exception {
    List<Thread> before = storeThreads();
    SqliteChatStore store = SqliteChatStore.open(dir.resolve("chat.db"));
    // Pool threads start with the first task: do one write and one read.
    await(store.createUser(StoredUser.of(ALICE, "h", T0)));
    await(store.findUser(ALICE));
    List<Thread> started = storeThreads();
    started.removeAll(before);
    assertThat(started).extracting(Thread::getName)
        .contains("p2pchat-store-writer", "p2pchat-store-completer", "p2pchat-store-reader-1");

    store.close();

    for (Thread t : started) {
      // A pool thread may still be leaving its run loop just after its pool reported termination.
      t.join(StoreAssertions.TIMEOUT.toMillis());
      assertThat(t.isAlive()).as("%s alive after close", t.getName()).isFalse();
    }
  }

  @Test
  void invalidSettingsAreRefusedNamingTheSetting() {
    SqliteChatStore.Builder builder = SqliteChatStore.builder(dir.resolve("chat.db"));
    assertThatThrownBy(() -> builder.writeQueueCapacity(0)).hasMessageContaining("writeQueueCapacity");
    assertThatThrownBy(() -> builder.readerThreads(0)).hasMessageContaining("readerThreads");
    assertThatThrownBy(() -> builder.busyTimeout(Duration.ofMillis(-1))).hasMessageContaining("busyTimeout");
  }

  private static List<Thread> storeThreads() {
    List<Thread> threads = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("p2pchat-store-") && t.isAlive()) {
        threads.add(t);
      }
    }
    return threads;
  }

  private static Connection raw(Path file) throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + file);
  }

  private static List<String> plan(Connection c, String sql) throws SQLException {
    // EXPLAIN QUERY PLAN wants every parameter bound; the values do not change the plan's shape.
    String positional = sql.replaceAll(":(reader|peer|cursor|fetch)\\b", "?");
    List<String> steps = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement("EXPLAIN QUERY PLAN " + positional)) {
      int n = p.getParameterMetaData().getParameterCount();
      for (int i = 1; i <= n; i++) {
        p.setLong(i, 1);
      }
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          steps.add(rs.getString("detail"));
        }
      }
    }
    return steps;
  }

  private static List<String> schema(Path file) throws SQLException {
    List<String> sql = new ArrayList<>();
    try (Connection c = raw(file); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY name")) {
      while (rs.next()) {
        sql.add(rs.getString(1));
      }
    }
    return sql;
  }
}
