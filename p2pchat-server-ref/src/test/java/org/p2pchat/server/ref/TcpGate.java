package org.p2pchat.server.ref;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A port on loopback that is closed (nothing listens: a database that is down) until
 * {@link #open()}, from then on forwarding every connection to a target port. A database made
 * briefly unreachable without stopping it.
 */
final class TcpGate implements AutoCloseable {
  private final int port;
  private final int target;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile ServerSocket listener;

  TcpGate(int target) throws IOException {
    this.target = target;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      this.port = free.getLocalPort();
    }
  }

  int port() {
    return port;
  }

  /** Starts listening and forwarding. */
  synchronized void open() throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    listener = s;
    Thread accept = new Thread(() -> {
      while (!s.isClosed()) {
        try {
          Socket in = s.accept();
          Socket out = new Socket(InetAddress.getLoopbackAddress(), target);
          sockets.add(in);
          sockets.add(out);
          pump(in, out);
          pump(out, in);
        } catch (IOException e) {
          return;
        }
      }
    }, "tcp-gate-" + port);
    accept.setDaemon(true);
    accept.start();
  }

  private static void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n; (n = in.read(buf)) >= 0; ) {
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // one side closed: the other follows
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "tcp-gate-pump");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public synchronized void close() {
    ServerSocket s = listener;
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    sockets.forEach(TcpGate::closeQuietly);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
