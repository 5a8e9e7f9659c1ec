package org.p2pchat.cli.ref;

import org.p2pchat.api.UserName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code p2pchat delete-account}: deletes the user's account for good (docs/protocol.md section
 * 22). Nothing happens without {@code --yes}, so a stray command line deletes nothing; the password
 * is asked (or read) as for every other command, and the server checks it again.
 */
@Command(name = "delete-account", mixinStandardHelpOptions = true,
    description = {"Delete your account for good: your one-to-one messages both ways, the room messages you sent,"
        + " your rooms' memberships (a room you own passes to its oldest member), contacts, blocks and devices.",
        "Your open sessions end at once. The name can be registered again only after the server's quarantine"
        + " (30 days by default). Run `export` first to keep a copy of your data."})
final class DeleteAccountCommand extends ScriptCommand {
  @Option(names = "--yes", description = "Really delete the account (without it, nothing is deleted).")
  boolean yes;

  DeleteAccountCommand(CliContext ctx) {
    super(ctx);
  }

  @Override
  void run(UserName me) throws CliFailure {
    if (!yes) {
      throw new CliFailure("nothing deleted: add --yes to delete the account " + me + " and all its messages for good",
          ExitCodes.USAGE);
    }
    String password = password(me, false);
    String context = "cannot delete the account " + me + " at " + serverText();
    try (var client = open(message -> { })) {
      Await.result(() -> client.login(me, password), "cannot log in as " + me + " at " + serverText());
      Await.result(() -> client.deleteAccount(password), context);
    }
    print("deleted the account " + me, new Json().put("user", me.toString()));
  }
}
