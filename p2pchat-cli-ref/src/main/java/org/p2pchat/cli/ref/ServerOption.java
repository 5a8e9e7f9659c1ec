package org.p2pchat.cli.ref;

import java.net.InetSocketAddress;
import picocli.CommandLine.Option;

/** The {@code --server} option, shared by every command. */
public final class ServerOption {

  @Option(names = {"-s", "--server"}, paramLabel = "HOST:PORT", converter = ServerAddressConverter.class,
      description = "The server's address. Default: ${DEFAULT-VALUE} (or $P2PCHAT_SERVER)")
  InetSocketAddress server;

  /** An unset option; picocli fills it in. */
  public ServerOption() {}

  /** The server's address. */
  public InetSocketAddress address() {
    return server;
  }
}
