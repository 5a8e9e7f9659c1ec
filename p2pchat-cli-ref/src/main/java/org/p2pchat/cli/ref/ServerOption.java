package org.p2pchat.cli.ref;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The server options, shared by every command: its address, how its key is trusted
 * ({@code --server-key}, {@code --known-hosts}, {@code --plaintext}), and whether this device
 * may show its addresses to a contact's device ({@code --no-direct}).
 */
public final class ServerOption {

  @Spec(Spec.Target.MIXEE) CommandSpec mixee;

  @Option(names = {"-s", "--server"}, paramLabel = "HOST:PORT", converter = ServerAddressConverter.class,
      description = "The server's address. Default: ${DEFAULT-VALUE} (or $P2PCHAT_SERVER)")
  InetSocketAddress server;

  @Option(names = "--server-key", paramLabel = "BASE64",
      description = "Pin the server's public key (printed by the server at start); else the key remembered "
          + "in the known hosts file, else the key the server offers, trusted on first use (or $P2PCHAT_SERVER_KEY).")
  String serverKey;

  @Option(names = "--other-node", paramLabel = "HOST:PORT@KEY", converter = OtherNodeConverter.class,
      description = "Another node of the server's cluster and its key; repeat for each. When the node in use "
          + "stops answering, an interactive session resumes on the next one.")
  List<OtherNodeConverter.OtherNode> otherNodes = List.of();

  @Option(names = "--known-hosts", paramLabel = "FILE", defaultValue = "${sys:user.home}/.p2pchat/known_hosts",
      description = "Where the keys of known servers are remembered; the keys of contacts' devices go in "
          + "known_peers beside it. Default: ${DEFAULT-VALUE} (or $P2PCHAT_KNOWN_HOSTS)")
  Path knownHosts;

  @Option(names = "--plaintext",
      description = "Talk without the secure channel (for measurements); only to a loopback address.")
  boolean plaintext;

  @Option(names = "--no-direct",
      description = "Never connect straight to a contact's device: channels (/connect), files and the direct copy "
          + "of messages all go through the server's relay. For privacy: your network addresses are then shown to "
          + "no one but the server (a direct connection shows each device's address to the other); the price is "
          + "that files go at the relay's speed. End-to-end encrypted either way. Default: direct where the "
          + "network allows (or $P2PCHAT_NO_DIRECT=true).")
  boolean noDirect;

  /** An unset option; picocli fills it in. */
  public ServerOption() {}

  /**
   * The server's address: this command's {@code --server}, else the one given before the
   * command name ({@code p2pchat --server h:p send ...}), else the default or $P2PCHAT_SERVER.
   */
  public InetSocketAddress address() {
    return inherited("--server", server);
  }

  /** The pinned server key, if given (here or before the command name). */
  String serverKey() {
    return inherited("--server-key", serverKey);
  }

  /** The other nodes of the server's cluster, in the order to try them. */
  List<OtherNodeConverter.OtherNode> otherNodes() {
    return inherited("--other-node", otherNodes);
  }

  /** The known hosts file. */
  Path knownHosts() {
    return inherited("--known-hosts", knownHosts);
  }

  /** Whether to talk without the secure channel. */
  boolean plaintext() {
    return inherited("--plaintext", plaintext);
  }

  /** Whether this device may connect straight to a contact's device (no {@code --no-direct}). */
  boolean directConnections() {
    return !inherited("--no-direct", noDirect);
  }

  /**
   * An option's value as given to this command or, failing that, to its parent command, so
   * that the server options work on either side of the subcommand's name.
   */
  <T> T inherited(String option, T own) {
    CommandLine command = mixee.commandLine();
    if (command == null || command.getParseResult() == null
        || command.getParseResult().hasMatchedOption(option)) {
      return own;
    }
    CommandLine parent = command.getParent();
    if (parent != null && parent.getParseResult() != null && parent.getParseResult().hasMatchedOption(option)) {
      return parent.getParseResult().matchedOptionValue(option, own);
    }
    return own;
  }

  /** Tells the user something on stderr, in one line. */
  void notice(String line) {
    PrintWriter err = mixee.commandLine().getErr();
    err.println("p2pchat: " + line);
    err.flush();
  }
}
