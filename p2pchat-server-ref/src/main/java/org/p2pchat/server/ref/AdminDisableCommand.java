package org.p2pchat.server.ref;

import java.util.concurrent.Callable;
import org.p2pchat.api.UserName;
import org.p2pchat.protocol.Audit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code admin disable NAME}: the account can no longer log in (ACCOUNT_DISABLED); its data stays. */
@Command(name = "disable", mixinStandardHelpOptions = true,
    description = "Disable an account: its logins and resumes are refused, and running servers end its open "
        + "sessions within seconds; its messages stay.")
final class AdminDisableCommand implements Callable<Integer> {
  @ParentCommand AdminCommand admin;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "NAME", description = "The user's name.")
  String name;

  @Override
  public Integer call() throws StartupException {
    UserName user = admin.userName(spec, name);
    boolean found = admin.withStore(s -> AdminCommand.await(s.admin().setDisabled(user, true)));
    if (!found) {
      return admin.noSuchUser(user);
    }
    Audit.adminAction("disabled", user, -1);
    admin.out().println("disabled " + user.value());
    admin.out().flush();
    return 0;
  }
}
