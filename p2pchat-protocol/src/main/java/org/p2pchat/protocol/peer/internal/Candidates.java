package org.p2pchat.protocol.peer.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

/**
 * This device's own addresses for a peer to try (docs/protocol.md section 25): the socket's
 * address, or, for a socket bound to every interface, the address of each interface that is
 * up, IPv4 and global IPv6, with the socket's port. Loopback only when the server is on
 * loopback too (a test, or peers on one machine); link-local never (it needs a zone).
 */
final class Candidates {
  /** The server adds the address it sees in front of these, within the frame's 8. */
  static final int MAX_OWN = 7;

  private Candidates() {}

  static List<InetSocketAddress> of(InetSocketAddress local, boolean serverOnLoopback) {
    List<InetSocketAddress> list = new ArrayList<>();
    if (local == null || local.getAddress() == null) {
      return list;
    }
    int port = local.getPort();
    if (!local.getAddress().isAnyLocalAddress()) {
      if (usable(local.getAddress(), serverOnLoopback)) {
        list.add(local);
      }
      return list;
    }
    try {
      Enumeration<NetworkInterface> interfaces = NetworkInterface.getNetworkInterfaces();
      while (interfaces != null && interfaces.hasMoreElements() && list.size() < MAX_OWN) {
        NetworkInterface ni = interfaces.nextElement();
        if (!ni.isUp()) {
          continue;
        }
        for (Enumeration<InetAddress> as = ni.getInetAddresses(); as.hasMoreElements() && list.size() < MAX_OWN; ) {
          InetAddress a = as.nextElement();
          boolean familyMatches = local.getAddress() instanceof Inet6Address || a instanceof Inet4Address;
          if (familyMatches && usable(a, serverOnLoopback)) {
            list.add(new InetSocketAddress(a, port));
          }
        }
      }
    } catch (SocketException e) {
      // no interfaces to list: the address the server sees is still a candidate
    }
    return list;
  }

  private static boolean usable(InetAddress a, boolean serverOnLoopback) {
    if (a.isLinkLocalAddress() || a.isMulticastAddress() || a.isAnyLocalAddress()) {
      return false;
    }
    return serverOnLoopback || !a.isLoopbackAddress();
  }
}
