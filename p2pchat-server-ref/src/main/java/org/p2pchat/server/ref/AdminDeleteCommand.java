package org.p2pchat.server.ref;

import java.util.Optional;
import java.util.concurrent.Callable;
import org.p2pchat.api.UserName;
import org.p2pchat.protocol.Audit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code admin delete NAME --yes}: deletes every message the account sent or received, the room
 * messages it sent, its devices and its password hash; the name stays reserved, so nobody can
 * register it again.
 */
@Command(name = "delete", mixinStandardHelpOptions = true,
    description = {"Delete an account: every message it sent or received, the room messages it sent, its "
        + "devices and its password; running servers end its open sessions within seconds. "
        + "The name stays reserved (it cannot be registered again). There is no undo but a backup."})
final class AdminDeleteCommand implements Callable<Integer> {
  @ParentCommand AdminCommand admin;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "NAME", description = "The user's name.")
  String name;

  @Option(names = "--yes", description = "Confirm: without it nothing is deleted.")
  boolean yes;

  @Override
  public Integer call() throws StartupException {
    UserName user = admin.userName(spec, name);
    if (!yes) {
      throw new ParameterException(spec.commandLine(),
          "deleting " + user.value() + " cannot be undone: add --yes to confirm");
    }
    Optional<Long> deleted = admin.withStore(s -> AdminCommand.await(s.admin().deleteUser(user)));
    if (deleted.isEmpty()) {
      return admin.noSuchUser(user);
    }
    Audit.adminAction("deleted", user, deleted.get());
    admin.out().println("deleted " + user.value() + " and " + deleted.get() + " messages");
    admin.out().flush();
    return 0;
  }
}
