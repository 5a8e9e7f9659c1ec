package org.p2pchat.server.ref;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.HistoryPage;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.api.store.NewMessage;
import org.p2pchat.api.store.StoredUser;
import org.p2pchat.store.sqlite.SqliteChatStore;

/** Each admin command against a real SQLite database, several of them beside a running server. */
class AdminCommandTest {
  private static final String PASSWORD = "correct horse battery";
  private static final UserName ALICE = UserName.of("alice");
  private static final UserName BOB = UserName.of("bob");
  private static final UserName CAROL = UserName.of("carol");
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir
  Path dir;

  private Path db() {
    return dir.resolve("p2pchat.db");
  }

  /** A database with alice, bob and carol, and {@code messages} messages between alice and bob, one a day from T0. */
  private Path seeded(int messages) throws Exception {
    try (SqliteChatStore store = SqliteChatStore.open(db())) {
      for (UserName u : List.of(ALICE, BOB, CAROL)) {
        store.createUser(StoredUser.of(u, "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", T0)).get();
      }
      for (int i = 0; i < messages; i++) {
        store.append(List.of(NewMessage.of(i % 2 == 0 ? ALICE : BOB, i % 2 == 0 ? BOB : ALICE, "message " + i,
            T0.plusSeconds(86_400L * i)))).get();
      }
      store.createUser(StoredUser.of(UserName.of("malice"), "x", T0)).get();
    }
    return db();
  }

  /** Every message in {@code reader}'s history, oldest first, paging back to the start. */
  static List<ChatMessage> fullHistory(ChatStore store, UserName reader) throws Exception {
    List<ChatMessage> all = new ArrayList<>();
    long cursor = 0;
    while (true) {
      HistoryPage page = store.history(reader, HistoryQuery.builder().limit(50).cursor(cursor).build()).get();
      all.addAll(0, page.messages());
      OptionalLong next = page.nextCursor();
      if (next.isEmpty()) {
        return all;
      }
      cursor = next.getAsLong();
    }
  }

  @Test
  void usersListsAccountsWithTheirLastLoginAndMatchFilters() throws Exception {
    AdminRun admin = new AdminRun(seeded(0));
    assertThat(admin.run("users")).isZero();
    assertThat(admin.out.toString()).contains("USER", "alice", "bob", "carol", "malice", "never", "active");

    assertThat(admin.run("users", "--match", "LIC")).isZero();
    assertThat(admin.out.toString().lines().skip(1)).hasSize(2).allMatch(l -> l.contains("lice"));

    assertThat(admin.run("user", "carol")).isZero();
    assertThat(admin.out.toString()).startsWith("carol").contains("2026-01-01T00:00:00Z");
    assertThat(admin.run("user", "nobody")).isEqualTo(AdminCommand.NO_SUCH_USER);
    assertThat(admin.err.toString()).contains("there is no user nobody");
  }

  @Test
  void revokeDevicesRevokesEveryDeviceCredentialOfTheAccount() throws Exception {
    seeded(0);
    try (SqliteChatStore store = SqliteChatStore.open(db())) {
      store.devices().addDevice(ALICE, "phone", "hash-1", T0).get();
      store.devices().addDevice(ALICE, "laptop", "hash-2", T0).get();
      store.devices().addDevice(BOB, "phone", "hash-3", T0).get();
    }
    AdminRun admin = new AdminRun(db());
    assertThat(admin.run("user", "alice")).isZero();
    assertThat(admin.out.toString()).contains("DEVICE", "#1", "phone", "#2", "laptop");
    assertThat(admin.run("revoke-devices", "alice")).isZero();
    assertThat(admin.out.toString()).contains("revoked 2 devices of alice");
    try (SqliteChatStore store = SqliteChatStore.open(db())) {
      assertThat(store.devices().devices(ALICE).get()).isEmpty();
      assertThat(store.devices().devices(BOB).get()).hasSize(1);
    }
    assertThat(admin.run("revoke-devices", "nobody")).isEqualTo(AdminCommand.NO_SUCH_USER);
    assertThat(admin.run("user", "alice")).isZero();
    assertThat(admin.out.toString()).contains("no devices");
    assertThat(AdminUserCommand.printable("evil\u001b[2Jname\u202e")).isEqualTo("evil?[2Jname?");
  }

  @Test
  void aMissingDatabaseIsOneLineAndCreatesNothing() {
    AdminRun admin = new AdminRun(dir.resolve("none/p2pchat.db"));
    assertThat(admin.run("stats")).isEqualTo(1);
    assertThat(admin.err.toString()).startsWith("p2pchat-server admin: there is no p2pchat database at");
    assertThat(dir.resolve("none")).doesNotExist();
  }

  @Test
  void aDisabledUserCannotLogInToTheRunningServerBesideWhichItWasDisabledUntilEnabled() throws Exception {
    AdminRun admin = new AdminRun(db());
    try (RunningServer server = new RunningServer("--db", db().toString());
         ChatClient alice = server.client()) {
      alice.register(ALICE, PASSWORD).get(30, TimeUnit.SECONDS);
      assertThat(admin.run("disable", "alice")).isZero();
      assertThat(admin.out.toString()).contains("disabled alice");

      assertThatThrownBy(() -> alice.login(ALICE, PASSWORD).get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause().isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCOUNT_DISABLED));
      assertThat(admin.run("users")).isZero();
      assertThat(admin.out.toString()).contains("disabled");

      assertThat(admin.run("enable", "alice")).isZero();
      alice.login(ALICE, PASSWORD).get(30, TimeUnit.SECONDS);
      assertThat(admin.run("user", "alice")).isZero();
      assertThat(admin.out.toString()).doesNotContain("never").contains("active");
      assertThat(admin.run("disable", "nobody")).isEqualTo(AdminCommand.NO_SUCH_USER);
    }
  }

  @Test
  void resetPasswordAsksTwiceNeverTakesItFromTheCommandLineAndTheNewOneLogsIn() throws Exception {
    AdminRun admin = new AdminRun(db());
    try (RunningServer server = new RunningServer("--db", db().toString());
         ChatClient alice = server.client()) {
      alice.register(ALICE, PASSWORD).get(30, TimeUnit.SECONDS);

      admin.typed.add("a brand new secret");
      admin.typed.add("a different one");
      assertThat(admin.run("reset-password", "alice")).isEqualTo(1);
      assertThat(admin.err.toString()).contains("the two passwords differ; nothing was changed");
      assertThat(admin.run("reset-password", "alice")).as("no terminal").isEqualTo(1);
      assertThat(admin.run("reset-password", "alice", "a brand new secret")).as("no password argument").isEqualTo(2);

      admin.typed.add("a brand new secret");
      admin.typed.add("a brand new secret");
      assertThat(admin.run("reset-password", "alice")).isZero();
      assertThat(admin.out.toString()).doesNotContain("a brand new secret");
      assertThatThrownBy(() -> alice.login(ALICE, PASSWORD).get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(ChatException.class);
      alice.login(ALICE, "a brand new secret").get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void deleteNeedsYesThenRemovesEveryMessageOfTheUserAndKeepsTheNameReserved() throws Exception {
    AdminRun admin = new AdminRun(seeded(4));
    assertThat(admin.run("delete", "bob")).isEqualTo(2);
    assertThat(admin.err.toString()).contains("add --yes");
    assertThat(admin.run("delete", "bob", "--yes")).isZero();
    assertThat(admin.out.toString()).contains("deleted bob and 4 messages");
    try (SqliteChatStore store = SqliteChatStore.open(db())) {
      assertThat(fullHistory(store, ALICE)).isEmpty();
      assertThat(store.findUser(BOB).get()).isEmpty();
    }
    assertThat(admin.run("delete", "bob", "--yes")).isEqualTo(AdminCommand.NO_SUCH_USER);
  }

  @Test
  void purgeDeletesOnlyOlderMessagesAndLeavesTheDatabaseConsistent() throws Exception {
    AdminRun admin = new AdminRun(seeded(1200));
    // "now" is day 1200 after T0: a retention of 200 days keeps days 1000 to 1199.
    admin.clock = Clock.fixed(T0.plusSeconds(86_400L * 1200), ZoneOffset.UTC);
    assertThat(admin.run("purge", "--older-than", "200d")).isZero();
    assertThat(admin.out.toString()).contains("purged 1000 messages");
    try (SqliteChatStore store = SqliteChatStore.open(db())) {
      List<ChatMessage> left = fullHistory(store, ALICE);
      assertThat(left).hasSize(200);
      assertThat(left.get(0).body()).isEqualTo("message 1000");
    }
    assertThat(integrityCheck(db())).isEqualTo("ok");
    assertThat(admin.run("stats")).isZero();
    assertThat(admin.out.toString()).contains("users          4", "messages       200", "room messages  0");
  }

  static String integrityCheck(Path db) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  void anOnlineBackupRestoredInPlaceOfTheDatabaseHoldsEveryMessageOfTheRunningServer() throws Exception {
    AdminRun admin = new AdminRun(db());
    Path backup = dir.resolve("backups/p2pchat-backup.db");
    Files.createDirectories(backup.getParent());
    List<String> sent = new ArrayList<>();
    List<String> inTheRoom = new ArrayList<>();
    long roomId;
    try (RunningServer server = new RunningServer("--db", db().toString());
         ChatClient alice = server.client(); ChatClient bob = server.client()) {
      alice.register(ALICE, PASSWORD).get(30, TimeUnit.SECONDS);
      bob.register(BOB, PASSWORD).get(30, TimeUnit.SECONDS);
      alice.login(ALICE, PASSWORD).get(30, TimeUnit.SECONDS);
      bob.login(BOB, PASSWORD).get(30, TimeUnit.SECONDS);
      for (int i = 0; i < 120; i++) {
        ChatClient from = i % 3 == 0 ? bob : alice;
        UserName to = i % 3 == 0 ? ALICE : BOB;
        String body = "message " + i + " \u00e9\u4e2d";
        from.send(to, body).get(30, TimeUnit.SECONDS);
        sent.add(body);
      }
      roomId = alice.rooms().create("the club").get(30, TimeUnit.SECONDS).id();
      alice.rooms().add(roomId, BOB).get(30, TimeUnit.SECONDS);
      for (int i = 0; i < 30; i++) {
        String body = "room message " + i;
        (i % 2 == 0 ? alice : bob).rooms().send(roomId, body).get(30, TimeUnit.SECONDS);
        inTheRoom.add(body);
      }
      assertThat(admin.run("backup", backup.toString())).as(admin.err.toString()).isZero();
      assertThat(admin.out.toString()).contains("2 accounts, 120 messages, 30 room messages", "integrity ok");
      alice.send(BOB, "after the backup").get(30, TimeUnit.SECONDS);
      assertThat(admin.run("backup", backup.toString())).as("never over an existing file").isEqualTo(1);
      assertThat(admin.err.toString()).contains("exists already");
    }
    assertThat(Files.getPosixFilePermissions(backup)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

    // The documented restore: server stopped, the old database and its -wal/-shm moved away, the copy in its place.
    Path restored = dir.resolve("restored/p2pchat.db");
    Files.createDirectories(restored.getParent());
    Files.copy(backup, restored);
    try (RunningServer server = new RunningServer("--db", restored.toString());
         ChatClient bob = server.client()) {
      bob.login(BOB, PASSWORD).get(30, TimeUnit.SECONDS);
      List<String> read = new ArrayList<>();
      long cursor = 0;
      while (true) {
        HistoryPage page = bob.history(HistoryQuery.builder().limit(50).cursor(cursor).build()).get(30, TimeUnit.SECONDS);
        List<String> bodies = page.messages().stream().map(ChatMessage::body).toList();
        read.addAll(0, bodies);
        if (page.nextCursor().isEmpty()) {
          break;
        }
        cursor = page.nextCursor().getAsLong();
      }
      assertThat(read).containsExactlyElementsOf(sent);
      List<String> roomRead = new ArrayList<>();
      long roomCursor = 0;
      while (true) {
        org.p2pchat.api.RoomHistoryPage page = bob.rooms().history(roomId,
            HistoryQuery.builder().limit(20).cursor(roomCursor).build()).get(30, TimeUnit.SECONDS);
        roomRead.addAll(0, page.messages().stream().map(org.p2pchat.api.RoomMessage::body).toList());
        if (page.nextCursor().isEmpty()) {
          break;
        }
        roomCursor = page.nextCursor().getAsLong();
      }
      assertThat(roomRead).containsExactlyElementsOf(inTheRoom);
    }
  }

  /**
   * Sends history requests (each a round trip, no sleep) until the server answers NOT_LOGGED_IN,
   * and returns how long that took; fails after 20 s.
   */
  static long untilTheSessionEnds(ChatClient client) throws Exception {
    long start = System.nanoTime();
    while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20)) {
      try {
        client.history(HistoryQuery.builder().limit(1).build()).get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        assertThat(e.getCause()).isInstanceOfSatisfying(ChatException.class,
            c -> assertThat(c.code()).isEqualTo(ErrorCode.NOT_LOGGED_IN));
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      }
    }
    throw new AssertionError("the session was still open 20 s after the admin command");
  }

  static ErrorCode failureOf(java.util.concurrent.CompletableFuture<?> future) throws Exception {
    try {
      future.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(ChatException.class);
      return ((ChatException) e.getCause()).code();
    }
    throw new AssertionError("succeeded");
  }

  @Test
  void disablingBesideARunningServerEndsTheOpenSessionsWithinThePollIntervalAndTheDeviceCannotResume()
      throws Exception {
    AdminRun admin = new AdminRun(db());
    org.p2pchat.api.client.CredentialStore phoneCredential = org.p2pchat.api.client.CredentialStore.inMemory();
    try (RunningServer server = new RunningServer("--db", db().toString());
         ChatClient alice = server.client(); ChatClient bob = server.client()) {
      alice.register(ALICE, PASSWORD).get(30, TimeUnit.SECONDS);
      bob.register(BOB, PASSWORD).get(30, TimeUnit.SECONDS);
      alice.login(ALICE, PASSWORD).get(30, TimeUnit.SECONDS);
      bob.login(BOB, PASSWORD).get(30, TimeUnit.SECONDS);
      try (ChatClient phone = server.client(phoneCredential)) {
        phone.login(ALICE, PASSWORD, "phone").get(30, TimeUnit.SECONDS);
      }

      assertThat(admin.run("disable", "alice")).isZero();
      long took = untilTheSessionEnds(alice);
      assertThat(took).as("ms until the session ended").isLessThan(10_000);
      bob.history(HistoryQuery.builder().limit(1).build()).get(30, TimeUnit.SECONDS);
      assertThat(failureOf(alice.login(ALICE, PASSWORD))).isEqualTo(ErrorCode.ACCOUNT_DISABLED);
      try (ChatClient phone = server.client(phoneCredential)) {
        assertThat(failureOf(phone.resume())).isEqualTo(ErrorCode.ACCOUNT_DISABLED);
      }
      assertThat(server.err.toString() + server.out).doesNotContain("Exception");
    }
  }

  @Test
  void revokingDevicesBesideARunningServerEndsTheDeviceSessionsAndKeepsThePasswordOne() throws Exception {
    AdminRun admin = new AdminRun(db());
    org.p2pchat.api.client.CredentialStore phoneCredential = org.p2pchat.api.client.CredentialStore.inMemory();
    try (RunningServer server = new RunningServer("--db", db().toString());
         ChatClient laptop = server.client(); ChatClient phone = server.client(phoneCredential)) {
      laptop.register(ALICE, PASSWORD).get(30, TimeUnit.SECONDS);
      laptop.login(ALICE, PASSWORD).get(30, TimeUnit.SECONDS);
      phone.login(ALICE, PASSWORD, "phone").get(30, TimeUnit.SECONDS);

      assertThat(admin.run("revoke-devices", "alice")).isZero();
      assertThat(admin.out.toString()).contains("revoked 1 devices of alice");
      try (ChatClient again = server.client(phoneCredential)) {
        assertThat(failureOf(again.resume())).isEqualTo(ErrorCode.CREDENTIAL_REVOKED);
      }
      // The phone's own session: its next request finds it ended (and its resume refused).
      long start = System.nanoTime();
      while (true) {
        try {
          phone.history(HistoryQuery.builder().limit(1).build()).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          break;
        }
        assertThat(System.nanoTime() - start).as("the phone's session ended").isLessThan(TimeUnit.SECONDS.toNanos(20));
      }
      laptop.history(HistoryQuery.builder().limit(1).build()).get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void purgeDeletesOldRoomMessagesTooAndLeavesTheDatabaseConsistent() throws Exception {
    seeded(10);
    try (SqliteChatStore store = SqliteChatStore.open(db())) {
      long room = store.rooms().createRoom(ALICE, "club", T0).get().id();
      store.rooms().addMember(room, ALICE, BOB).get();
      for (int i = 0; i < 30; i++) {
        store.rooms().appendToRoom(room, i % 2 == 0 ? ALICE : BOB, "room " + i, T0.plusSeconds(86_400L * i)).get();
      }
    }
    AdminRun admin = new AdminRun(db());
    admin.clock = Clock.fixed(T0.plusSeconds(86_400L * 30), ZoneOffset.UTC);
    assertThat(admin.run("purge", "--older-than", "25d")).as(admin.err.toString()).isZero();
    // Days 0 to 4 go: 5 room messages, and the 10 messages (days 0 to 9) but those of days 5 to 9.
    assertThat(admin.out.toString()).contains("purged 5 messages and 5 room messages sent before");
    assertThat(integrityCheck(db())).isEqualTo("ok");
    assertThat(admin.run("stats")).isZero();
    assertThat(admin.out.toString()).contains("messages       5", "room messages  25");
  }
}
