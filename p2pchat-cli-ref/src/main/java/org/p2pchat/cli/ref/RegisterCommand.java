package org.p2pchat.cli.ref;

import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import picocli.CommandLine.Command;

/** {@code p2pchat register}: creates an account. */
@Command(name = "register", description = "Create an account (the password is asked twice when prompted).",
    mixinStandardHelpOptions = true, sortOptions = false,
    exitCodeListHeading = "%nExit codes:%n", exitCodeList = {})
final class RegisterCommand extends ScriptCommand {

  RegisterCommand(CliContext ctx) {
    super(ctx);
  }

  @Override
  void run(UserName me) throws CliFailure {
    String password = password(me, true);
    try (ChatClient client = open(message -> { })) {
      Await.result(client.register(me, password), "cannot register " + me + " at " + serverText());
    }
    print("registered " + me, new Json().put("user", me.value()));
  }
}
