package org.p2pchat.cli.ref;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interactive CLI as a person meets it: the real jar in a real terminal (tmux), against the
 * real server jar on a loopback port. Keys go in with {@code tmux send-keys}, pastes with
 * {@code paste-buffer}; every assertion is on the text of the screen.
 */
class TerminalChatIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String CHECK = "\u2713";

  @TempDir Path dir;
  private Tmux tmux;
  private ServerProcess server;

  @BeforeAll
  static void needsTmux() {
    String why = Tmux.unavailableReason();
    assumeTrue(why == null, () -> "skipped: the terminal tests need tmux: " + why);
  }

  @BeforeEach
  void start() throws Exception {
    tmux = Tmux.in(dir);
    server = startServer(0);
  }

  @AfterEach
  void stop() throws Exception {
    tmux.close();
    server.close();
  }

  private ServerProcess startServer(int port) throws Exception {
    // Keepalives every second: the clients notice a dead server within two of them.
    return ServerProcess.start(List.of(), dir.resolve("server.log"), "--bind", "127.0.0.1", "--port",
        Integer.toString(port), "--db", dir.resolve("data").resolve("p2pchat.db").toString(),
        "--keepalive-interval", "1s");
  }

  /** Starts the CLI in window {@code name}, its home (known hosts, credentials) in the test's directory. */
  private void cli(String name, int width, int height) throws Exception {
    Path home = Files.createDirectories(dir.resolve("home-" + name));
    tmux.start(name, width, height, List.of("env", "HOME=" + home, "LANG=C.UTF-8", "LC_ALL=C.UTF-8",
        ServerProcess.java(), "-Duser.home=" + home, "-jar", Jars.cliJar().toAbsolutePath().toString(),
        "--server", server.host + ":" + server.port, "--server-key", server.key.base64()));
    tmux.await(name, "p2pchat>", WAIT);
  }

  private void register(String window, String user, String password) throws Exception {
    tmux.type(window, "/register " + user);
    tmux.keys(window, "Enter");
    awaitPrompt(window, "choose a password for " + user + " (8 to 128 characters):");
    tmux.type(window, password);
    tmux.keys(window, "Enter");
    awaitPrompt(window, "repeat it:");
    tmux.type(window, password);
    tmux.keys(window, "Enter");
    tmux.await(window, "logged in as " + user, WAIT);
  }

  private void line(String window, String text) throws Exception {
    tmux.type(window, text);
    tmux.keys(window, "Enter");
  }

  /** Waits until the prompt (the last row) is {@code prompt}. */
  private void awaitPrompt(String window, String prompt) throws Exception {
    tmux.awaitScreen(window, s -> lastRow(s).equals(prompt), "the prompt \"" + prompt + "\"", WAIT);
  }

  /** The last non-blank row of the screen: where the prompt is. */
  private static String lastRow(String screen) {
    String[] rows = screen.strip().split("\n");
    return rows[rows.length - 1];
  }

  @Test
  void registerLogInSendViewAndLogOutOneLinePerMessage() throws Exception {
    cli("alice", 100, 30);
    cli("bob", 100, 30);
    register("alice", "alice", "alice-password");
    register("bob", "bob", "bob-password");

    line("alice", "/to bob");
    tmux.await("alice", "talking to bob", WAIT);
    line("alice", "hi bob!");
    tmux.await("bob", "alice: hi bob!", WAIT);
    // bob's screen showed it, so it is read; the mark moves on in place on alice's line.
    String alice = tmux.await("alice", "me -> bob: hi bob!  " + CHECK + CHECK + " read", WAIT);
    assertThat(alice).as("the typed line gives way to the message line").doesNotContain("alice -> bob> hi bob!");
    assertThat(Tmux.count(alice, "hi bob!")).as("one line per message, no receipt lines").isEqualTo(1);
    assertThat(lastRow(alice)).isEqualTo("alice -> bob>");

    line("bob", "/view alice");
    tmux.await("bob", "alice -> bob: hi bob!", WAIT);

    line("alice", "/logout");
    tmux.await("alice", "logged out alice", WAIT);
    tmux.awaitScreen("alice", s -> lastRow(s).equals("p2pchat>"), "the login prompt", WAIT);
    line("alice", "/login alice");
    tmux.await("alice", "password for alice:", WAIT);
    line("alice", "alice-password");
    tmux.await("alice", "logged in as alice", WAIT);
    line("alice", "/quit");
    assertThat(tmux.awaitExit("alice", WAIT)).isZero();
    assertThat(tmux.history("alice")).contains("bye").doesNotContain("Exception", "alice-password");
  }

  @Test
  void ctrlCAndCtrlDAtEveryPromptNeverEndTheProgramByAccident() throws Exception {
    cli("a", 100, 40);
    // Ctrl-C at the main prompt clears the line.
    tmux.type("a", "some half-typed line");
    tmux.await("a", "some half-typed line", WAIT);
    tmux.keys("a", "C-c");
    tmux.awaitScreen("a", s -> !s.contains("some half-typed line") || lastRow(s).equals("p2pchat>"),
        "the line cleared", WAIT);

    // At each question of /login and /register, Ctrl-C and Ctrl-D cancel it.
    line("a", "/login alice");
    tmux.await("a", "password for alice:", WAIT);
    tmux.type("a", "secret-half");
    tmux.keys("a", "C-c");
    tmux.await("a", "password for alice: (cancelled)", WAIT);
    line("a", "/login alice");
    awaitPrompt("a", "password for alice:");
    tmux.keys("a", "C-d");
    tmux.awaitInHistory("a", "password for alice: (cancelled)", 2, WAIT);
    line("a", "/login");
    tmux.await("a", "user name:", WAIT);
    tmux.keys("a", "C-d");
    tmux.await("a", "user name: (cancelled)", WAIT);
    line("a", "/register carol");
    tmux.await("a", "choose a password for carol (8 to 128 characters):", WAIT);
    tmux.keys("a", "C-c");
    tmux.await("a", "choose a password for carol (8 to 128 characters): (cancelled)", WAIT);
    line("a", "/register carol");
    awaitPrompt("a", "choose a password for carol (8 to 128 characters):");
    line("a", "carol-password");
    awaitPrompt("a", "repeat it:");
    tmux.keys("a", "C-c");
    tmux.await("a", "repeat it: (cancelled)", WAIT);
    line("a", "/register carol");
    awaitPrompt("a", "choose a password for carol (8 to 128 characters):");
    line("a", "carol-password");
    awaitPrompt("a", "repeat it:");
    tmux.keys("a", "C-d");
    tmux.awaitInHistory("a", "repeat it: (cancelled)", 2, WAIT);

    // Now for real, then Ctrl-D goes back one screen at a time.
    register("a", "carol", "carol-password");
    line("a", "/to carol2");
    tmux.await("a", "talking to carol2", WAIT);
    tmux.keys("a", "C-c");
    tmux.keys("a", "C-d");
    tmux.await("a", "stopped talking to carol2", WAIT);
    tmux.awaitScreen("a", s -> lastRow(s).equals("carol>"), "the chat prompt", WAIT);
    tmux.keys("a", "C-d");
    tmux.await("a", "logged out carol", WAIT);
    tmux.awaitScreen("a", s -> lastRow(s).equals("p2pchat>"), "the login prompt", WAIT);
    tmux.keys("a", "C-d");
    tmux.await("a", "bye", WAIT);
    assertThat(tmux.awaitExit("a", WAIT)).isZero();

    String all = tmux.history("a");
    assertThat(all).contains("bye").doesNotContain("Exception", "secret-half", "carol-password");
  }

  @Test
  void aShortPasswordIsRefusedBeforeRepeatItWithTheRulesInThePrompt() throws Exception {
    cli("a", 120, 30);
    line("a", "/register carol");
    tmux.await("a", "choose a password for carol (8 to 128 characters):", WAIT);
    line("a", "short");
    String screen = tmux.await("a", "that password is too short: it needs at least 8 characters, and it has 5", WAIT);
    assertThat(screen).doesNotContain("repeat it", "Exception");
    tmux.awaitScreen("a", s -> lastRow(s).equals("p2pchat>"), "the login prompt", WAIT);
  }

  @Test
  void aFiveThousandCharacterMessageGoesAsOneMessageAndArrivesWhole() throws Exception {
    cli("alice", 120, 50);
    cli("bob", 120, 50);
    register("alice", "alice", "alice-password");
    register("bob", "bob", "bob-password");
    line("alice", "/to bob");
    tmux.await("alice", "talking to bob", WAIT);

    String text = "0123456789".repeat(500);
    tmux.paste("alice", text);
    tmux.keys("alice", "Enter");
    String bob = tmux.awaitInHistory("bob", "] alice: 0123456789", 1, WAIT);
    assertThat(tmux.history("alice")).doesNotContain("over the limit");
    StringBuilder received = new StringBuilder();
    for (String row : bob.split("\n")) {
      int at = row.indexOf("] alice: ");
      if (at >= 0) {
        received.append(row.substring(at + "] alice: ".length()).strip());
      }
    }
    assertThat(received.toString()).isEqualTo(text);
  }

  @Test
  void aMultiLinePasteIsOneMessageIndentedUnderItsHeader() throws Exception {
    cli("alice", 100, 30);
    cli("bob", 100, 30);
    register("alice", "alice", "alice-password");
    register("bob", "bob", "bob-password");
    line("alice", "/to bob");
    tmux.await("alice", "talking to bob", WAIT);

    tmux.paste("alice", "line one\nline two\nline three");
    tmux.keys("alice", "Enter");
    String bob = tmux.await("bob", "alice: line one", WAIT);
    bob = tmux.await("bob", "line three", WAIT);
    List<String> rows = List.of(bob.split("\n"));
    int header = rows.indexOf(rows.stream().filter(r -> r.contains("alice: line one")).findFirst().orElseThrow());
    int indent = rows.get(header).indexOf("line one");
    assertThat(rows.get(header + 1)).isEqualTo(" ".repeat(indent) + "line two");
    assertThat(rows.get(header + 2)).isEqualTo(" ".repeat(indent) + "line three");
    String alice = tmux.await("alice", "me -> bob: line one  " + CHECK, WAIT);
    assertThat(alice).doesNotContain("line one?line two");
  }

  @Test
  void aUserWhoDoesNotExistIsSaidToNotExistAndErrorsAreSentences() throws Exception {
    cli("alice", 120, 30);
    register("alice", "alice", "alice-password");
    line("alice", "/to zed");
    tmux.await("alice", "talking to zed: no messages with zed yet", WAIT);
    line("alice", "anyone?");
    tmux.await("alice", "not sent: there is no user named zed", WAIT);
    awaitPrompt("alice", "alice>");
    line("alice", "/view 9lives");
    String screen = tmux.await("alice", "'9lives': that user name is not allowed", WAIT);
    assertThat(screen).doesNotContain("Exception", "java.");
  }

  @Test
  void aServerRestartMidSessionIsRiddenOutQueuedMessagesGoOutOnceAndTheNextStartResumes() throws Exception {
    cli("alice", 120, 40);
    cli("bob", 120, 40);
    register("alice", "alice", "alice-password");
    register("bob", "bob", "bob-password");
    line("alice", "/to bob");
    tmux.await("alice", "talking to bob", WAIT);
    line("alice", "before the restart");
    tmux.await("alice", "me -> bob: before the restart  " + CHECK + CHECK + " read", WAIT);

    int port = server.port;
    server.kill();
    line("alice", "while it is down");
    tmux.await("alice", "me -> bob: while it is down  \u00b7", WAIT);
    String down = tmux.await("alice", "[reconnecting", Duration.ofSeconds(60));
    assertThat(down).contains("lost the connection to the server: reconnecting by itself");
    assertThat(lastRow(down)).startsWith("[reconnecting").endsWith("alice -> bob>");
    line("alice", "queued too");
    tmux.await("alice", "me -> bob: queued too  \u00b7 queued", WAIT);

    server = startServer(port);
    tmux.await("alice", "back online as alice", Duration.ofSeconds(60));
    tmux.await("alice", "me -> bob: queued too  " + CHECK, WAIT);
    awaitPrompt("alice", "alice -> bob>");
    String bob = tmux.await("bob", "alice: queued too", Duration.ofSeconds(60));
    assertThat(Tmux.count(bob, "alice: while it is down")).as("stored and shown once").isEqualTo(1);
    assertThat(Tmux.count(bob, "alice: queued too")).isEqualTo(1);

    // /quit keeps this device's credential: the next start resumes without the password.
    line("alice", "/quit");
    assertThat(tmux.awaitExit("alice", WAIT)).isZero();
    cliResuming("alice2", "alice");
    tmux.await("alice2", "resumed the session of alice", WAIT);
    assertThat(tmux.history("alice2")).doesNotContain("password for");
    assertThat(tmux.history("alice") + tmux.history("bob")).doesNotContain("Exception");
  }

  /** Starts another CLI window with the home of {@code homeOf}'s window, so with its credential. */
  private void cliResuming(String name, String homeOf) throws Exception {
    Path home = dir.resolve("home-" + homeOf);
    tmux.start(name, 120, 40, List.of("env", "HOME=" + home, "LANG=C.UTF-8", "LC_ALL=C.UTF-8",
        ServerProcess.java(), "-Duser.home=" + home, "-jar", Jars.cliJar().toAbsolutePath().toString(),
        "--server", server.host + ":" + server.port, "--server-key", server.key.base64()));
  }
}
