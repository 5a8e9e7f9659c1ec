package org.p2pchat.cli.ref;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.client.ChatListener;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What every scriptable subcommand shares: the server, the user and the password, the
 * {@code --json} switch, and the mapping of failures to one line on stderr and an exit code.
 *
 * <p>The password is read from {@code --password-file}, else {@code P2PCHAT_PASSWORD}, else a
 * prompt without echo; never from the command line, where other users of the machine could
 * read it.
 */
abstract class ScriptCommand implements Callable<Integer> {
  static final String PASSWORD_VARIABLE = "P2PCHAT_PASSWORD";

  @Spec CommandSpec spec;

  @Mixin ServerOption serverOption;

  @Option(names = {"-u", "--user"}, paramLabel = "NAME",
      description = "Your user name (or $P2PCHAT_USER).")
  String user;

  @Option(names = "--password-file", paramLabel = "FILE",
      description = "Read the password from the first line of this file (else $P2PCHAT_PASSWORD, "
          + "else a prompt without echo).")
  Path passwordFile;

  @Option(names = "--json", description = "Print the result (or the error) as one line of JSON on stdout.")
  boolean json;

  final CliContext ctx;

  ScriptCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  /** Does the command's work as {@code me}, printing its result; throws to fail. */
  abstract void run(UserName me) throws CliFailure;

  @Override
  public final Integer call() {
    UserName me = userName();
    try {
      run(me);
      return ExitCodes.OK;
    } catch (CliFailure f) {
      if (json) {
        Json error = new Json().put("message", f.getMessage()).put("exitCode", f.exitCode());
        f.errorCode().ifPresent(c -> error.put("code", c.name()).put("number", c.code()));
        out().println(new Json().put("ok", false).put("command", spec.name()).raw("error", error.toString()));
        out().flush();
      }
      PrintWriter err = spec.commandLine().getErr();
      err.println("p2pchat: " + f.getMessage());
      err.flush();
      return f.exitCode();
    }
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** Prints the human line, or the JSON object when {@code --json} is set. */
  void print(String human, Json machine) {
    out().println(json ? machine.put("ok", true).put("command", spec.name()).toString() : human);
    out().flush();
  }

  private UserName userName() {
    if (user == null || user.isBlank()) {
      throw new ParameterException(spec.commandLine(), "Missing option '--user' (or set P2PCHAT_USER)");
    }
    return name("--user", user);
  }

  /** A user name from an option or parameter, or a usage error naming it. */
  UserName name(String option, String value) {
    if (!UserName.isValid(value.strip())) {
      throw new ParameterException(spec.commandLine(), "Invalid value for " + option + ": '" + value
          + "' is not a user name (3-32 letters, digits, '_' or '-', starting with a letter)");
    }
    return UserName.of(value.strip());
  }

  /**
   * The password, from the file, the environment or a prompt.
   *
   * @param confirm whether a prompt asks twice (registration)
   */
  String password(UserName me, boolean confirm) throws CliFailure {
    if (passwordFile != null) {
      try {
        String text = Files.readString(passwordFile, StandardCharsets.UTF_8);
        int end = text.indexOf('\n');
        String line = end < 0 ? text : text.substring(0, end);
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
      } catch (IOException e) {
        throw new CliFailure("cannot read the password file " + passwordFile + ": " + Sentences.ofFile(e), ExitCodes.USAGE);
      }
    }
    String fromEnv = ctx.env.get(PASSWORD_VARIABLE);
    if (fromEnv != null) {
      return fromEnv;
    }
    char[] typed = ask(confirm
        ? "choose a password for " + me + " (" + PasswordRules.RULES + "): "
        : "password for " + me + ": ");
    if (typed == null) {
      throw new CliFailure("no password: use --password-file, set " + PASSWORD_VARIABLE
          + ", or run in a terminal to be asked", ExitCodes.USAGE);
    }
    try {
      if (confirm) {
        checkNewPassword(me, new String(typed));
        char[] again = ask("repeat the password: ");
        boolean same = Arrays.equals(typed, again);
        if (again != null) {
          Arrays.fill(again, '\0');
        }
        if (!same) {
          throw new CliFailure("the two passwords differ", ExitCodes.USAGE);
        }
      }
      return new String(typed);
    } finally {
      Arrays.fill(typed, '\0');
    }
  }

  private char[] ask(String prompt) throws CliFailure {
    try {
      return ctx.passwords.readPassword(prompt);
    } catch (java.util.concurrent.CancellationException e) {
      throw new CliFailure("no password: the prompt was cancelled", ExitCodes.USAGE);
    }
  }

  /**
   * Refuses a new password that breaks the rules, as the server would (exit 5,
   * {@code INVALID_PASSWORD}), before anyone is asked to repeat it.
   */
  void checkNewPassword(UserName me, String password) throws CliFailure {
    if (PasswordRules.problem(password).isPresent()) {
      throw CliFailure.of("cannot register " + me + " at " + serverText(),
          new org.p2pchat.api.ChatException(org.p2pchat.api.ErrorCode.INVALID_PASSWORD));
    }
  }

  /** Opens a client of the server; the caller closes it. */
  ChatClient open(ChatListener listener) throws CliFailure {
    try {
      return ctx.clients.open(serverOption, listener);
    } catch (ServerKeyException e) {
      throw new CliFailure(e.getMessage(), e.exitCode());
    } catch (IOException e) {
      throw new CliFailure("cannot open a UDP socket: " + Sentences.ofNetwork(e), ExitCodes.UNREACHABLE);
    }
  }

  /** Work done with a logged-in client. */
  @FunctionalInterface
  interface SessionWork<T> {
    T run(ChatClient client) throws CliFailure;
  }

  /** Logs in as {@code me}, does {@code work}, then logs out (closing the client does). */
  <T> T loggedIn(UserName me, SessionWork<T> work) throws CliFailure {
    String password = password(me, false);
    // Scripts read history rather than pushes, so pushed messages need no listener.
    try (ChatClient client = open(message -> { })) {
      Await.result(() -> client.login(me, password), "cannot log in as " + me + " at " + serverText());
      return work.run(client);
    }
  }

  String serverText() {
    return ServerAddressConverter.text(server());
  }

  /** The server's address (see {@link ServerOption#address()}). */
  InetSocketAddress server() {
    return serverOption.address();
  }
}
