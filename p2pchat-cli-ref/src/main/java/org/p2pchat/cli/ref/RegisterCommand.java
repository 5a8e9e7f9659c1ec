package org.p2pchat.cli.ref;

import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code p2pchat register}: creates an account. */
@Command(name = "register", description = "Create an account (the password is asked twice when prompted).",
    mixinStandardHelpOptions = true, sortOptions = false,
    exitCodeListHeading = "%nExit codes:%n", exitCodeList = {})
final class RegisterCommand extends ScriptCommand {

  RegisterCommand(CliContext ctx) {
    super(ctx);
  }

  /** The user name may also be given as a parameter: {@code p2pchat register alice}. */
  @Parameters(index = "0", arity = "0..1", paramLabel = "NAME",
      description = "Your user name (instead of --user).")
  void userParameter(String name) {
    user = name;
  }

  @Override
  void run(UserName me) throws CliFailure {
    String password = password(me, true);
    checkNewPassword(me, password);
    try (ChatClient client = open(message -> { })) {
      Await.result(() -> client.register(me, password), "cannot register " + me + " at " + serverText());
    }
    print("registered " + me, new Json().put("user", me.value()));
  }
}
