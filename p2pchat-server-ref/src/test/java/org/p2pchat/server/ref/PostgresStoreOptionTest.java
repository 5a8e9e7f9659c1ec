package org.p2pchat.server.ref;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.UserName;
import org.p2pchat.store.postgres.PostgresChatStore;

/**
 * {@code --store postgres}: the password from the environment or a file and never from the
 * command line, one clear line and exit 1 for a database that refuses the node, and a start
 * during a database outage that answers "server busy" until the database answers.
 */
class PostgresStoreOptionTest {
  private static final String WRONG = "Wrong-77a1-password";

  @TempDir Path dir;

  private List<String> args(String url, String... more) {
    List<String> a = new ArrayList<>(List.of("--bind", "127.0.0.1", "--port", "0",
        "--db", dir.resolve("data").resolve("chat.db").toString(),
        "--store", "postgres", "--jdbc-url", url, "--db-user", TestPostgres.USER));
    a.addAll(List.of(more));
    return a;
  }

  private static Map<String, String> env(String password) {
    return Map.of(StoreOptions.PASSWORD_VARIABLE, password);
  }

  @Test
  void aPasswordFromTheEnvironmentOpensTheDatabaseAndTheBannerNamesIt() throws Exception {
    String db = TestPostgres.newDatabase();
    FakeServerFactory factory = new FakeServerFactory();
    CommandRun run = new CommandRun(factory, env(TestPostgres.PASSWORD));

    assertThat(run.startAndStop(args(TestPostgres.url(db)).toArray(String[]::new))).isZero();

    assertThat(run.out.toString()).contains("data in postgresql://127.0.0.1:" + TestPostgres.port() + "/" + db
        + " as p2pchat (PostgreSQL)");
    assertThat(factory.events).containsExactly("bound", "started", "server closed while store open");
    assertThat(run.out.toString() + run.err).doesNotContain(TestPostgres.PASSWORD);
  }

  @Test
  void aPasswordFileWinsOverTheEnvironment() throws Exception {
    String db = TestPostgres.newDatabase();
    Path file = Files.writeString(dir.resolve("db-password"), TestPostgres.PASSWORD + "\n");
    CommandRun run = new CommandRun(new FakeServerFactory(), env(WRONG));

    assertThat(run.startAndStop(args(TestPostgres.url(db), "--db-password-file", file.toString())
        .toArray(String[]::new))).isZero();
  }

  @Test
  void aWrongPasswordIsOneLineAndExitOneAndNeverShown() {
    CommandRun run = new CommandRun(ServerFactory.ENGINE, env(WRONG));

    assertThat(run.run(args(TestPostgres.url(TestPostgres.newDatabase())).toArray(String[]::new))).isEqualTo(1);

    assertThat(run.err.toString().lines()).singleElement().asString()
        .startsWith("p2pchat-server: cannot open p2pchat store postgresql://127.0.0.1:")
        .contains("refused the user name or password")
        .doesNotContain(WRONG);
  }

  @Test
  void thereIsNoPasswordOptionAndAUrlMayNotCarryOne() {
    CommandRun run = new CommandRun(ServerFactory.ENGINE, Map.of());
    String url = TestPostgres.url(TestPostgres.newDatabase());

    assertThat(run.run(args(url, "--db-password", WRONG).toArray(String[]::new))).isEqualTo(2);
    assertThat(run.run(args(url + "?password=" + WRONG).toArray(String[]::new))).isEqualTo(2);
    assertThat(run.run("--store", "postgres", "--bind", "127.0.0.1", "--port", "0")).isEqualTo(2);

    // picocli repeats an unknown option's words, as for any typo; the password is refused all the same.
    List<String> lines = run.err.toString().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).contains("Unknown options: '--db-password'");
    assertThat(lines.get(1)).contains("must not carry a password").doesNotContain(WRONG);
    assertThat(lines.get(2)).contains("--store postgres needs --jdbc-url");
  }

  @Test
  void anUnreachableDatabaseWithoutAWaitIsOneLineAndExitOne() throws Exception {
    try (TcpGate closed = new TcpGate(TestPostgres.port())) {
      CommandRun run = new CommandRun(ServerFactory.ENGINE, env(TestPostgres.PASSWORD));

      assertThat(run.run(args(TestPostgres.url(closed.port(), "chat"), "--db-wait", "0s").toArray(String[]::new)))
          .isEqualTo(1);

      assertThat(run.err.toString().lines()).singleElement().asString().contains("no PostgreSQL server answered");
    }
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  void aDatabaseOfANewerSchemaIsOneLineAndExitOne() throws Exception {
    String db = TestPostgres.newDatabase();
    PostgresChatStore.builder(TestPostgres.url(db)).user(TestPostgres.USER).password(TestPostgres.PASSWORD).open().close();
    try (Connection c = TestPostgres.admin(db); Statement s = c.createStatement()) {
      s.execute("UPDATE schema_version SET version = version + 1");
    }
    CommandRun run = new CommandRun(ServerFactory.ENGINE, env(TestPostgres.PASSWORD));

    assertThat(run.run(args(TestPostgres.url(db)).toArray(String[]::new))).isEqualTo(1);

    assertThat(run.err.toString().lines()).singleElement().asString().contains("is newer than version");
  }

  @Test
  void aNodeStartedDuringAnOutageAnswersServerBusyUntilTheDatabaseAnswers() throws Exception {
    String db = TestPostgres.newDatabase();
    try (TcpGate gate = new TcpGate(TestPostgres.port())) {
      FakeServerFactory factory = new FakeServerFactory();
      CommandRun run = new CommandRun(factory, env(TestPostgres.PASSWORD));
      CommandRun.Started started = run.start(args(TestPostgres.url(gate.port(), db), "--db-wait", "2m")
          .toArray(String[]::new));
      started.stop().get(30, TimeUnit.SECONDS);

      assertThat(failureOf(factory)).isEqualTo(ErrorCode.SERVER_BUSY);
      gate.open();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (failureOf(factory) != null) {
        assertThat(System.nanoTime()).as("the store opened once the database answered").isLessThan(deadline);
        assertThat(started.status()).isNotDone();
        Thread.onSpinWait();
      }

      assertThat(started.stop().get().getAsInt()).isZero();
      assertThat(started.status().get(30, TimeUnit.SECONDS)).isZero();
      assertThat(run.err.toString()).doesNotContain(TestPostgres.PASSWORD);
    }
  }

  @Test
  void aNodeWhoseDatabaseStaysUnreachableGivesUpAfterTheWaitInOneLine() throws Exception {
    try (TcpGate closed = new TcpGate(TestPostgres.port())) {
      CommandRun run = new CommandRun(new FakeServerFactory(), env(TestPostgres.PASSWORD));
      CommandRun.Started started = run.start(args(TestPostgres.url(closed.port(), "chat"), "--db-wait", "1s")
          .toArray(String[]::new));

      assertThat(started.status().get(60, TimeUnit.SECONDS)).isEqualTo(1);

      assertThat(run.err.toString().lines()).singleElement().asString()
          .startsWith("p2pchat-server: cannot open p2pchat store").contains("no PostgreSQL server answered");
    }
  }

  /** The code a store call fails with now, or null when it succeeds. */
  private static ErrorCode failureOf(FakeServerFactory factory) throws Exception {
    try {
      factory.store.findUser(UserName.of("probe")).get(30, TimeUnit.SECONDS);
      return null;
    } catch (ExecutionException e) {
      return e.getCause() instanceof ChatException c ? c.code() : ErrorCode.INTERNAL;
    }
  }
}
