package org.p2pchat.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.p2pchat.store.tck.StoreAssertions.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.HistoryPage;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.NewMessage;
import org.p2pchat.api.store.StoredUser;
import org.p2pchat.store.tck.StoreAssertions;

/**
 * Several stores on one database, as the nodes of a cluster run them: ids stay unique and in
 * commit order across stores, users and states are shared, concurrent updates are reported once.
 */
class SharedDatabaseTest {
  private static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");
  private static final UserName ALICE = UserName.of("alice");
  private static final UserName BOB = UserName.of("bob");

  /**
   * Two stores append as fast as they can while a third pages forward through bob's history
   * with AFTER cursors, as a client catching up does. If ids were taken in one order and
   * committed in another, the reader would page past an id that commits later, and miss it.
   */
  @Test
  void twoStoresAppendingAtOnceGiveUniqueIdsAndAReaderPagingForwardMissesNone() throws Exception {
    String schema = TestPostgres.newSchema();
    int perStore = 3000;
    int inFlight = 64;
    ExecutorService threads = Executors.newFixedThreadPool(3);
    try (PostgresChatStore a = TestPostgres.builder(schema).open();
        PostgresChatStore b = TestPostgres.builder(schema).open();
        PostgresChatStore reader = TestPostgres.builder(schema).open()) {
      // Each user is created on one store and used on the other.
      await(a.createUser(StoredUser.of(ALICE, "h", T0)));
      await(b.createUser(StoredUser.of(BOB, "h", T0)));

      AtomicBoolean allAcknowledged = new AtomicBoolean();
      Future<List<ChatMessage>> tailed = threads.submit(() -> tail(reader, allAcknowledged));
      Map<Long, String> acknowledged = new ConcurrentHashMap<>();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      List<Future<?>> writers = new ArrayList<>();
      for (PostgresChatStore store : List.of(a, b)) {
        String prefix = store == a ? "a" : "b";
        UserName from = store == a ? BOB : ALICE; // the user the other store created
        writers.add(threads.submit(() -> {
          Semaphore window = new Semaphore(inFlight);
          for (int i = 0; i < perStore; i++) {
            window.acquireUninterruptibly();
            String body = prefix + i;
            store.append(List.of(NewMessage.of(from, BOB, body, T0))).whenComplete((stored, error) -> {
              if (error != null) {
                failure.compareAndSet(null, error);
              } else if (acknowledged.put(stored.get(0).id(), body) != null) {
                failure.compareAndSet(null, new AssertionError("id " + stored.get(0).id() + " assigned twice"));
              }
              window.release();
            });
          }
          window.acquireUninterruptibly(inFlight); // every append of this writer completed
          return null;
        }));
      }
      for (Future<?> w : writers) {
        w.get(StoreAssertions.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
      allAcknowledged.set(true);
      List<ChatMessage> seen = tailed.get(StoreAssertions.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

      assertThat(failure.get()).as("a failed or duplicated append").isNull();
      assertThat(acknowledged).hasSize(2 * perStore);
      assertThat(seen).extracting(ChatMessage::id).as("ids as the forward reader saw them").isSorted().doesNotHaveDuplicates();
      Map<Long, String> seenBodies = seen.stream().collect(Collectors.toMap(ChatMessage::id, ChatMessage::body));
      assertThat(seenBodies).as("what the forward reader saw against what was acknowledged")
          .containsExactlyInAnyOrderEntriesOf(acknowledged);
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void twoStoresMarkingTheSameMessagesReportEachChangeOnceAndNeverMoveAStateBack() throws Exception {
    String schema = TestPostgres.newSchema();
    try (PostgresChatStore a = TestPostgres.builder(schema).open();
        PostgresChatStore b = TestPostgres.builder(schema).open()) {
      await(a.createUser(StoredUser.of(ALICE, "h", T0)));
      await(a.createUser(StoredUser.of(BOB, "h", T0)));
      List<NewMessage> batch = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        batch.add(NewMessage.of(ALICE, BOB, "m" + i, T0));
      }
      List<Long> ids = await(a.append(batch)).stream().map(ChatMessage::id).collect(Collectors.toList());

      for (int round = 0; round < 5; round++) {
        // One node marks read what the other marks delivered, both at once, in many small writes.
        List<CompletableFuture<List<ChatMessage>>> reads = new ArrayList<>();
        List<CompletableFuture<List<ChatMessage>>> deliveries = new ArrayList<>();
        int chunk = 100;
        for (int from = round; from < ids.size(); from += chunk) {
          List<Long> part = ids.subList(from, Math.min(ids.size(), from + chunk));
          deliveries.add(a.markDelivered(BOB, part));
          reads.add(b.markRead(BOB, part));
          reads.add(a.markRead(BOB, part));
        }
        Set<Long> readOnce = new HashSet<>();
        for (CompletableFuture<List<ChatMessage>> f : reads) {
          for (ChatMessage m : await(f)) {
            assertThat(m.state()).isEqualTo(DeliveryState.READ);
            assertThat(readOnce.add(m.id())).as("message %d reported read twice", m.id()).isTrue();
          }
        }
        deliveries.forEach(StoreAssertions::await);
        assertThat(readOnce).as("messages newly read in round %d", round).hasSize(round == 0 ? ids.size() : 0);
      }
      try (Connection c = TestPostgres.connect(schema); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM messages WHERE state <> " + DeliveryState.READ.code())) {
        rs.next();
        assertThat(rs.getInt(1)).as("messages not read in the end").isZero();
      }
    }
  }

  /** Pages forward until the writers are done and a page read after that reached the end. */
  private static List<ChatMessage> tail(PostgresChatStore reader, AtomicBoolean allAcknowledged) {
    List<ChatMessage> seen = new ArrayList<>();
    long cursor = 0;
    while (true) {
      // Read the flag before the page: a page read after every acknowledgement holds them all.
      boolean last = allAcknowledged.get();
      HistoryPage page = await(reader.history(BOB, HistoryQuery.builder().direction(HistoryQuery.Direction.AFTER)
          .cursor(cursor).limit(HistoryQuery.MAX_LIMIT).build()));
      seen.addAll(page.messages());
      if (!page.messages().isEmpty()) {
        cursor = page.messages().get(page.messages().size() - 1).id();
      }
      if (last && page.nextCursor().isEmpty()) {
        return seen;
      }
    }
  }
}
