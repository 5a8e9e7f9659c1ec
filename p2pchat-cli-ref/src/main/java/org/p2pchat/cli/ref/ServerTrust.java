package org.p2pchat.cli.ref;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.p2pchat.protocol.secure.ServerKeyFetcher;
import org.p2pchat.api.ServerPublicKey;

/**
 * Settles which key the CLI expects the server to hold, as SSH does for hosts: a key pinned on
 * the command line wins; else the key remembered in the known-hosts file, refused with a
 * warning when the server now offers another; else the key the server offers, trusted on first
 * use and remembered. Stateless.
 */
final class ServerTrust {
  static final Duration FETCH_TIMEOUT = Duration.ofSeconds(3);

  private ServerTrust() {}

  /**
   * The key to pin for the server of {@code option}.
   *
   * @param notice told, in one line, when a key is trusted for the first time
   * @throws ServerKeyException when the key changed, cannot be learned, or is written wrong
   */
  static ServerPublicKey resolve(ServerOption option, Consumer<String> notice) throws ServerKeyException {
    if (option.serverKey() != null && !option.serverKey().isBlank()) {
      try {
        return ServerPublicKey.parse(option.serverKey());
      } catch (IllegalArgumentException e) {
        throw new ServerKeyException("--server-key must be the server's 32-byte key in base64 (the server prints it at start)",
            ExitCodes.USAGE);
      }
    }
    // The known hosts key keeps the spelling earlier versions wrote; people read the short one.
    String hostPort = option.address().getHostString() + ":" + option.address().getPort();
    String shown = ServerAddressConverter.text(option.address());
    KnownHosts known = new KnownHosts(option.knownHosts());
    Optional<ServerPublicKey> remembered;
    try {
      remembered = known.lookup(hostPort);
    } catch (IOException e) {
      throw new ServerKeyException("cannot read the known hosts file " + option.knownHosts() + ": "
          + Sentences.ofFile(e), ExitCodes.USAGE);
    }
    ServerPublicKey offered;
    try {
      offered = ServerKeyFetcher.fetch(option.address(), FETCH_TIMEOUT);
    } catch (IOException e) {
      if (remembered.isPresent()) {
        return remembered.get(); // the handshake will tell whether the server still holds it
      }
      throw new ServerKeyException("cannot reach " + shown + ": the server did not answer", ExitCodes.UNREACHABLE);
    }
    if (remembered.isPresent()) {
      if (!remembered.get().equals(offered)) {
        throw new ServerKeyException(changedWarning(hostPort, remembered.get(), offered, known), ExitCodes.KEY_CHANGED);
      }
      return remembered.get();
    }
    try {
      known.add(hostPort, offered);
    } catch (IOException e) {
      throw new ServerKeyException("cannot remember the server's key in " + known.file() + ": " + Sentences.ofFile(e),
          ExitCodes.USAGE);
    }
    notice.accept("trusting the key of " + hostPort + " on first use: " + offered.fingerprint()
        + " (remembered in " + known.file() + ")");
    return offered;
  }

  private static String changedWarning(String hostPort, ServerPublicKey known, ServerPublicKey offered,
      KnownHosts file) {
    return String.join("\n",
        "WARNING: THE KEY OF THE SERVER " + hostPort + " HAS CHANGED.",
        "Someone may be intercepting this connection (a man in the middle), or the server was given a new key.",
        "  remembered key: " + known.fingerprint(),
        "  offered key:    " + offered.fingerprint(),
        "Refusing to connect. If the change is expected, remove the line for " + hostPort + " from "
            + file.file() + ", or pin the new key with --server-key.");
  }
}
