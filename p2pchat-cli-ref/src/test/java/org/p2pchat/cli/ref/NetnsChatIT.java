package org.p2pchat.cli.ref;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two clients and the real server in three network namespaces joined by veth links, with real
 * packet loss (10% into every interface) and duplication (5% out of every interface) from
 * nftables. This kernel has no {@code netem}; nftables does loss and duplication, while
 * reordering and fixed delays are covered in-process by {@code FaultInjectingTransport}
 * (docs/reliability.md).
 *
 * <p>Needs root, {@code ip} and {@code nft} ({@code .ci/install-test-deps}); skips, saying
 * why, only when those are missing or the kernel refuses namespaces. The ordinary run sends
 * 500 messages; {@code -Dp2pchat.netns.messages=10000} is the long mode.
 */
class NetnsChatIT {
  private static final int MESSAGES = Integer.getInteger("p2pchat.netns.messages", 500);
  private static final int LOSS_PERCENT = 10;
  private static final int DUP_PERCENT = 5;
  private static final String ID = Long.toString(ProcessHandle.current().pid() % 1_000_000, 36);
  private static final String SERVER_NS = "p2pc-" + ID + "-s";
  private static final String[] CLIENT_NS = {"p2pc-" + ID + "-a", "p2pc-" + ID + "-b"};
  private static final String[] USERS = {"alice", "bob"};
  private static final List<String> created = new ArrayList<>();
  private static final Pattern PACKETS = Pattern.compile("counter packets (\\d+)");

  @TempDir static Path dir;
  private static ServerProcess server;

  @BeforeAll
  static void buildTheNetwork() throws Exception {
    Assumptions.assumeTrue(onPath("ip"), "skipped: no 'ip' command (iproute2); .ci/install-test-deps installs it");
    Assumptions.assumeTrue(onPath("nft"), "skipped: no 'nft' command (nftables); .ci/install-test-deps installs it");
    // Leftovers of a killed earlier run whose process had the same id would block the names.
    for (String ns : List.of(SERVER_NS, CLIENT_NS[0], CLIENT_NS[1])) {
      run("ip", "netns", "del", ns);
    }
    Run probe = run("ip", "netns", "add", SERVER_NS);
    Assumptions.assumeTrue(probe.exit == 0,
        "skipped: the kernel or user refused a network namespace (root needed): " + probe.output.strip());
    created.add(SERVER_NS);
    for (int i = 0; i < 2; i++) {
      String ns = CLIENT_NS[i];
      String outer = "pc" + ID + "s" + i; // the server's end
      String inner = "pc" + ID + "c" + i; // the client's end
      String subnet = "10.200." + (i + 1) + ".";
      must("ip", "netns", "add", ns);
      created.add(ns);
      must("ip", "link", "add", outer, "type", "veth", "peer", "name", inner);
      must("ip", "link", "set", outer, "netns", SERVER_NS);
      must("ip", "link", "set", inner, "netns", ns);
      must("ip", "-n", SERVER_NS, "addr", "add", subnet + "1/24", "dev", outer);
      must("ip", "-n", ns, "addr", "add", subnet + "2/24", "dev", inner);
      must("ip", "-n", SERVER_NS, "link", "set", outer, "up");
      must("ip", "-n", ns, "link", "set", inner, "up");
      must("ip", "-n", ns, "link", "set", "lo", "up");
      faults(SERVER_NS, outer);
      faults(ns, inner);
    }
    must("ip", "-n", SERVER_NS, "link", "set", "lo", "up");
    server = ServerProcess.start(List.of("ip", "netns", "exec", SERVER_NS), dir.resolve("server.log"),
        "--bind", "0.0.0.0", "--port", "0", "--db", dir.resolve("netns.db").toString());
  }

  @AfterAll
  static void tearDown() throws Exception {
    try {
      if (server != null) {
        server.close();
      }
    } finally {
      for (String ns : created) {
        run("ip", "netns", "del", ns); // takes its veth ends with it
      }
    }
  }

  @Test
  void messagesBetweenClientsOnLossyDuplicatingLinksArriveCompleteInOrderOnce() throws Exception {
    for (int i = 0; i < 2; i++) {
      assertThat(driver(i, "register").waitForOutcome(120)).startsWith("OK");
    }
    int each = MESSAGES / 2;
    long timeout = 120 + each / 20; // seconds: generous for 10% loss each way
    Driver aliceSends = driver(0, "send", Integer.toString(each));
    Driver bobSends = driver(1, "send", Integer.toString(each));
    String aliceSent = aliceSends.waitForOutcome(timeout);
    String bobSent = bobSends.waitForOutcome(timeout);
    assertThat(aliceSent).startsWith("OK");
    assertThat(bobSent).startsWith("OK");

    String aliceView = driver(0, "verify", Integer.toString(each)).waitForOutcome(timeout);
    String bobView = driver(1, "verify", Integer.toString(each)).waitForOutcome(timeout);
    assertThat(aliceView).startsWith("OK " + each + " messages from bob");
    assertThat(bobView).startsWith("OK " + each + " messages from alice");

    long[] counters = counters();
    System.out.printf("netns test: %d messages; alice %s, bob %s; packets in %d, dropped %d (%.1f%%),"
        + " packets out %d, duplicated %d (%.1f%%)%n", MESSAGES, aliceSent, bobSent,
        counters[0], counters[1], 100.0 * counters[1] / counters[0],
        counters[2], counters[3], 100.0 * counters[3] / counters[2]);
    // The faults were real: packets were dropped and duplicated on the way.
    assertThat(counters[1]).isPositive();
    assertThat(counters[3]).isPositive();
  }

  /** Drops {@value #LOSS_PERCENT}% of what comes in on {@code dev}, duplicates {@value #DUP_PERCENT}% of what goes out. */
  private static void faults(String ns, String dev) throws Exception {
    String rules = "table netdev p2pchat_faults_" + dev + " {\n"
        + "  chain lossy_in { type filter hook ingress device \"" + dev + "\" priority 0; policy accept;\n"
        + "    counter\n"
        + "    numgen random mod 100 < " + LOSS_PERCENT + " counter drop\n"
        + "  }\n"
        + "  chain dup_out { type filter hook egress device \"" + dev + "\" priority 0; policy accept;\n"
        + "    counter\n"
        + "    numgen random mod 100 < " + DUP_PERCENT + " counter dup to \"" + dev + "\"\n"
        + "  }\n"
        + "}\n";
    Path file = dir.resolve("faults-" + dev + ".nft");
    Files.writeString(file, rules);
    must("ip", "netns", "exec", ns, "nft", "-f", file.toString());
  }

  /** Sums of all namespaces' counters: {packets in, dropped, packets out, duplicated}. */
  private static long[] counters() throws Exception {
    long[] sums = new long[4];
    for (String ns : created) {
      Run listed = run("ip", "netns", "exec", ns, "nft", "list", "ruleset");
      Matcher m = PACKETS.matcher(listed.output);
      for (int i = 0; m.find(); i++) {
        sums[i % 4] += Long.parseLong(m.group(1));
      }
    }
    return sums;
  }

  private Driver driver(int client, String... command) throws IOException {
    String classes = Path.of(NetnsChatDriver.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
    List<String> args = new ArrayList<>(List.of("ip", "netns", "exec", CLIENT_NS[client],
        ServerProcess.java(), "-Dp2pchat.serverKey=" + server.key.base64(), "-cp", Jars.cliJar().toAbsolutePath() + ":" + classes,
        NetnsChatDriver.class.getName(), "10.200." + (client + 1) + ".1", Integer.toString(server.port),
        USERS[client], USERS[1 - client]));
    args.addAll(List.of(command));
    Path out = Files.createTempFile(dir, "driver", ".txt");
    Process p = new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    return new Driver(p, out, String.join(" ", command) + " by " + USERS[client]);
  }

  /** A running driver process. */
  private record Driver(Process process, Path output, String what) {
    /** Its last line of output once it exits; fails when it runs over {@code seconds}. */
    String waitForOutcome(long seconds) throws Exception {
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(what + " still running after " + seconds + " s:\n" + Files.readString(output));
      }
      String text = Files.readString(output).strip();
      String last = text.substring(text.lastIndexOf('\n') + 1);
      assertThat(process.exitValue()).as(what + " printed:\n" + text).isZero();
      return last;
    }
  }

  private record Run(int exit, String output) {}

  private static Run run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("still running after 30 s: " + String.join(" ", command));
    }
    return new Run(p.exitValue(), output);
  }

  private static void must(String... command) throws Exception {
    Run r = run(command);
    if (r.exit != 0) {
      throw new AssertionError(String.join(" ", command) + " failed (exit " + r.exit + "): " + r.output.strip());
    }
  }

  private static boolean onPath(String command) {
    for (String d : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
      if (Files.isExecutable(Path.of(d, command))) {
        return true;
      }
    }
    return Files.isExecutable(Path.of("/usr/sbin", command)) || Files.isExecutable(Path.of("/sbin", command));
  }
}
