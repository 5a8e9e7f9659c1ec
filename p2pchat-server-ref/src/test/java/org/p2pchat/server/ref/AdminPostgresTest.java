package org.p2pchat.server.ref;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.client.CredentialStore;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.api.store.NewMessage;
import org.p2pchat.api.store.StoredUser;
import org.p2pchat.store.postgres.PostgresChatStore;

/**
 * Every admin command against a PostgreSQL store (embedded PostgreSQL): the same commands and
 * outputs as on SQLite, the password from P2PCHAT_DB_PASSWORD, a --db-password-file or the
 * server's config file, never the command line; backup refused with what to use instead; and a
 * disable beside a running node ends its open sessions.
 */
class AdminPostgresTest {
  private static final String PASSWORD = "correct horse battery";
  private static final UserName ALICE = UserName.of("alice");
  private static final UserName BOB = UserName.of("bob");
  private static final UserName CAROL = UserName.of("carol");
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path dir;

  private final String database = TestPostgres.newDatabase();

  private List<String> storeOptions() {
    return List.of("--store", "postgres", "--jdbc-url", TestPostgres.url(database), "--db-user", TestPostgres.USER);
  }

  /** admin with the store's options and the password in the environment. */
  private AdminRun admin() {
    return new AdminRun(storeOptions(), Map.of(StoreOptions.PASSWORD_VARIABLE, TestPostgres.PASSWORD));
  }

  private ChatStore openStore() throws Exception {
    return PostgresChatStore.builder(TestPostgres.url(database)).user(TestPostgres.USER)
        .password(TestPostgres.PASSWORD).open();
  }

  /** alice, bob and carol, {@code messages} messages between alice and bob (one a day from T0), and a room. */
  private void seed(int messages, int roomMessages) throws Exception {
    try (ChatStore store = openStore()) {
      for (UserName u : List.of(ALICE, BOB, CAROL)) {
        store.createUser(StoredUser.of(u, "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", T0)).get();
      }
      for (int i = 0; i < messages; i++) {
        store.append(List.of(NewMessage.of(i % 2 == 0 ? ALICE : BOB, i % 2 == 0 ? BOB : ALICE, "message " + i,
            T0.plusSeconds(86_400L * i)))).get();
      }
      long room = store.rooms().createRoom(ALICE, "club", T0).get().id();
      store.rooms().addMember(room, ALICE, BOB).get();
      for (int i = 0; i < roomMessages; i++) {
        store.rooms().appendToRoom(room, ALICE, "room " + i, T0.plusSeconds(86_400L * i)).get();
      }
      store.admin().recordLogin(BOB, T0.plusSeconds(3600)).get();
      store.devices().addDevice(CAROL, "phone", "hash-1", T0).get();
      store.devices().addDevice(CAROL, "laptop", "hash-2", T0).get();
    }
  }

  @Test
  void everyAccountCommandWorksOnPostgresAsOnSqlite() throws Exception {
    seed(4, 0);
    AdminRun admin = admin();

    assertThat(admin.run("users")).as(admin.err.toString()).isZero();
    assertThat(admin.out.toString()).contains("alice", "bob", "carol", "never", "2026-01-01T01:00:00Z", "active");
    assertThat(admin.run("users", "--match", "AR")).isZero();
    assertThat(admin.out.toString().lines().skip(1)).singleElement().asString().startsWith("carol");
    assertThat(admin.run("user", "bob")).isZero();
    assertThat(admin.out.toString()).startsWith("bob").contains("2026-01-01T01:00:00Z");
    assertThat(admin.run("user", "nobody")).isEqualTo(AdminCommand.NO_SUCH_USER);
    assertThat(admin.err.toString()).contains("there is no user nobody in postgresql://127.0.0.1:");

    assertThat(admin.run("disable", "alice")).isZero();
    assertThat(admin.run("user", "alice")).isZero();
    assertThat(admin.out.toString()).contains("disabled");
    assertThat(admin.run("enable", "alice")).isZero();
    assertThat(admin.run("user", "alice")).isZero();
    assertThat(admin.out.toString()).contains("active");

    assertThat(admin.run("revoke-devices", "carol")).isZero();
    assertThat(admin.out.toString()).contains("revoked 2 devices of carol");

    admin.typed.add("a brand new secret");
    admin.typed.add("a brand new secret");
    assertThat(admin.run("reset-password", "carol")).isZero();
    assertThat(admin.out.toString()).contains("new password set for carol").doesNotContain("a brand new secret");

    assertThat(admin.run("delete", "bob", "--yes")).isZero();
    assertThat(admin.out.toString()).contains("deleted bob and 4 messages");
    assertThat(admin.run("delete", "bob", "--yes")).isEqualTo(AdminCommand.NO_SUCH_USER);

    try (ChatStore store = openStore()) {
      assertThat(store.devices().devices(CAROL).get()).isEmpty();
      assertThat(store.findUser(BOB).get()).isEmpty();
      assertThat(store.findUser(CAROL).get().orElseThrow().passwordHash()).startsWith("$argon2id$");
      assertThat(store.admin().operationsAfter(0, 10).get()).extracting(op -> op.kind().name())
          .containsExactly("DISABLED", "DEVICES_REVOKED", "PASSWORD_RESET", "DELETED");
    }
    assertThat(admin.out.toString() + admin.err).doesNotContain(TestPostgres.PASSWORD);
  }

  @Test
  void purgeAndStatsCoverMessagesAndRoomMessagesAndBackupSaysToUsePgDump() throws Exception {
    seed(10, 30);
    AdminRun admin = admin();
    admin.clock = Clock.fixed(T0.plusSeconds(86_400L * 30), ZoneOffset.UTC);

    assertThat(admin.run("purge", "--older-than", "25d")).as(admin.err.toString()).isZero();
    assertThat(admin.out.toString()).contains("purged 5 messages and 5 room messages sent before 2026-01-06T00:00:00Z");
    assertThat(admin.run("stats")).isZero();
    assertThat(admin.out.toString()).contains("(PostgreSQL)", "users          3", "messages       5",
        "room messages  25", "bytes (the store's tables and indexes)");

    assertThat(admin.run("backup", dir.resolve("copy.db").toString())).isEqualTo(2);
    assertThat(admin.err.toString()).contains("back a PostgreSQL database up with its own tool", "pg_dump");
    assertThat(dir.resolve("copy.db")).doesNotExist();
  }

  @Test
  void theStoreOptionsComeFromAPasswordFileOrTheServersConfigFileAndAWrongPasswordIsOneLine() throws Exception {
    seed(0, 0);
    Path passwordFile = Files.writeString(dir.resolve("db-password"), TestPostgres.PASSWORD + "\n");
    AdminRun withFile = new AdminRun(List.of("--store", "postgres", "--jdbc-url", TestPostgres.url(database),
        "--db-user", TestPostgres.USER, "--db-password-file", passwordFile.toString()), Map.of());
    assertThat(withFile.run("stats")).as(withFile.err.toString()).isZero();

    // The server's own config file, with keys admin does not use (port, retention): they are ignored.
    Path config = Files.writeString(dir.resolve("server.properties"), String.join("\n",
        "store = postgres", "jdbc-url = " + TestPostgres.url(database), "db-user = " + TestPostgres.USER,
        "db-password-file = " + passwordFile, "port = 7777", "retention = 90d", ""));
    AdminRun fromConfig = new AdminRun(List.of("--config", config.toString()), Map.of());
    assertThat(fromConfig.run("users")).as(fromConfig.err.toString()).isZero();
    assertThat(fromConfig.out.toString()).contains("alice", "bob", "carol");
    AdminRun fromEnv = new AdminRun(List.of(), Map.of("P2PCHAT_CONFIG", config.toString()));
    assertThat(fromEnv.run("user", "alice")).as(fromEnv.err.toString()).isZero();

    AdminRun wrong = new AdminRun(storeOptions(), Map.of(StoreOptions.PASSWORD_VARIABLE, "Wrong-5e1f-password"));
    assertThat(wrong.run("users")).isEqualTo(1);
    assertThat(wrong.err.toString().lines()).singleElement().asString()
        .startsWith("p2pchat-server admin: cannot open p2pchat store postgresql://127.0.0.1:")
        .contains("refused the user name or password").doesNotContain("Wrong-5e1f-password");

    assertThat(new AdminRun(List.of("--store", "postgres"), Map.of()).run("users")).isEqualTo(2);
  }

  @Test
  void disablingBesideARunningNodeEndsItsOpenSessionsAndTheDeviceCannotResume() throws Exception {
    Path passwordFile = Files.writeString(dir.resolve("db-password"), TestPostgres.PASSWORD + "\n");
    List<String> node = new ArrayList<>(storeOptions());
    node.addAll(List.of("--db-password-file", passwordFile.toString(), "--db", dir.resolve("node/p2pchat.db").toString()));
    CredentialStore phoneCredential = CredentialStore.inMemory();
    AdminRun admin = admin();
    try (RunningServer server = new RunningServer(node.toArray(String[]::new));
         ChatClient alice = server.client(); ChatClient bob = server.client()) {
      alice.register(ALICE, PASSWORD).get(30, TimeUnit.SECONDS);
      bob.register(BOB, PASSWORD).get(30, TimeUnit.SECONDS);
      alice.login(ALICE, PASSWORD).get(30, TimeUnit.SECONDS);
      bob.login(BOB, PASSWORD).get(30, TimeUnit.SECONDS);
      try (ChatClient phone = server.client(phoneCredential)) {
        phone.login(ALICE, PASSWORD, "phone").get(30, TimeUnit.SECONDS);
      }

      assertThat(admin.run("disable", "alice")).as(admin.err.toString()).isZero();
      assertThat(AdminCommandTest.untilTheSessionEnds(alice)).as("ms until the session ended").isLessThan(10_000);
      bob.history(HistoryQuery.builder().limit(1).build()).get(30, TimeUnit.SECONDS);
      assertThat(AdminCommandTest.failureOf(alice.login(ALICE, PASSWORD))).isEqualTo(ErrorCode.ACCOUNT_DISABLED);
      try (ChatClient phone = server.client(phoneCredential)) {
        assertThat(AdminCommandTest.failureOf(phone.resume())).isEqualTo(ErrorCode.ACCOUNT_DISABLED);
      }

      assertThat(admin.run("enable", "alice")).isZero();
      alice.login(ALICE, PASSWORD).get(30, TimeUnit.SECONDS);
      assertThat(admin.run("user", "alice")).isZero();
      assertThat(admin.out.toString()).doesNotContain("never").contains("active");
    }
  }
}
