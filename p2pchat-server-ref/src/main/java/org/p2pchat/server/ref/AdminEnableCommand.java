package org.p2pchat.server.ref;

import java.util.concurrent.Callable;
import org.p2pchat.api.UserName;
import org.p2pchat.protocol.Audit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code admin enable NAME}: a disabled account can log in again. */
@Command(name = "enable", mixinStandardHelpOptions = true,
    description = "Enable a disabled account again.")
final class AdminEnableCommand implements Callable<Integer> {
  @ParentCommand AdminCommand admin;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "NAME", description = "The user's name.")
  String name;

  @Override
  public Integer call() throws StartupException {
    UserName user = admin.userName(spec, name);
    boolean found = admin.withStore(s -> AdminCommand.await(s.admin().setDisabled(user, false)));
    if (!found) {
      return admin.noSuchUser(user);
    }
    Audit.adminAction("enabled", user, -1);
    admin.out().println("enabled " + user.value());
    admin.out().flush();
    return 0;
  }
}
