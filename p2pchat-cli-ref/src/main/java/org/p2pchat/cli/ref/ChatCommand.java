package org.p2pchat.cli.ref;

import java.io.IOException;
import java.util.concurrent.Callable;
import java.nio.file.Path;
import org.jline.terminal.Terminal;
import org.p2pchat.api.client.CredentialStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code p2pchat}: without a subcommand, the interactive chat; with one, a scriptable command.
 */
@Command(
    name = "p2pchat",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Chat over UDP with a p2pchat server.",
      "Without a command: an interactive chat (log in or register, then talk; Tab completes, "
          + "/help lists the commands).",
      "With a command: one action for scripts, with an exit code and optional --json output.",
      ""
    },
    exitCodeListHeading = "%nExit codes:%n",
    footerHeading = "%nEnvironment:%n",
    footer = {
      "P2PCHAT_SERVER    the server's address (like --server)",
      "P2PCHAT_USER      your user name (like --user)",
      "P2PCHAT_CREDENTIALS  the interactive chat's device credential file (like --credentials)",
      "P2PCHAT_DOWNLOAD_DIR where the interactive chat saves files you /accept (like --download-dir)",
      "P2PCHAT_NO_DIRECT    true: never connect straight to a contact's device (like --no-direct)",
      "P2PCHAT_PASSWORD  your password, for the commands (passwords are never taken from the command line)"
    })
public final class ChatCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ServerOption serverOption;

  @Option(names = "--credentials", paramLabel = "FILE",
      description = "Where this device's credential is kept (owner-only), to resume without the password. "
          + "Default: ~/.p2pchat/credentials/HOST_PORT, one file per server (or $P2PCHAT_CREDENTIALS)")
  Path credentials;

  @Option(names = "--download-dir", paramLabel = "DIR",
      description = "Where files you /accept are saved (never over an existing file); created readable by you only "
          + "(rwx------) when missing. Default: ~/Downloads/p2pchat (or $P2PCHAT_DOWNLOAD_DIR)")
  Path downloadDir;

  private final CliContext ctx;

  /** The top command in {@code ctx}. */
  public ChatCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  /** The credential file: the option, else one per server under ~/.p2pchat/credentials. */
  Path credentialsFile() {
    if (credentials != null) {
      return credentials;
    }
    String server = ServerAddressConverter.text(serverOption.address()).replaceAll("[^A-Za-z0-9.-]+", "_");
    return Path.of(System.getProperty("user.home"), ".p2pchat", "credentials", server);
  }

  @Override
  public Integer call() throws IOException {
    try (Terminal terminal = ctx.terminals.open()) {
      return new InteractiveChat(terminal, ctx.clients, serverOption, new MessageFormatter(ctx.zone),
          CredentialStore.ownerOnlyFile(credentialsFile()),
          downloadDir != null ? PeerChat.expand(downloadDir.toString()) : InteractiveChat.defaultDownloadDir()).run();
    }
  }
}
