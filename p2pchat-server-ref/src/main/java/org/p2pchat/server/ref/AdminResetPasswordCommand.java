package org.p2pchat.server.ref;

import java.util.Arrays;
import java.util.concurrent.Callable;
import org.p2pchat.api.ProtocolLimits;
import org.p2pchat.api.UserName;
import org.p2pchat.protocol.Audit;
import org.p2pchat.protocol.PasswordHashes;
import org.p2pchat.protocol.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code admin reset-password NAME}: asks for the new password twice, without echo (never on
 * the command line, where every user of the machine could read it), and stores its hash.
 */
@Command(name = "reset-password", mixinStandardHelpOptions = true,
    description = "Set a new password for an account; it is asked twice on the terminal, without echo. "
        + "Running servers end the sessions logged in with the old password (devices stay signed in).")
final class AdminResetPasswordCommand implements Callable<Integer> {
  @ParentCommand AdminCommand admin;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "NAME", description = "The user's name.")
  String name;

  @Override
  public Integer call() throws StartupException {
    UserName user = admin.userName(spec, name);
    char[] first = admin.passwords.read("new password for " + user.value() + ": ");
    if (first == null) {
      throw new StartupException("there is no terminal to ask for the password on (run it in one)");
    }
    char[] second = admin.passwords.read("repeat it: ");
    try {
      if (second == null || !Arrays.equals(first, second)) {
        throw new StartupException("the two passwords differ; nothing was changed");
      }
      String password = new String(first);
      int bytes = ProtocolLimits.utf8Length(password);
      if (bytes < ProtocolLimits.MIN_PASSWORD_BYTES || bytes > ProtocolLimits.MAX_PASSWORD_BYTES) {
        throw new StartupException("a password has " + ProtocolLimits.MIN_PASSWORD_BYTES + " to "
            + ProtocolLimits.MAX_PASSWORD_BYTES + " bytes; nothing was changed");
      }
      String hash = PasswordHashes.hash(password, ServerConfig.defaults());
      boolean found = admin.withStore(s -> AdminCommand.await(s.admin().resetPassword(user, hash)));
      if (!found) {
        return admin.noSuchUser(user);
      }
    } finally {
      Arrays.fill(first, '\0');
      if (second != null) {
        Arrays.fill(second, '\0');
      }
    }
    Audit.adminAction("password_reset", user, -1);
    admin.out().println("new password set for " + user.value());
    admin.out().flush();
    return 0;
  }
}
