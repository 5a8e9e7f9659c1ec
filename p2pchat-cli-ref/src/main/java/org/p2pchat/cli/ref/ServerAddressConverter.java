package org.p2pchat.cli.ref;

import java.net.InetSocketAddress;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a server address: {@code host:port}, {@code host} (port 7777), {@code [::1]:7777}.
 * Thread-safe.
 */
public final class ServerAddressConverter implements ITypeConverter<InetSocketAddress> {
  /** The port used when none is given, the server's default. */
  public static final int DEFAULT_PORT = 7777;

  /** A converter. */
  public ServerAddressConverter() {}

  @Override
  public InetSocketAddress convert(String value) {
    String v = value.strip();
    String host = v;
    int port = DEFAULT_PORT;
    if (v.startsWith("[")) {
      int close = v.indexOf(']');
      if (close < 0) {
        throw bad(value, "has no closing ']'");
      }
      host = v.substring(1, close);
      String rest = v.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw bad(value, "is not host:port");
        }
        port = port(value, rest.substring(1));
      }
    } else if (v.indexOf(':') >= 0 && v.indexOf(':') == v.lastIndexOf(':')) {
      host = v.substring(0, v.indexOf(':'));
      port = port(value, v.substring(v.indexOf(':') + 1));
    }
    if (host.isEmpty()) {
      throw bad(value, "has no host");
    }
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      throw bad(value, "names a host that cannot be found");
    }
    return address;
  }

  private static int port(String value, String text) {
    if (!text.matches("\\d{1,5}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > 65_535) {
      throw bad(value, "has no valid port (1 to 65535)");
    }
    return Integer.parseInt(text);
  }

  private static TypeConversionException bad(String value, String why) {
    return new TypeConversionException("'" + value + "' " + why + " (write it as host:port)");
  }
}
