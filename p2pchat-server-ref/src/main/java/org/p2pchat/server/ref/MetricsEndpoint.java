package org.p2pchat.server.ref;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The Prometheus scrape endpoint, {@code http://ADDRESS:PORT/metrics}: the Prometheus Java
 * client's HTTP exporter (the JDK's own HTTP server) on one daemon thread. Bound at start, before
 * any file is created, so a port in use fails the start cleanly.
 */
final class MetricsEndpoint implements AutoCloseable {
  /** The port {@code --metrics} takes when given none: Prometheus' registry of exporter ports has none for us, 9464 is the OpenTelemetry exporter's. */
  static final int DEFAULT_PORT = 9464;

  private final HTTPServer server;
  private final ExecutorService thread;
  private final InetSocketAddress address;

  private MetricsEndpoint(HTTPServer server, ExecutorService thread, InetSocketAddress address) {
    this.server = server;
    this.thread = thread;
    this.address = address;
  }

  /**
   * Parses {@code --metrics}: {@code PORT}, {@code HOST:PORT} or {@code [IPV6]:PORT}; a bare
   * port listens on 127.0.0.1.
   *
   * @throws IllegalArgumentException with a sentence saying what is wrong
   */
  static InetSocketAddress parse(String value) {
    String v = value.strip();
    String host = "127.0.0.1";
    String port = v;
    int colon = v.lastIndexOf(':');
    if (v.startsWith("[")) {
      int close = v.indexOf(']');
      if (close < 0 || close + 1 >= v.length() || v.charAt(close + 1) != ':') {
        throw new IllegalArgumentException("is not PORT, HOST:PORT or [IPV6]:PORT");
      }
      host = v.substring(1, close);
      port = v.substring(close + 2);
    } else if (colon >= 0) {
      if (v.indexOf(':') != colon) {
        throw new IllegalArgumentException("is not PORT, HOST:PORT or [IPV6]:PORT (write an IPv6 address in brackets)");
      }
      host = v.substring(0, colon);
      port = v.substring(colon + 1);
    }
    int p;
    try {
      p = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("is not PORT, HOST:PORT or [IPV6]:PORT");
    }
    if (p < 0 || p > 65_535) {
      throw new IllegalArgumentException("has no port number (0 to 65535)");
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host.isEmpty() ? "127.0.0.1" : host), p);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("names no IP address of this machine");
    }
  }

  /**
   * Starts serving {@code registry} at {@code address}.
   *
   * @throws StartupException with one line when the address cannot be bound
   */
  static MetricsEndpoint start(InetSocketAddress address, PrometheusRegistry registry) throws StartupException {
    ExecutorService one = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "p2pchat-metrics-http");
      t.setDaemon(true);
      return t;
    });
    try {
      HTTPServer server = HTTPServer.builder().inetAddress(address.getAddress()).port(address.getPort())
          .registry(registry).executorService(one).buildAndStart();
      return new MetricsEndpoint(server, one, new InetSocketAddress(address.getAddress(), server.getPort()));
    } catch (IOException e) {
      one.shutdownNow();
      String where = "cannot serve metrics on http " + ServerCommand.format(address) + ": ";
      String why = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
      if (e instanceof BindException && why.contains("in use")) {
        throw new StartupException(where + "the port is already in use", e);
      }
      if (e instanceof BindException && why.contains("assign")) {
        throw new StartupException(where + address.getAddress().getHostAddress() + " is not an address of this machine", e);
      }
      throw new StartupException(where + e.getMessage(), e);
    }
  }

  /** The scrape URL. */
  String url() {
    return "http://" + ServerCommand.format(address).replace(" (all interfaces)", "") + "/metrics";
  }

  @Override
  public void close() {
    server.close();
    thread.shutdownNow();
  }
}
