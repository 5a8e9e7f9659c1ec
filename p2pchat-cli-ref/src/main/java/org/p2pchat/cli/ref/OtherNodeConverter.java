package org.p2pchat.cli.ref;

import java.net.InetSocketAddress;
import org.p2pchat.api.ServerPublicKey;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads {@code --other-node HOST:PORT@KEY}: another node of the server's cluster and the key it
 * holds (printed by that node at start). The key is pinned, never learned on first use: a
 * client that moves to a node it was not told the key of would trust whoever answers there.
 */
public final class OtherNodeConverter implements ITypeConverter<OtherNodeConverter.OtherNode> {

  /** A node of the cluster, as given. */
  public record OtherNode(InetSocketAddress address, ServerPublicKey key) {}

  private final ServerAddressConverter addresses = new ServerAddressConverter();

  /** A converter. */
  public OtherNodeConverter() {}

  @Override
  public OtherNode convert(String value) {
    int at = value.indexOf('@');
    if (at < 0) {
      throw new TypeConversionException("'" + value + "' is not HOST:PORT@KEY (the node's key, as it printed it at start)");
    }
    InetSocketAddress address = addresses.convert(value.substring(0, at));
    try {
      return new OtherNode(address, ServerPublicKey.parse(value.substring(at + 1).strip()));
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException("the key in '" + value
          + "' must be the node's 32-byte key in base64 (the node prints it at start)");
    }
  }
}
