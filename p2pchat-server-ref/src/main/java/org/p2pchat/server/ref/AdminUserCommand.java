package org.p2pchat.server.ref;

import java.util.Optional;
import java.util.concurrent.Callable;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.UserAccount;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code admin user NAME}: one account; exit 3 when there is none. */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Show one account: created, last login, disabled.")
final class AdminUserCommand implements Callable<Integer> {
  @ParentCommand AdminCommand admin;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "NAME", description = "The user's name.")
  String name;

  @Override
  public Integer call() throws StartupException {
    UserName user = admin.userName(spec, name);
    Optional<UserAccount> found = admin.withStore(s -> AdminCommand.await(s.admin().findAccount(user)));
    if (found.isEmpty()) {
      return admin.noSuchUser(user);
    }
    admin.out().println(AdminUsersCommand.line(found.get()));
    admin.out().flush();
    return 0;
  }
}
