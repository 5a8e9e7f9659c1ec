package org.p2pchat.server.ref;

import java.util.List;
import java.util.concurrent.Callable;
import org.p2pchat.api.UserName;
import org.p2pchat.protocol.Audit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code admin revoke-devices NAME}: revokes every device credential of an account; its devices
 * can no longer resume (CREDENTIAL_REVOKED) and must log in with the password again; running
 * servers end the sessions opened with them at their next poll of the admin operations.
 */
@Command(name = "revoke-devices", mixinStandardHelpOptions = true,
    description = "Revoke every device credential of an account: its devices must log in with the password "
        + "again; running servers end the devices' open sessions within seconds.")
final class AdminRevokeDevicesCommand implements Callable<Integer> {
  @ParentCommand AdminCommand admin;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "NAME", description = "The user's name.")
  String name;

  @Override
  public Integer call() throws StartupException {
    UserName user = admin.userName(spec, name);
    List<Long> revoked = admin.withStore(s -> {
      if (AdminCommand.await(s.admin().findAccount(user)).isEmpty()) {
        return null;
      }
      return AdminCommand.await(s.admin().revokeAllDevices(user));
    });
    if (revoked == null) {
      return admin.noSuchUser(user);
    }
    Audit.adminAction("devices_revoked", user, revoked.size());
    admin.out().println("revoked " + revoked.size() + " devices of " + user.value());
    admin.out().flush();
    return 0;
  }
}
