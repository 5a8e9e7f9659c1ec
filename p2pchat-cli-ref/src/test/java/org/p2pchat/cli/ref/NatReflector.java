package org.p2pchat.cli.ref;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * "What is my address": answers every UDP datagram with the address and port it came from,
 * as text ({@code 203.0.113.21:5000}), as a STUN server would. Run as its own process in a
 * {@link NatLab}'s server namespace; it runs until killed.
 *
 * <p>Arguments: the UDP ports to listen on, 0 for any free one (two ports tell an
 * endpoint-dependent NAT from one that keeps a mapping). Prints {@code REFLECTING P1 P2 ...}
 * once it listens.
 */
public final class NatReflector {
  private NatReflector() {}

  /** Entry point; see the class comment. */
  public static void main(String[] args) throws IOException {
    List<DatagramSocket> sockets = new ArrayList<>();
    StringBuilder ports = new StringBuilder("REFLECTING");
    for (String arg : args) {
      DatagramSocket socket = new DatagramSocket(new InetSocketAddress(Integer.parseInt(arg)));
      sockets.add(socket);
      ports.append(' ').append(socket.getLocalPort());
    }
    for (DatagramSocket socket : sockets) {
      Thread t = new Thread(() -> reflect(socket), "reflector-" + socket.getLocalPort());
      t.start();
    }
    System.out.println(ports);
    System.out.flush();
  }

  private static void reflect(DatagramSocket socket) {
    byte[] buffer = new byte[1500];
    try {
      while (true) {
        DatagramPacket in = new DatagramPacket(buffer, buffer.length);
        socket.receive(in);
        byte[] answer = (in.getAddress().getHostAddress() + ":" + in.getPort()).getBytes(StandardCharsets.US_ASCII);
        socket.send(new DatagramPacket(answer, answer.length, in.getSocketAddress()));
      }
    } catch (IOException e) {
      // Killed with its namespace: nothing to report to anyone.
      System.err.println("reflector on " + socket.getLocalPort() + " stopped: " + e);
    }
  }
}
