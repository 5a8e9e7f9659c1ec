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

  /**
   * {@code address} as a person writes it: {@code host:port}, an IPv6 address in brackets and
   * in its short form ({@code [::1]:7777}, not {@code 0:0:0:0:0:0:0:1:7777}).
   */
  public static String text(InetSocketAddress address) {
    String host = address.getHostString();
    if (host.indexOf(':') >= 0) {
      host = "[" + shortIpv6(host) + "]";
    }
    return host + ":" + address.getPort();
  }

  private static String shortIpv6(String host) {
    String[] groups = host.split(":", -1);
    if (groups.length != 8) {
      return host; // already short, or with a zone: leave it as it is
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      if (groups[i].matches("0+")) {
        int j = i;
        while (j < 8 && groups[j].matches("0+")) {
          j++;
        }
        if (j - i > bestLength) {
          bestStart = i;
          bestLength = j - i;
        }
        i = j;
      } else {
        i++;
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append(i == 0 ? "::" : ":");
        i += bestLength - 1;
        continue;
      }
      sb.append(groups[i].replaceFirst("^0+(?=.)", ""));
      if (i < 7) {
        sb.append(':');
      }
    }
    return sb.toString();
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
