package org.p2pchat.cli.ref;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * One side of a UDP hole punch, run as its own process in a {@link NatLab} host namespace.
 * From one socket bound to {@code LOCAL_PORT} it first asks each {@link NatReflector} where it
 * is seen from, then sends {@code COUNT} punches to the peer, one every {@value #INTERVAL_MS}
 * ms, listening meanwhile and for {@value #LINGER_MS} ms after the last, and reports what it
 * received.
 *
 * <p>Arguments: {@code LOCAL_PORT COUNT PEER [REFLECTOR_HOST:PORT ...]}. {@code PEER} is
 * {@code host:port}, or {@code -} to read it from standard input (one line {@code host:port})
 * after the reflectors answered, which is how two probes learn each other's mapped address.
 *
 * <p>Prints, one line each: {@code MAPPED REFLECTOR ADDRESS:PORT} (or {@code MAPPED REFLECTOR
 * none} when it did not answer {@value #ASKS} asks of {@value #ASK_TIMEOUT_MS} ms), then
 * {@code READY} when it waits for the peer, then {@code RECEIVED N OF COUNT FROM [sources]}:
 * N punches received, and every address they came from. Exit status 0 unless the arguments
 * are wrong.
 */
public final class NatPunchProbe {
  static final int INTERVAL_MS = 50;
  static final int LINGER_MS = 300;
  static final int ASKS = 10;
  static final int ASK_TIMEOUT_MS = 200;
  private static final String PUNCH = "punch ";

  private NatPunchProbe() {}

  /** Entry point; see the class comment. */
  public static void main(String[] args) throws IOException {
    if (args.length < 3) {
      System.err.println("usage: NatPunchProbe LOCAL_PORT COUNT PEER|- [REFLECTOR_HOST:PORT ...]");
      System.exit(2);
    }
    int count = Integer.parseInt(args[1]);
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(Integer.parseInt(args[0])))) {
      for (int i = 3; i < args.length; i++) {
        System.out.println("MAPPED " + args[i] + " " + ask(socket, parse(args[i])));
      }
      String peer = args[2];
      if (peer.equals("-")) {
        System.out.println("READY");
        System.out.flush();
        peer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine().strip();
      }
      System.out.println(punch(socket, parse(peer), count));
    }
    System.out.flush();
  }

  private static String ask(DatagramSocket socket, InetSocketAddress reflector) throws IOException {
    byte[] buffer = new byte[1500];
    socket.setSoTimeout(ASK_TIMEOUT_MS);
    for (int i = 0; i < ASKS; i++) {
      byte[] question = "where".getBytes(StandardCharsets.US_ASCII);
      socket.send(new DatagramPacket(question, question.length, reflector));
      try {
        DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
        socket.receive(answer);
        if (answer.getSocketAddress().equals(reflector)) {
          return new String(answer.getData(), 0, answer.getLength(), StandardCharsets.US_ASCII);
        }
      } catch (SocketTimeoutException e) {
        // lost on the way: ask again
      }
    }
    return "none";
  }

  private static String punch(DatagramSocket socket, InetSocketAddress peer, int count) throws IOException {
    byte[] buffer = new byte[1500];
    int received = 0;
    Set<String> sources = new TreeSet<>();
    long next = System.nanoTime();
    long end = next + TimeUnit.MILLISECONDS.toNanos((long) INTERVAL_MS * (count - 1) + LINGER_MS);
    int sent = 0;
    while (true) {
      long now = System.nanoTime();
      if (sent < count && now - next >= 0) {
        byte[] punch = (PUNCH + sent).getBytes(StandardCharsets.US_ASCII);
        socket.send(new DatagramPacket(punch, punch.length, peer));
        sent++;
        next += TimeUnit.MILLISECONDS.toNanos(INTERVAL_MS);
        continue;
      }
      long until = sent < count ? next : end;
      long waitMs = TimeUnit.NANOSECONDS.toMillis(until - now);
      if (sent == count && waitMs <= 0) {
        break;
      }
      socket.setSoTimeout((int) Math.max(1, waitMs));
      try {
        DatagramPacket in = new DatagramPacket(buffer, buffer.length);
        socket.receive(in);
        if (new String(in.getData(), 0, in.getLength(), StandardCharsets.US_ASCII).startsWith(PUNCH)) {
          received++;
          sources.add(in.getAddress().getHostAddress() + ":" + in.getPort());
        }
      } catch (SocketTimeoutException e) {
        // time to send the next punch, or to stop
      }
    }
    return "RECEIVED " + received + " OF " + count + " FROM " + new ArrayList<>(sources);
  }

  private static InetSocketAddress parse(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }

  /**
   * For tests that read the probe's lines: the parsed {@code RECEIVED} line, and the mapped
   * addresses of the {@code MAPPED} lines where the reader collected them.
   */
  record Outcome(int received, int count, List<String> sources, List<String> mapped) {
    static Outcome parse(String line) {
      String[] parts = line.split(" ", 6);
      if (parts.length < 6 || !parts[0].equals("RECEIVED")) {
        throw new IllegalArgumentException("not a RECEIVED line: " + line);
      }
      String list = parts[5].substring(1, parts[5].length() - 1);
      return new Outcome(Integer.parseInt(parts[1]), Integer.parseInt(parts[3]),
          list.isEmpty() ? List.of() : List.of(list.split(", ")), List.of());
    }
  }
}
