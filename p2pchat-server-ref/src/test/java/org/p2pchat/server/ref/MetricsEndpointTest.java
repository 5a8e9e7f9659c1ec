package org.p2pchat.server.ref;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;

/**
 * {@code --metrics}: a real server serves well-formed Prometheus text on loopback whose
 * counters move with traffic, and never a user name or message body.
 */
class MetricsEndpointTest {
  private static final String PASSWORD = "correct horse battery";
  /** A sample line of the text format: name, optional labels, a number. */
  private static final Pattern SAMPLE = Pattern.compile(
      "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*\\})? (\\S+)");

  @TempDir
  Path dir;

  private static String scrape(String url) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    return r.body();
  }

  /** Every line is a comment (# HELP, # TYPE) or a well-formed sample; returns the samples. */
  static Map<String, Double> parse(String text) {
    Map<String, Double> samples = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.isEmpty() || line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      assertThat(m.matches()).as("a well-formed sample line: %s", line).isTrue();
      String value = m.group(3);
      double v = value.equals("+Inf") ? Double.POSITIVE_INFINITY : value.equals("NaN") ? Double.NaN : Double.parseDouble(value);
      samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), v);
    }
    return samples;
  }

  @Test
  void servesWellFormedPrometheusTextWhoseCountersMoveWithTrafficAndHoldNoUserData() throws Exception {
    try (RunningServer server = new RunningServer("--db", dir.resolve("chat.db").toString(), "--metrics", "0")) {
      String url = server.metricsUrl();
      assertThat(url).startsWith("http://127.0.0.1:").endsWith("/metrics");
      Map<String, Double> before = parse(scrape(url));
      assertThat(before).containsKeys("jvm_memory_used_bytes{area=\"heap\"}", "p2pchat_store_write_queue");

      try (ChatClient alice = server.client(); ChatClient bob = server.client(); ChatClient eve = server.client()) {
        alice.register(UserName.of("alice"), PASSWORD).get(30, TimeUnit.SECONDS);
        bob.register(UserName.of("bob"), PASSWORD).get(30, TimeUnit.SECONDS);
        alice.login(UserName.of("alice"), PASSWORD).get(30, TimeUnit.SECONDS);
        bob.login(UserName.of("bob"), PASSWORD).get(30, TimeUnit.SECONDS);
        assertThatThrownBy(() -> eve.login(UserName.of("alice"), "not alice's password").get(30, TimeUnit.SECONDS))
            .hasCauseInstanceOf(ChatException.class);
        for (int i = 0; i < 3; i++) {
          alice.send(UserName.of("bob"), "secret body " + i).get(30, TimeUnit.SECONDS);
        }
        // An admin command beside the server: the server counts the operation and the session it ended.
        assertThat(new AdminRun(dir.resolve("chat.db")).run("disable", "alice")).isZero();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (parse(scrape(url)).getOrDefault("p2pchat_admin_operations_applied_total", 0.0) < 1
            && System.nanoTime() < deadline) {
          // each scrape is a round trip; the server polls every 2 s
          bob.history(org.p2pchat.api.HistoryQuery.builder().limit(1).build()).get(30, TimeUnit.SECONDS);
        }
      }

      String text = scrape(url);
      Map<String, Double> after = parse(text);
      assertThat(after.get("p2pchat_requests_total{type=\"SEND\"}")).isEqualTo(3.0);
      assertThat(after.get("p2pchat_answers_total{code=\"OK\",type=\"SEND\"}")).isEqualTo(3.0);
      assertThat(after.get("p2pchat_answers_total{code=\"INVALID_CREDENTIALS\",type=\"LOGIN\"}")).isEqualTo(1.0);
      assertThat(after.get("p2pchat_answers_total{code=\"OK\",type=\"REGISTER\"}")).isEqualTo(2.0);
      assertThat(after.get("p2pchat_sends_acknowledged_total")).isEqualTo(3.0);
      assertThat(after.get("p2pchat_admin_operations_applied_total")).isEqualTo(1.0);
      assertThat(after.get("p2pchat_admin_sessions_ended_total")).isEqualTo(1.0);
      assertThat(after.get("p2pchat_handshakes_total")).isGreaterThanOrEqualTo(3.0);
      assertThat(after.get("p2pchat_pushes_total")).isGreaterThanOrEqualTo(1.0);
      assertThat(after.get("p2pchat_store_batch_writes_count")).isGreaterThanOrEqualTo(5.0);
      assertThat(after.get("p2pchat_store_commit_seconds_count")).isEqualTo(after.get("p2pchat_store_batch_writes_count"));
      assertThat(after).containsKeys("p2pchat_store_commit_seconds_bucket{le=\"+Inf\"}", "p2pchat_busy_answers_total",
          "p2pchat_rate_limited_answers_total", "p2pchat_push_retransmissions_total", "p2pchat_cookie_replies_total");
      assertThat(text).doesNotContain("alice", "bob", "secret body", PASSWORD, "not alice's password");
      assertThat(server.stop()).isZero();
    }
  }

  /** Alice (direct paths allowed) and bob (relay only), mutual contacts; bob accepts every file into {@code into}. */
  private static ChatClient[] contactsThroughTheRelay(RunningServer server, Path into) throws Exception {
    ChatClient alice = server.client(org.p2pchat.protocol.ClientConfig.builder().build(),
        message -> {});
    ChatClient bob = server.client(org.p2pchat.protocol.ClientConfig.builder().directConnections(false).build(),
        new org.p2pchat.api.client.ChatListener() {
          @Override
          public void onMessage(org.p2pchat.api.ChatMessage message) {}

          @Override
          public void onFileOffered(org.p2pchat.api.client.IncomingFile file) {
            file.accept(into);
          }
        });
    alice.register(UserName.of("alice"), PASSWORD).get(30, TimeUnit.SECONDS);
    bob.register(UserName.of("bob"), PASSWORD).get(30, TimeUnit.SECONDS);
    alice.login(UserName.of("alice"), PASSWORD).get(30, TimeUnit.SECONDS);
    bob.login(UserName.of("bob"), PASSWORD).get(30, TimeUnit.SECONDS);
    alice.contacts().add(UserName.of("bob")).get(30, TimeUnit.SECONDS);
    bob.contacts().add(UserName.of("alice")).get(30, TimeUnit.SECONDS);
    return new ChatClient[] {alice, bob};
  }

  private Path randomFile(int bytes) throws Exception {
    byte[] data = new byte[bytes];
    new java.util.Random(bytes).nextBytes(data);
    return java.nio.file.Files.write(dir.resolve("file.bin"), data);
  }

  @Test
  void aFileThroughTheRelayCountsItsBytesAndPacketsAndNothingIsDroppedWithinTheBounds() throws Exception {
    Path in = java.nio.file.Files.createDirectories(dir.resolve("in"));
    Path file = randomFile(300_000);
    try (RunningServer server = new RunningServer("--db", dir.resolve("chat.db").toString(), "--metrics", "0",
        "--relay-rate-per-user", "64MiB", "--relay-rate-total", "64MiB")) {
      Map<String, Double> before = parse(scrape(server.metricsUrl()));
      assertThat(before).containsEntry("p2pchat_relayed_bytes_total", 0.0)
          .containsEntry("p2pchat_relayed_packets_total", 0.0).containsEntry("p2pchat_relay_dropped_total", 0.0);
      ChatClient[] both = contactsThroughTheRelay(server, in);
      Map<String, Double> linked;
      Map<String, Double> after;
      try (ChatClient alice = both[0]; ChatClient bob = both[1]) {
        // The link first: a handshake packet that races the introduction's answer may be dropped, and retried.
        assertThat(alice.peers().connect(UserName.of("bob")).get(30, TimeUnit.SECONDS))
            .isEqualTo(org.p2pchat.api.client.PeerPath.RELAYED);
        linked = parse(scrape(server.metricsUrl()));
        alice.peers().sendFile(UserName.of("bob"), file).get(60, TimeUnit.SECONDS);
        assertThat(bob.peers().path(UserName.of("alice"))).contains(org.p2pchat.api.client.PeerPath.RELAYED);
        after = parse(scrape(server.metricsUrl()));
      }
      double bytes = after.get("p2pchat_relayed_bytes_total") - linked.get("p2pchat_relayed_bytes_total");
      double packets = after.get("p2pchat_relayed_packets_total") - linked.get("p2pchat_relayed_packets_total");
      assertThat(linked.get("p2pchat_relayed_packets_total")).as("the handshake went through the relay").isPositive();
      assertThat(bytes).as("the file and its overhead").isGreaterThan(300_000.0);
      assertThat(packets).as("at most a packet per relayed byte, at least one per KiB of the file")
          .isGreaterThan(300.0).isLessThan(bytes);
      assertThat(after.get("p2pchat_relay_dropped_total")).as("dropped during the file")
          .isEqualTo(linked.get("p2pchat_relay_dropped_total"));
    }
  }

  @Test
  void aRelayOverItsRateCountsTheDroppedPackets() throws Exception {
    Path in = java.nio.file.Files.createDirectories(dir.resolve("in"));
    Path file = randomFile(2_000_000);
    try (RunningServer server = new RunningServer("--db", dir.resolve("chat.db").toString(), "--metrics", "0",
        "--relay-rate-per-user", "16KiB")) {
      ChatClient[] both = contactsThroughTheRelay(server, in);
      try (ChatClient alice = both[0]; ChatClient bob = both[1]) {
        java.util.concurrent.CompletableFuture<String> sent = alice.peers().sendFile(UserName.of("bob"), file);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Map<String, Double> now = parse(scrape(server.metricsUrl()));
        while (now.get("p2pchat_relay_dropped_total") == 0 && System.nanoTime() < deadline) {
          sent.getNow(null); // a failure shows here rather than as a timeout
          now = parse(scrape(server.metricsUrl()));
        }
        assertThat(now.get("p2pchat_relay_dropped_total")).as("packets beyond 16 KiB/s dropped").isPositive();
        assertThat(now.get("p2pchat_relayed_bytes_total")).isPositive();
        assertThat(bob.peers().path(UserName.of("alice"))).contains(org.p2pchat.api.client.PeerPath.RELAYED);
        sent.cancel(true);
      }
    }
  }

  @Test
  void aPostgresNodeReportsItsStoreCommitsToo() throws Exception {
    java.nio.file.Path password = java.nio.file.Files.writeString(dir.resolve("db-password"), TestPostgres.PASSWORD + "\n");
    try (RunningServer server = new RunningServer("--db", dir.resolve("node/chat.db").toString(), "--metrics", "0",
        "--store", "postgres", "--jdbc-url", TestPostgres.url(TestPostgres.newDatabase()), "--db-user", TestPostgres.USER,
        "--db-password-file", password.toString());
         ChatClient alice = server.client(); ChatClient bob = server.client()) {
      alice.register(UserName.of("alice"), PASSWORD).get(30, TimeUnit.SECONDS);
      bob.register(UserName.of("bob"), PASSWORD).get(30, TimeUnit.SECONDS);
      alice.login(UserName.of("alice"), PASSWORD).get(30, TimeUnit.SECONDS);
      for (int i = 0; i < 3; i++) {
        alice.send(UserName.of("bob"), "secret body " + i).get(30, TimeUnit.SECONDS);
      }
      Map<String, Double> after = parse(scrape(server.metricsUrl()));
      assertThat(after.get("p2pchat_store_batch_writes_count")).as("registrations, sends: each committed").isGreaterThanOrEqualTo(5.0);
      assertThat(after.get("p2pchat_store_commit_seconds_count")).isEqualTo(after.get("p2pchat_store_batch_writes_count"));
      assertThat(after).containsKey("p2pchat_store_write_queue");
    }
  }

  @Test
  void isOffByDefaultAndABarePortListensOnLoopbackOnly() throws Exception {
    try (RunningServer server = new RunningServer("--db", dir.resolve("chat.db").toString())) {
      assertThat(server.out.toString()).doesNotContain("metrics on");
    }
    assertThat(MetricsEndpoint.parse("9464").getAddress().isLoopbackAddress()).isTrue();
    assertThat(MetricsEndpoint.parse("[::1]:9464").getPort()).isEqualTo(9464);
    assertThat(MetricsEndpoint.parse("0.0.0.0:9464").getAddress().isAnyLocalAddress()).isTrue();
  }

  @Test
  void aBadMetricsAddressIsRefusedBeforeAnythingIsCreated() {
    CommandRun run = new CommandRun(new FakeServerFactory(), Map.of());
    assertThat(run.run("--db", dir.resolve("data/chat.db").toString(), "--metrics", "localhost:http")).isEqualTo(2);
    assertThat(run.err.toString()).contains("Invalid value for option '--metrics': 'localhost:http'");
    assertThat(dir.resolve("data")).doesNotExist();
  }
}
