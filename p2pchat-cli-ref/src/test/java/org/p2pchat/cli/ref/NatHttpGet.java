package org.p2pchat.cli.ref;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Prints the body of one HTTP GET: {@link PeerToPeerNatIT} reads the server's metrics from inside
 * the server's namespace with it (the JDK's client, so that no curl need be installed).
 */
public final class NatHttpGet {
  private NatHttpGet() {}

  /** Entry point: {@code URL}. */
  public static void main(String[] args) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(args[0])).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    System.out.print(r.body());
  }
}
