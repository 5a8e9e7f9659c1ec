package org.p2pchat.cli.ref;

import org.p2pchat.api.UserName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code p2pchat login}: checks that a user can log in, then logs out. */
@Command(name = "login", description = "Check that the user name and password are accepted (logs in, then out).",
    mixinStandardHelpOptions = true, sortOptions = false,
    exitCodeListHeading = "%nExit codes:%n", exitCodeList = {})
final class LoginCommand extends ScriptCommand {

  LoginCommand(CliContext ctx) {
    super(ctx);
  }

  /** The user name may also be given as a parameter: {@code p2pchat login alice}. */
  @Parameters(index = "0", arity = "0..1", paramLabel = "NAME",
      description = "Your user name (instead of --user).")
  void userParameter(String name) {
    user = name;
  }

  @Override
  void run(UserName me) throws CliFailure {
    loggedIn(me, client -> me);
    print(me + " can log in", new Json().put("user", me.value()));
  }
}
