package org.p2pchat.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.p2pchat.store.tck.StoreAssertions.await;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.UserName;
import org.p2pchat.api.server.PushBus;
import org.p2pchat.api.store.StoredUser;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/** The cluster's push bus on LISTEN/NOTIFY: other nodes hear an event once, with ids only, across reconnects. */
class PostgresPushBusTest {
  private static final UserName ALICE = UserName.of("alice");
  private static final UserName BOB = UserName.of("bob");
  private static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");

  /** What a listener heard, one line per event. */
  private static final class Heard implements PushBus.Listener {
    final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    @Override
    public void onMessageStored(long messageId, UserName recipient) {
      events.add("stored " + messageId + " to " + recipient.value());
    }

    @Override
    public void onStateChanged(long messageId, UserName sender, DeliveryState state) {
      events.add(state + " " + messageId + " of " + sender.value());
    }

    @Override
    public void onPresenceChanged(UserName user, boolean online, long lastSeenMillis) {
      events.add(user.value() + (online ? " online " : " offline ") + lastSeenMillis);
    }

    @Override
    public void onGap() {
      events.add("gap");
    }

    @Override
    public void onRoomMessageStored(long roomId, long messageId, UserName sender) {
      events.add("room " + roomId + " message " + messageId + " from " + sender.value());
    }

    @Override
    public void onAccountDeleted(UserName user) {
      events.add("deleted " + user.value());
    }

    String next() throws InterruptedException {
      String e = events.poll(30, TimeUnit.SECONDS);
      assertThat(e).as("an event within 30 s").isNotNull();
      return e;
    }
  }

  private static String schemaWithUsers() throws Exception {
    String schema = TestPostgres.newSchema();
    try (PostgresChatStore store = TestPostgres.builder(schema).open()) {
      await(store.createUser(StoredUser.of(ALICE, "h", T0)));
      await(store.createUser(StoredUser.of(BOB, "h", T0)));
    }
    return schema;
  }

  @Test
  void anEventReachesTheOtherNodesOnceAndNotItsOwn() throws Exception {
    String schema = schemaWithUsers();
    try (PostgresPushBus a = TestPostgres.builder(schema).openPushBus();
        PostgresPushBus b = TestPostgres.builder(schema).openPushBus();
        PostgresPushBus c = TestPostgres.builder(schema).openPushBus()) {
      Heard hearsA = new Heard();
      Heard hearsB = new Heard();
      Heard hearsC = new Heard();
      a.listen(hearsA);
      b.listen(hearsB);
      c.listen(hearsC);
      awaitListening(schema, 3);

      a.messageStored(41, BOB);
      a.stateChanged(40, ALICE, DeliveryState.READ);
      b.messageStored(42, ALICE);

      // One node's events arrive in the order it published them; two nodes' in any order.
      assertThat(List.of(hearsB.next(), hearsB.next())).containsExactly("stored 41 to bob", "READ 40 of alice");
      List<String> c3 = List.of(hearsC.next(), hearsC.next(), hearsC.next());
      assertThat(c3).containsExactlyInAnyOrder("stored 41 to bob", "READ 40 of alice", "stored 42 to alice");
      assertThat(c3.indexOf("stored 41 to bob")).isLessThan(c3.indexOf("READ 40 of alice"));
      assertThat(hearsA.next()).isEqualTo("stored 42 to alice");
      b.messageStored(43, ALICE); // a marker: once it arrives, nothing else was on its way
      assertThat(hearsA.next()).isEqualTo("stored 43 to alice");
      assertThat(hearsA.events).isEmpty();
      assertThat(hearsB.events).isEmpty();
      assertThat(a.droppedEvents()).isZero();
    }
  }

  @Test
  void aDeletedAccountIsAnnouncedToTheOtherNodesEvenThoughItsRowIsATombstone() throws Exception {
    String schema = schemaWithUsers();
    try (PostgresChatStore store = TestPostgres.builder(schema).open()) {
      assertThat(await(store.accounts().deleteAccount(ALICE, T0))).isTrue();
    }
    try (PostgresPushBus a = TestPostgres.builder(schema).openPushBus();
        PostgresPushBus b = TestPostgres.builder(schema).openPushBus()) {
      Heard hearsB = new Heard();
      b.listen(hearsB);
      awaitListening(schema, 1);

      a.accountDeleted(ALICE);

      assertThat(hearsB.next()).isEqualTo("deleted alice");
    }
  }

  @Test
  void aPresenceChangeReachesTheOtherNodesInOrderWithItsLastSeenTime() throws Exception {
    String schema = schemaWithUsers();
    try (PostgresPushBus a = TestPostgres.builder(schema).openPushBus();
        PostgresPushBus b = TestPostgres.builder(schema).openPushBus()) {
      Heard hearsA = new Heard();
      Heard hearsB = new Heard();
      a.listen(hearsA);
      b.listen(hearsB);
      awaitListening(schema, 2);

      a.presenceChanged(ALICE, true, T0.toEpochMilli());
      a.presenceChanged(ALICE, false, T0.toEpochMilli() + 5000);
      a.messageStored(44, BOB); // a marker: nothing else was on its way

      assertThat(List.of(hearsB.next(), hearsB.next(), hearsB.next())).containsExactly(
          "alice online " + T0.toEpochMilli(), "alice offline " + (T0.toEpochMilli() + 5000), "stored 44 to bob");
      assertThat(hearsA.events).isEmpty();
    }
  }

  @Test
  void aRoomMessageReachesTheOtherNodesWithItsRoomWhoseIdMayExceedAnInt() throws Exception {
    String schema = schemaWithUsers();
    try (PostgresPushBus a = TestPostgres.builder(schema).openPushBus();
        PostgresPushBus b = TestPostgres.builder(schema).openPushBus()) {
      Heard hearsB = new Heard();
      b.listen(hearsB);
      awaitListening(schema, 1);

      a.roomMessageStored(7, 45, ALICE);
      a.roomMessageStored(5_000_000_000L, 46, BOB);

      assertThat(List.of(hearsB.next(), hearsB.next())).containsExactly(
          "room 7 message 45 from alice", "room 5000000000 message 46 from bob");
      assertThat(a.droppedEvents()).isZero();
    }
  }

  @Test
  void aBurstOfEventsArrivesInTheOrderItWasPublished() throws Exception {
    String schema = TestPostgres.newSchema();
    List<UserName> users = new ArrayList<>();
    try (PostgresChatStore store = TestPostgres.builder(schema).open()) {
      for (int i = 0; i < 20; i++) {
        users.add(UserName.of("user" + i));
        await(store.createUser(StoredUser.of(users.get(i), "h", T0)));
      }
    }
    try (PostgresPushBus a = TestPostgres.builder(schema).openPushBus();
        PostgresPushBus b = TestPostgres.builder(schema).openPushBus()) {
      Heard hearsB = new Heard();
      b.listen(hearsB);
      awaitListening(schema, 1);
      List<String> published = new ArrayList<>();
      for (int i = 1; i <= 2000; i++) {
        UserName to = users.get((i * 7) % users.size());
        a.messageStored(i, to);
        published.add("stored " + i + " to " + to.value());
      }

      List<String> heard = new ArrayList<>();
      for (int i = 0; i < published.size(); i++) {
        heard.add(hearsB.next());
      }
      assertThat(heard).containsExactlyElementsOf(published);
    }
  }

  @Test
  void aPayloadCarriesIdsOnlyNeverANameOrABody() throws Exception {
    String schema = schemaWithUsers();
    try (Connection raw = TestPostgres.connect(schema); Statement s = raw.createStatement();
        PostgresPushBus a = TestPostgres.builder(schema).openPushBus()) {
      s.execute("LISTEN p2pchat_push_" + usersOid(schema));

      a.messageStored(7, BOB);
      a.stateChanged(7, ALICE, DeliveryState.DELIVERED);

      PGConnection pg = raw.unwrap(PGConnection.class);
      StringBuilder payloads = new StringBuilder();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      int seen = 0;
      while (seen < 2 && System.nanoTime() < deadline) {
        PGNotification[] got = pg.getNotifications(500);
        for (PGNotification n : got == null ? new PGNotification[0] : got) {
          payloads.append(n.getParameter()).append('\n');
          seen++;
        }
      }
      assertThat(payloads.toString().lines()).containsExactly(
          a.nodeId() + " m 7 " + userId(schema, BOB), a.nodeId() + " s 7 " + userId(schema, ALICE) + " 2");
    }
  }

  @Test
  void aListenerWhoseConnectionBreaksReconnectsReportsTheGapAndHearsAgain() throws Exception {
    String schema = schemaWithUsers();
    try (PostgresPushBus a = TestPostgres.builder(schema).openPushBus();
        PostgresPushBus b = TestPostgres.builder(schema).openPushBus()) {
      Heard hearsB = new Heard();
      b.listen(hearsB);
      awaitListening(schema, 1);

      try (Connection admin = TestPostgres.admin(); Statement s = admin.createStatement()) {
        s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN \"p2pchat_push_"
            + usersOid(schema) + "\"'");
      }

      assertThat(hearsB.next()).isEqualTo("gap");
      a.messageStored(9, BOB);
      assertThat(hearsB.next()).isEqualTo("stored 9 to bob");
    }
  }

  /**
   * Waits until {@code n} sessions listen on the schema's channel (LISTEN is asynchronous to the
   * bus's caller): their last statement was the LISTEN and it has finished (a LISTEN still
   * running shows in pg_stat_activity too, and misses what is notified meanwhile).
   */
  private static void awaitListening(String schema, int n) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String listen = "LISTEN \"p2pchat_push_" + usersOid(schema) + "\"";
    try (Connection admin = TestPostgres.admin(); Statement s = admin.createStatement()) {
      while (true) {
        try (var rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE state = 'idle' AND query = '" + listen + "'")) {
          rs.next();
          if (rs.getInt(1) >= n) {
            return;
          }
        }
        assertThat(System.nanoTime()).as("%s listeners within 30 s", n).isLessThan(deadline);
      }
    }
  }

  private static long usersOid(String schema) throws Exception {
    try (Connection c = TestPostgres.connect(schema); Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT 'users'::regclass::oid")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long userId(String schema, UserName user) throws Exception {
    try (Connection c = TestPostgres.connect(schema); Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT id FROM users WHERE name = '" + user.value() + "'")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
