package org.p2pchat.server.ref;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.StoredDevice;
import org.p2pchat.api.store.UserAccount;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code admin user NAME}: one account and its devices; exit 3 when there is none. */
@Command(name = "user", mixinStandardHelpOptions = true,
    description = "Show one account: created, last login, disabled, and its devices (the ones revoke-devices signs out).")
final class AdminUserCommand implements Callable<Integer> {
  @ParentCommand AdminCommand admin;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "NAME", description = "The user's name.")
  String name;

  @Override
  public Integer call() throws StartupException {
    UserName user = admin.userName(spec, name);
    Found found = admin.withStore(s -> {
      Optional<UserAccount> account = AdminCommand.await(s.admin().findAccount(user));
      return new Found(account, account.isEmpty() ? List.of() : AdminCommand.await(s.devices().devices(user)));
    });
    if (found.account().isEmpty()) {
      return admin.noSuchUser(user);
    }
    PrintWriter out = admin.out();
    out.println(AdminUsersCommand.line(found.account().get()));
    if (found.devices().isEmpty()) {
      out.println("no devices");
    } else {
      out.printf("%-8s  %-24s  %-24s  %s%n", "DEVICE", "ADDED", "LAST USED", "NAME");
      for (StoredDevice d : found.devices()) {
        out.printf("%-8s  %-24s  %-24s  %s%n", "#" + d.id(), d.createdAt(), d.lastUsedAt(), printable(d.name()));
      }
    }
    out.flush();
    return 0;
  }

  private record Found(Optional<UserAccount> account, List<StoredDevice> devices) {}

  /** A device name is the user's text: its control characters never reach the operator's terminal. */
  static String printable(String text) {
    StringBuilder b = new StringBuilder(text.length());
    text.codePoints().forEach(c -> b.appendCodePoint(
        Character.isISOControl(c) || Character.getType(c) == Character.FORMAT ? '?' : c));
    return b.toString();
  }
}
