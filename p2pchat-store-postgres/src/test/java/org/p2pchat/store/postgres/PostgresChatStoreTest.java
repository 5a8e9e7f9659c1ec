package org.p2pchat.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.p2pchat.store.tck.StoreAssertions.await;
import static org.p2pchat.store.tck.StoreAssertions.awaitFailure;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.NewMessage;
import org.p2pchat.api.store.StoredUser;
import org.p2pchat.store.postgres.internal.AppendLock;
import org.p2pchat.store.postgres.internal.Connections;
import org.p2pchat.store.postgres.internal.HistorySql;
import org.p2pchat.store.tck.StoreAssertions;
import org.postgresql.ds.PGSimpleDataSource;
import org.postgresql.jdbc.PreferQueryMode;

/** What the PostgreSQL store promises beyond the store contract: plans, locks, overload, recovery. */
class PostgresChatStoreTest {
  private static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");
  private static final UserName ALICE = UserName.of("alice");
  private static final UserName BOB = UserName.of("bob");

  private static final Pattern SCAN =
      Pattern.compile("(Seq Scan|Index Scan|Index Only Scan|Bitmap Heap Scan|Bitmap Index Scan|Tid Scan)"
          + "( Backward)?(?: using (\\w+))? on (\\w+)");

  @Test
  void everyHistoryPageIsAnIndexRangeScanInIdOrderCutAtThePageSize() throws Exception {
    String schema = TestPostgres.newSchema();
    // Many users with short histories, and one long conversation between user1 and user2: the
    // planner's average guess (a few rows per user) is far off for user1, which is where a plan
    // that reads a whole history and sorts it would be chosen and cost the most.
    int users = 500;
    try (PostgresChatStore store = TestPostgres.builder(schema).open()) {
      List<CompletableFuture<Void>> created = new ArrayList<>();
      for (int i = 0; i < users; i++) {
        created.add(store.createUser(StoredUser.of(UserName.of("user" + i), "h", T0)));
      }
      created.forEach(StoreAssertions::await);
      Random random = new Random(7);
      for (int b = 0; b < 20; b++) {
        List<NewMessage> batch = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
          boolean pair = i % 10 == 0;
          batch.add(NewMessage.of(UserName.of("user" + (pair ? 1 + random.nextInt(2) : random.nextInt(users))),
              UserName.of("user" + (pair ? 1 + random.nextInt(2) : random.nextInt(users))), "m" + i, T0));
        }
        await(store.append(batch));
      }
    }
    try (Connection c = TestPostgres.connect(schema); Statement s = c.createStatement()) {
      s.execute("ANALYZE");
    }
    // Plan on a connection configured as the store's are, but for the simple query protocol:
    // over the extended one, the server would take the $1 of a PREPARE for a parameter of its own.
    PGSimpleDataSource ds = Connections.dataSource(TestPostgres.url(schema), TestPostgres.USER,
        TestPostgres.PASSWORD, 5, 30, 5000);
    ds.setPreferQueryMode(PreferQueryMode.SIMPLE);
    Jdbi jdbi = Connections.jdbi(ds);
    try (Handle h = jdbi.open()) {
      for (Optional<UserName> peer : List.of(Optional.<UserName>empty(), Optional.of(UserName.of("user2")),
          Optional.of(UserName.of("user1")))) {
        for (boolean unread : new boolean[] {false, true}) {
          for (HistoryQuery.Direction direction : HistoryQuery.Direction.values()) {
            HistoryQuery query = HistoryQuery.builder().peer(peer).unreadOnly(unread).direction(direction).build();
            checkPlan(query, direction, plan(h, query));
            // After a few executions the driver prepares a statement on the server, which may
            // then plan it once for any values: that plan must be as good.
            checkPlan(query, direction, genericPlan(h, query));
          }
        }
      }
    }
  }

  @Test
  void appendsWaitWhileAnotherStoreHoldsTheAppendLockAndAFullQueueAnswersServerBusy() throws Exception {
    String schema = TestPostgres.newSchema();
    try (PostgresChatStore store = TestPostgres.builder(schema).writeQueueCapacity(2)
        .lockTimeout(Duration.ofSeconds(30)).socketTimeout(Duration.ofSeconds(60)).open()) {
      await(store.createUser(StoredUser.of(ALICE, "h", T0)));
      await(store.createUser(StoredUser.of(BOB, "h", T0)));
      List<CompletableFuture<List<ChatMessage>>> accepted = new ArrayList<>();
      CompletableFuture<List<ChatMessage>> refused = null;
      try (Connection other = TestPostgres.connect(schema); Statement s = other.createStatement()) {
        // Another node's appending transaction, stuck before its commit.
        other.setAutoCommit(false);
        s.execute(AppendLock.ACQUIRE);
        for (int i = 0; i < 100 && refused == null; i++) {
          CompletableFuture<List<ChatMessage>> f = store.append(List.of(NewMessage.of(ALICE, BOB, "m" + i, T0)));
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
        other.commit();
      }
      for (CompletableFuture<List<ChatMessage>> f : accepted) {
        assertThat(await(f)).hasSize(1);
      }
    }
  }

  @Test
  void anAppendWaitingLongerThanTheLockTimeoutFailsWithServerBusyAndTheNextOneIsStored() throws Exception {
    String schema = TestPostgres.newSchema();
    try (PostgresChatStore store = TestPostgres.builder(schema).lockTimeout(Duration.ofMillis(200)).open()) {
      await(store.createUser(StoredUser.of(ALICE, "h", T0)));
      await(store.createUser(StoredUser.of(BOB, "h", T0)));
      try (Connection other = TestPostgres.connect(schema); Statement s = other.createStatement()) {
        other.setAutoCommit(false);
        s.execute(AppendLock.ACQUIRE);

        awaitFailure(store.append(List.of(NewMessage.of(ALICE, BOB, "too late", T0))), ErrorCode.SERVER_BUSY);
        other.rollback();
      }
      ChatMessage stored = await(store.append(List.of(NewMessage.of(ALICE, BOB, "in time", T0)))).get(0);
      assertThat(await(store.history(BOB, HistoryQuery.latest())).messages()).containsExactly(stored);
    }
  }

  @Test
  void afterTheServerDropsEveryConnectionTheStoreAnswersServerBusyAtWorstAndRecoversByItself() throws Exception {
    String schema = TestPostgres.newSchema();
    try (PostgresChatStore store = TestPostgres.builder(schema).open()) {
      await(store.createUser(StoredUser.of(ALICE, "h", T0)));
      await(store.createUser(StoredUser.of(BOB, "h", T0)));
      await(store.append(List.of(NewMessage.of(ALICE, BOB, "before", T0))));
      assertThat(await(store.findUser(ALICE))).isPresent();

      int dropped = terminateStoreSessions();
      assertThat(dropped).as("store sessions the server dropped").isPositive();

      List<ChatMessage> after = retryWhileBusy(() -> store.append(List.of(NewMessage.of(ALICE, BOB, "after", T0))));
      assertThat(after).hasSize(1);
      assertThat(retryWhileBusy(() -> store.history(BOB, HistoryQuery.latest())).messages())
          .extracting(ChatMessage::body).containsExactly("before", "after");
    }
  }

  @Test
  void closeStopsTheStoreThreadsAndThePool() throws Exception {
    List<Thread> before = storeThreads();
    PostgresChatStore store = TestPostgres.builder(TestPostgres.newSchema()).open();
    await(store.createUser(StoredUser.of(ALICE, "h", T0)));
    await(store.findUser(ALICE));
    List<Thread> started = storeThreads();
    started.removeAll(before);
    assertThat(started).extracting(Thread::getName)
        .contains("p2pchat-store-writer", "p2pchat-store-completer", "p2pchat-store-reader-1")
        .anyMatch(name -> name.startsWith("p2pchat-store-postgres"));

    store.close();

    for (Thread t : started) {
      // A pool thread may still be leaving its run loop just after its pool reported termination.
      t.join(StoreAssertions.TIMEOUT.toMillis());
      assertThat(t.isAlive()).as("%s alive after close", t.getName()).isFalse();
    }
  }

  // ---------------------------------------------------------------- helpers

  private static List<String> plan(Handle h, HistoryQuery query) {
    Query explain = h.createQuery("EXPLAIN " + HistorySql.of(query))
        .bind("reader", "user1")
        .bind("cursor", query.direction() == HistoryQuery.Direction.BEFORE ? 8_000L : 2_000L)
        .bind("fetch", query.limit() + 1);
    query.peer().ifPresent(p -> explain.bind("peer", p.value()));
    return explain.mapTo(String.class).list();
  }

  private static List<String> genericPlan(Handle h, HistoryQuery query) {
    String sql = HistorySql.of(query).replace(":reader", "$1").replace(":peer", "$2")
        .replace(":cursor", "$3").replace(":fetch", "$4");
    h.execute("PREPARE page (text, text, bigint, integer) AS " + sql);
    try {
      h.execute("SET plan_cache_mode = force_generic_plan");
      List<String> plan = h.createQuery("EXPLAIN EXECUTE page ('user1', ?, ?, ?)")
          .bind(0, query.peer().map(UserName::value).orElse(null))
          .bind(1, query.direction() == HistoryQuery.Direction.BEFORE ? 8_000L : 2_000L)
          .bind(2, query.limit() + 1)
          .mapTo(String.class)
          .list();
      assertThat(plan).as("a generic plan compares with the cursor parameter, not its value")
          .anyMatch(line -> line.contains("Index Cond:") && line.contains("$3"));
      return plan;
    } finally {
      h.execute("RESET plan_cache_mode");
      h.execute("DEALLOCATE page");
    }
  }

  /**
   * Every read of messages is an index scan of one of the history indexes, in the paging
   * direction, bounded by the cursor; nothing sorts rows below the page's limit. (A sort at the
   * very top orders the page's own few rows after the joins that name their users.)
   */
  private static void checkPlan(HistoryQuery query, HistoryQuery.Direction direction, List<String> plan) {
    String text = String.join("\n", plan);
    int messageScans = 0;
    for (int i = 0; i < plan.size(); i++) {
      Matcher scan = SCAN.matcher(plan.get(i));
      if (!scan.find() || !scan.group(4).equals("messages")) {
        continue;
      }
      messageScans++;
      assertThat(scan.group(1)).as("scan of messages in the plan of %s:%n%s", query, text).isEqualTo("Index Scan");
      assertThat(scan.group(3)).as("index in the plan of %s:%n%s", query, text).startsWith("messages_by_");
      assertThat(scan.group(2) != null).as("backward scan in the plan of %s:%n%s", query, text)
          .isEqualTo(direction == HistoryQuery.Direction.BEFORE);
      assertThat(plan.get(i + 1)).as("index condition in the plan of %s:%n%s", query, text)
          .contains("Index Cond:")
          .contains(direction == HistoryQuery.Direction.BEFORE ? "(id < " : "(id > ");
    }
    assertThat(messageScans).as("scans of messages in the plan of %s:%n%s", query, text).isPositive();
    for (int i = 1; i < plan.size(); i++) {
      assertThat(plan.get(i)).as("plan of %s:%n%s", query, text).doesNotMatch("\\s*->\\s+(Incremental )?Sort\\s.*");
    }
  }

  /** Has the server end every session of the store's application, as a restart would. */
  private static int terminateStoreSessions() throws SQLException {
    try (Connection admin = TestPostgres.admin(); Statement s = admin.createStatement();
        var rs = s.executeQuery("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
            + " WHERE application_name = '" + Connections.APPLICATION_NAME + "'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /**
   * Runs {@code call} until it succeeds, at most ten times; every failure before must be
   * SERVER_BUSY (one per pooled connection that the pool has not yet found dead, at most).
   */
  private static <T> T retryWhileBusy(java.util.function.Supplier<CompletableFuture<T>> call) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.get().get(StoreAssertions.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(ChatException.class);
        assertThat(((ChatException) e.getCause()).code()).as("failure of attempt %d: %s", attempt, e.getCause())
            .isEqualTo(ErrorCode.SERVER_BUSY);
        assertThat(attempt).as("attempts before the store recovered").isLessThan(10);
      }
    }
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
}
