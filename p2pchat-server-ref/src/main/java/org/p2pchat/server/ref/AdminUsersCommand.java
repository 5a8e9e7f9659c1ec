package org.p2pchat.server.ref;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.p2pchat.api.store.UserAccount;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code admin users}: lists accounts, with their last login. */
@Command(name = "users", mixinStandardHelpOptions = true,
    description = "List accounts by name: created, last login, disabled.")
final class AdminUsersCommand implements Callable<Integer> {
  @ParentCommand AdminCommand admin;

  @Option(names = "--match", paramLabel = "TEXT", defaultValue = "",
      description = "Only names containing TEXT (in any case).")
  String match;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "1000",
      description = "At most N accounts. Default: ${DEFAULT-VALUE}")
  int limit;

  @Override
  public Integer call() throws StartupException {
    List<UserAccount> users = admin.withStore(s -> AdminCommand.await(s.admin().listUsers(match, Math.max(1, limit))));
    PrintWriter out = admin.out();
    out.printf("%-32s  %-24s  %-24s  %s%n", "USER", "CREATED", "LAST LOGIN", "STATE");
    for (UserAccount u : users) {
      out.println(line(u));
    }
    out.flush();
    return 0;
  }

  static String line(UserAccount u) {
    return String.format("%-32s  %-24s  %-24s  %s", u.name().value(), u.createdAt(),
        u.lastLoginAt().map(Object::toString).orElse("never"), u.disabled() ? "disabled" : "active");
  }
}
