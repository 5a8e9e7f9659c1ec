package org.p2pchat.cli.ref;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.UserName;
import picocli.CommandLine;

class ScriptCommandsTest {
  @TempDir Path dir;

  private final FakeChatServer server = new FakeChatServer();
  private final Map<String, String> env = new HashMap<>();
  private final List<String> prompts = new ArrayList<>();
  private final List<String> typed = new ArrayList<>();
  private StringWriter out;
  private StringWriter err;

  @AfterEach
  void stop() {
    server.close();
  }

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    PasswordPrompt prompt = p -> {
      prompts.add(p);
      return typed.isEmpty() ? null : typed.remove(0).toCharArray();
    };
    CliContext ctx = new CliContext(env, server, prompt, () -> {
      throw new AssertionError("no terminal in scripts");
    }, ZoneOffset.UTC);
    CommandLine cl = CliMain.commandLine(ctx);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void theServerMayBeGivenBeforeTheCommandAndTheUserNameAsAParameter() {
    env.put("P2PCHAT_PASSWORD", "alice-password");

    assertThat(run("--server", "127.0.0.1:4567", "register", "alice")).isZero();
    assertThat(run("-s", "127.0.0.1:4568", "login", "alice")).isZero();
    assertThat(run("send", "--server", "127.0.0.1:4569", "--user", "alice", "alice", "hi")).isZero();

    assertThat(server.addresses).extracting(a -> a.getPort()).containsExactly(4567, 4568, 4569);
    assertThat(out.toString()).isEqualTo("sent #1 to alice\n");
  }

  @Test
  void twoUsersRegisterExchangeMessagesAndEachSeesTheOthersInView() {
    env.put("P2PCHAT_PASSWORD", "alice-password");
    assertThat(run("register", "--user", "alice")).isZero();
    assertThat(out.toString()).isEqualTo("registered alice\n");
    env.put("P2PCHAT_PASSWORD", "bob-password");
    assertThat(run("register", "--user", "bob")).isZero();

    env.put("P2PCHAT_PASSWORD", "alice-password");
    assertThat(run("send", "--user", "alice", "bob", "hello", "bob")).isZero();
    assertThat(out.toString()).isEqualTo("sent #1 to bob\n");
    env.put("P2PCHAT_PASSWORD", "bob-password");
    env.put("P2PCHAT_USER", "bob");
    assertThat(run("send", "alice", "hi alice")).isZero();

    assertThat(run("view")).isZero();
    assertThat(out.toString()).isEqualTo(
        "#1 [2026-11-25 10:15] alice -> bob: hello bob (new)\n"
            + "#2 [2026-11-25 10:15] bob -> alice: hi alice (stored)\n");
    assertThat(server.messages("bob").get(0).state()).as("shown, so read").isEqualTo(DeliveryState.READ);
    assertThat(run("view", "--limit", "1", "--before", "2")).isZero();
    assertThat(out.toString()).isEqualTo("#1 [2026-11-25 10:15] alice -> bob: hello bob\n");

    env.put("P2PCHAT_PASSWORD", "alice-password");
    assertThat(run("view", "--user", "alice", "--unread")).isZero();
    assertThat(out.toString()).isEqualTo("#2 [2026-11-25 10:15] bob -> alice: hi alice (new)\n");
    assertThat(run("view", "--user", "alice", "--unread")).isZero();
    assertThat(out.toString()).isEqualTo("(no messages)\n");
  }

  @Test
  void jsonOutputIsOneObjectPerCommand() {
    server.addUser("alice", "alice-password");
    server.addUser("bob", "bob-password");
    env.put("P2PCHAT_PASSWORD", "alice-password");
    env.put("P2PCHAT_USER", "alice");

    assertThat(run("send", "--json", "bob", "say \"hi\"\tnow")).isZero();
    assertThat(out.toString()).isEqualTo("{\"message\":{\"id\":1,\"from\":\"alice\",\"to\":\"bob\","
        + "\"body\":\"say \\\"hi\\\"\\tnow\",\"sentAt\":\"2026-11-25T10:15:30Z\",\"state\":\"STORED\"},"
        + "\"ok\":true,\"command\":\"send\"}\n");

    server.deliver("bob", "alice", "back");
    assertThat(run("view", "--json", "--peer", "bob", "--limit", "1")).isZero();
    assertThat(out.toString()).isEqualTo("{\"user\":\"alice\",\"messages\":[{\"id\":2,\"from\":\"bob\","
        + "\"to\":\"alice\",\"body\":\"back\",\"sentAt\":\"2026-11-25T10:15:30Z\",\"state\":\"STORED\"}],"
        + "\"nextCursor\":2,\"markedRead\":[2],\"ok\":true,\"command\":\"view\"}\n");
  }

  @Test
  void aFailureInJsonModeIsAnObjectWithTheCodeAndTheSentence() {
    server.addUser("alice", "alice-password");
    env.put("P2PCHAT_PASSWORD", "alice-password");

    assertThat(run("register", "--json", "--user", "alice")).isEqualTo(ExitCodes.REFUSED);
    assertThat(out.toString()).isEqualTo("{\"ok\":false,\"command\":\"register\",\"error\":{\"message\":"
        + "\"cannot register alice at localhost:7777: that user name is taken\",\"exitCode\":5,"
        + "\"code\":\"NAME_TAKEN\",\"number\":3}}\n");
  }

  @Test
  void serverErrorsAreOneSentenceOnStderrWithADistinctExitCode() {
    server.addUser("alice", "alice-password");
    env.put("P2PCHAT_USER", "alice");

    env.put("P2PCHAT_PASSWORD", "wrong-password");
    assertThat(run("send", "bob", "hi")).isEqualTo(ExitCodes.LOGIN_FAILED);
    assertThat(err.toString()).isEqualTo("p2pchat: cannot log in as alice at localhost:7777: wrong user name or password\n");

    env.put("P2PCHAT_PASSWORD", "alice-password");
    assertThat(run("send", "nobody", "hi")).isEqualTo(ExitCodes.REFUSED);
    assertThat(err.toString()).isEqualTo("p2pchat: cannot send to nobody: there is no user of that name\n");

    assertThat(run("send", "alice", "x".repeat(65_537))).isEqualTo(ExitCodes.REFUSED);
    assertThat(err.toString()).isEqualTo("p2pchat: cannot send to alice: that message is too long\n");

    server.failEverythingWith = ErrorCode.TIMEOUT;
    assertThat(run("login")).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(err.toString()).isEqualTo("p2pchat: cannot log in as alice at localhost:7777: the server did not answer\n");

    server.failEverythingWith = ErrorCode.RATE_LIMITED;
    assertThat(run("login")).isEqualTo(ExitCodes.TRY_LATER);
    server.failEverythingWith = ErrorCode.INTERNAL;
    assertThat(run("login")).isEqualTo(ExitCodes.SERVER_ERROR);
  }

  @Test
  void thePasswordComesFromTheFileThenTheEnvironmentThenANoEchoPrompt() throws Exception {
    server.addUser("alice", "from-the-file");
    Path file = Files.writeString(dir.resolve("pw"), "from-the-file\nsecond line ignored\n");
    env.put("P2PCHAT_PASSWORD", "from-the-environment");

    assertThat(run("login", "--user", "alice", "--password-file", file.toString())).isZero();
    assertThat(out.toString()).isEqualTo("alice can log in\n");

    assertThat(run("login", "--user", "alice")).isEqualTo(ExitCodes.LOGIN_FAILED);

    env.remove("P2PCHAT_PASSWORD");
    typed.add("from-the-file");
    assertThat(run("login", "--user", "alice")).isZero();
    assertThat(prompts).containsExactly("password for alice: ");
  }

  @Test
  void registerAtAPromptAsksTwiceAndRefusesDifferentPasswords() {
    typed.add("first-password");
    typed.add("other-password");

    assertThat(run("register", "--user", "carol")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).isEqualTo("p2pchat: the two passwords differ\n");
    assertThat(prompts).containsExactly("choose a password for carol (8 to 128 characters): ", "repeat the password: ");
  }

  @Test
  void aShortPasswordIsRefusedBeforeItIsAskedAgainWithTheDocumentedCodeAndJson() {
    typed.add("short");
    assertThat(run("register", "--user", "carol")).isEqualTo(ExitCodes.REFUSED);
    assertThat(prompts).as("not asked to repeat it").hasSize(1);
    assertThat(err.toString()).isEqualTo(
        "p2pchat: cannot register carol at localhost:7777: that password is not allowed (8 to 128 characters)\n");

    env.put("P2PCHAT_PASSWORD", "short");
    assertThat(run("register", "--json", "carol")).isEqualTo(ExitCodes.REFUSED);
    assertThat(out.toString()).isEqualTo("{\"ok\":false,\"command\":\"register\",\"error\":{\"message\":"
        + "\"cannot register carol at localhost:7777: that password is not allowed (8 to 128 characters)\","
        + "\"exitCode\":5,\"code\":\"INVALID_PASSWORD\",\"number\":12}}\n");
  }

  @Test
  void usageErrorsInJsonModeAreObjectsTooAndNumbersAreNotJavaTypes() {
    assertThat(run("view", "--json", "--user", "alice", "--limit", "abc")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).isEqualTo(
        "p2pchat: Invalid value for option '--limit': 'abc' is not a whole number (see --help)\n");
    assertThat(out.toString()).isEqualTo("{\"ok\":false,\"command\":\"view\",\"error\":{\"message\":"
        + "\"Invalid value for option '--limit': 'abc' is not a whole number (see --help)\",\"exitCode\":2}}\n");

    assertThat(run("send", "--json", "bob", "hi")).isEqualTo(ExitCodes.USAGE);
    assertThat(out.toString()).contains("\"ok\":false", "\"command\":\"send\"", "\"exitCode\":2");
  }

  @Test
  void aMissingPasswordFileIsASentenceNotAJavaException() {
    assertThat(run("login", "--user", "alice", "--password-file", dir.resolve("nope").toString()))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).isEqualTo("p2pchat: cannot read the password file " + dir.resolve("nope")
        + ": it does not exist\n");
  }

  @Test
  void withNoPasswordAnywhereTheCommandSaysWhereToPutOne() {
    assertThat(run("login", "--user", "alice")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).isEqualTo(
        "p2pchat: no password: use --password-file, set P2PCHAT_PASSWORD, or run in a terminal to be asked\n");
  }

  @Test
  void aPasswordOnTheCommandLineIsNotAnOption() {
    assertThat(run("login", "--user", "alice", "--password", "secret")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).startsWith("p2pchat: Unknown option").hasLineCount(1);
  }

  @Test
  void badOptionValuesAreOneLineNamingTheOptionAndTheValue() {
    assertThat(run("view", "--user", "alice", "--limit", "101")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).isEqualTo("p2pchat: Invalid value for option '--limit': '101' is not 1 to 100 (see --help)\n");

    assertThat(run("send", "--user", "9lives", "bob", "hi")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("--user", "'9lives'").hasLineCount(1);

    assertThat(run("send", "--server", "localhost:99999", "--user", "alice", "bob", "hi")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("'--server'", "'localhost:99999'").hasLineCount(1);

    assertThat(run("send", "bob", "hi")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).isEqualTo("p2pchat: Missing option '--user' (or set P2PCHAT_USER) (see --help)\n");
  }

  @Test
  void viewPassesItsFiltersAndPrintsTheCursorOfTheNextPage() {
    server.addUser("alice", "alice-password");
    server.addUser("bob", "bob-password");
    for (int i = 1; i <= 5; i++) {
      server.deliver("bob", "alice", "m" + i);
    }
    env.put("P2PCHAT_PASSWORD", "alice-password");

    assertThat(run("view", "--user", "alice", "--peer", "Bob", "--limit", "2", "--before", "5")).isZero();

    HistoryQuery q = server.queries.get(0);
    assertThat(q.peer()).contains(UserName.of("bob"));
    assertThat(q.limit()).isEqualTo(2);
    assertThat(q.cursor()).isEqualTo(5);
    assertThat(out.toString()).endsWith("bob -> alice: m4 (new)\n(older messages: --before 3)\n");
  }

  @Test
  void helpDocumentsTheExitCodesAndTheEnvironment() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("register", "send", "view", "Exit codes:", "3   the server did not answer",
        "P2PCHAT_SERVER", "P2PCHAT_USER", "P2PCHAT_PASSWORD");
    assertThat(run("send", "--help")).isZero();
    assertThat(out.toString()).contains("--password-file", "--json", "Exit codes:", "4   wrong user name or password");
  }
}
