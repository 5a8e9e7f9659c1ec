package org.p2pchat.cli.ref;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.cli.ref.NatLab.Nat;
import org.p2pchat.cli.ref.NatLab.Traffic;
import org.p2pchat.cli.ref.NatPunchProbe.Outcome;

/**
 * The {@link NatLab} behaves as the real Internet does for UDP hole punching: two hosts
 * behind two home routers punch through to each other, also when both homes use the same
 * private subnet; a symmetric NAT on one side, or a cut direct path, defeats punching while
 * the server side stays reachable; hosts of one home reach each other on their LAN but not
 * by hairpin; a hole closes after the router's UDP timeout; random WAN loss is real and
 * counted; the real server relays a chat between clients behind two NATs (the baseline for
 * the peer-to-peer tests). Each test builds its own lab (0.3 s) and runs small Java processes
 * in it ({@link NatReflector}, {@link NatPunchProbe}, {@link NetnsChatDriver}).
 *
 * <p>Needs root, {@code ip} and {@code nft}; skips, saying why, only when those are missing
 * or the kernel refuses namespaces. Run alone with {@code mvn -o -pl p2pchat-cli-ref -am verify
 * -Dit.test=NatLabIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Dfailsafe.failIfNoSpecifiedTests=false -Djapicmp.skip=true} (the last but one because the
 * server module has failsafe tests too, none of them this one).
 */
class NatLabIT {
  /** 1.5 s of punching at one every 50 ms: the bounded number of tries. */
  private static final int PUNCHES = 30;
  private static final int[] PORTS = {40000, 40001};
  private static final long SECONDS = 30;

  @TempDir Path dir;

  @Test
  void hostsBehindTwoHomeRoutersPunchThroughToEachOtherDirectly() throws Exception {
    try (NatLab lab = NatLab.builder().network(Nat.HOME_ROUTER).network(Nat.HOME_ROUTER).build()) {
      Punch punch = punch(lab, () -> {});

      for (int n = 0; n < 2; n++) {
        // A home router keeps the host's port and one mapping whatever the destination.
        assertThat(punch.mapped.get(n)).containsOnly(lab.publicAddress(n).getHostAddress() + ":" + PORTS[n]);
        assertThat(punch.outcome.get(n).received()).as("punches host %d received", n).isPositive();
        assertThat(punch.outcome.get(n).sources()).as("where host %d's punches came from", n)
            .containsExactly(punch.mapped.get(1 - n).get(0));
      }
      assertThat(punch.traffic.direct(0, 1)).isEqualTo(PUNCHES);
      assertThat(punch.traffic.direct(1, 0)).isEqualTo(PUNCHES);
      // The server side saw the reflector's questions and answers only.
      for (int n = 0; n < 2; n++) {
        assertThat(punch.traffic.toServer(n)).isBetween(2L, 2L * NatPunchProbe.ASKS);
        assertThat(punch.traffic.fromServer(n)).isEqualTo(punch.traffic.toServer(n));
      }
    }
  }

  @Test
  void punchingFailsWhenOneSideIsBehindASymmetricNatThoughTheReflectorAnswers() throws Exception {
    try (NatLab lab = NatLab.builder().network(Nat.HOME_ROUTER).network(Nat.SYMMETRIC).build()) {
      Punch punch = punch(lab, () -> {});

      // Reachable both: each reflector port answered each host.
      assertThat(punch.mapped.get(0)).containsOnly(lab.publicAddress(0).getHostAddress() + ":" + PORTS[0]);
      assertThat(punch.mapped.get(1)).hasSize(2).allMatch(a -> a.startsWith(lab.publicAddress(1).getHostAddress() + ":"));
      // The symmetric NAT gave each destination its own port: what the reflector saw is not
      // what the peer gets, so the home router drops the peer's punches as unsolicited.
      assertThat(punch.mapped.get(1).get(0)).isNotEqualTo(punch.mapped.get(1).get(1));
      assertThat(punch.outcome.get(0).received()).isZero();
      assertThat(punch.outcome.get(1).received()).isZero();
      assertThat(punch.traffic.direct(0, 1)).isEqualTo(PUNCHES);
      assertThat(punch.traffic.direct(1, 0)).isEqualTo(PUNCHES);
      assertThat(punch.traffic.unsolicited(0)).isEqualTo(PUNCHES);
      assertThat(punch.traffic.unsolicited(1)).isEqualTo(PUNCHES);
    }
  }

  @Test
  void punchingFailsWhileTheDirectPathIsCutAndWorksOnceItIsRestored() throws Exception {
    try (NatLab lab = NatLab.builder().network(Nat.HOME_ROUTER).network(Nat.HOME_ROUTER).build()) {
      lab.cutDirect(0, 1);
      Punch cut = punch(lab, () -> {});

      for (int n = 0; n < 2; n++) {
        assertThat(cut.mapped.get(n)).as("the server side still answers host %d", n)
            .containsOnly(lab.publicAddress(n).getHostAddress() + ":" + PORTS[n]);
        assertThat(cut.outcome.get(n).received()).isZero();
      }
      assertThat(cut.traffic.direct(0, 1)).as("nothing left router 0 for router 1").isZero();
      assertThat(cut.traffic.cut(0)).isEqualTo(PUNCHES);
      assertThat(cut.traffic.direct(1, 0)).isEqualTo(PUNCHES);
      assertThat(cut.traffic.unsolicited(0)).isEqualTo(PUNCHES);

      lab.restoreDirect(0, 1);
      Punch restored = punch(lab, () -> {});
      assertThat(restored.outcome.get(0).received()).isPositive();
      assertThat(restored.outcome.get(1).received()).isPositive();
      assertThat(restored.traffic.cut(0)).isZero();
    }
  }

  @Test
  void hostsOnTheSameLanSubnetPunchThroughTheirPublicAddresses() throws Exception {
    try (NatLab lab = NatLab.builder().network(Nat.HOME_ROUTER).network(Nat.HOME_ROUTER).sameLanSubnet().build()) {
      // Both are 192.168.1.2: a "host candidate" of the peer is this host's own address.
      assertThat(lab.hostAddress(0)).isEqualTo(lab.hostAddress(1));
      Punch punch = punch(lab, () -> {});

      for (int n = 0; n < 2; n++) {
        assertThat(punch.outcome.get(n).received()).isPositive();
        assertThat(punch.outcome.get(n).sources()).containsExactly(lab.publicAddress(1 - n).getHostAddress() + ":" + PORTS[1 - n]);
      }
      assertThat(punch.traffic.direct(0, 1)).isEqualTo(PUNCHES);
      assertThat(punch.traffic.direct(1, 0)).isEqualTo(PUNCHES);

      // The peer's private address is this host's own: punches to it never leave the host.
      Punch toPrivate = punch(lab, List.of(lab.host(0), lab.host(1)), () -> {},
          mapped -> List.of(lab.hostAddress(1).getHostAddress() + ":" + PORTS[1], lab.hostAddress(0).getHostAddress() + ":" + PORTS[0]));
      assertThat(toPrivate.outcome.get(0).received()).isZero();
      assertThat(toPrivate.outcome.get(1).received()).isZero();
      assertThat(toPrivate.traffic.directTotal()).isZero();
    }
  }

  @Test
  void hostsBehindOneRouterReachEachOtherByTheirPrivateAddressesButNotByTheirMappedOnes() throws Exception {
    try (NatLab lab = NatLab.builder().network(Nat.HOME_ROUTER, 2).network(Nat.HOME_ROUTER).build()) {
      List<String> neighbours = List.of(lab.host(0, 0), lab.host(0, 1));
      Punch onLan = punch(lab, neighbours, () -> {}, mapped -> List.of(
          lab.hostAddress(0, 1).getHostAddress() + ":" + PORTS[1], lab.hostAddress(0, 0).getHostAddress() + ":" + PORTS[0]));
      assertThat(onLan.outcome.get(0).received()).isEqualTo(PUNCHES);
      assertThat(onLan.outcome.get(1).received()).isEqualTo(PUNCHES);
      assertThat(onLan.traffic.lan(0)).isEqualTo(2L * PUNCHES);
      assertThat(onLan.traffic.directTotal()).isZero();

      // No hairpinning: the router does not turn a packet to its own public address back in.
      Punch hairpin = punch(lab, neighbours, () -> {}, mapped -> List.of(mapped.get(1).get(0), mapped.get(0).get(0)));
      assertThat(hairpin.mapped.get(0)).containsOnly(lab.publicAddress(0).getHostAddress() + ":" + PORTS[0]);
      assertThat(hairpin.mapped.get(1)).containsOnly(lab.publicAddress(0).getHostAddress() + ":" + PORTS[1]);
      assertThat(hairpin.outcome.get(0).received()).isZero();
      assertThat(hairpin.outcome.get(1).received()).isZero();
      assertThat(hairpin.traffic.lan(0)).isZero();
    }
  }

  @Test
  void aHoleClosesWhenItsRouterHasSeenNothingForItsUdpTimeout() throws Exception {
    try (NatLab lab = NatLab.builder().network(Nat.HOME_ROUTER).network(Nat.HOME_ROUTER).build()) {
      lab.udpTimeouts(1, 1, 1);
      Punch punch = punch(lab, () -> {});
      assertThat(punch.outcome.get(0).received()).isPositive();
      assertThat(punch.outcome.get(1).received()).isPositive();
      InetSocketAddress host0 = new InetSocketAddress(lab.publicAddress(0), PORTS[0]);
      assertThat(lab.mapping(1, 0, PORTS[1], host0)).hasValue(new InetSocketAddress(lab.publicAddress(1), PORTS[1]));

      // Host 1 is silent now: within a few seconds router 1 forgets the flow.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (lab.mapping(1, 0, PORTS[1], host0).isPresent()) {
        assertThat(System.nanoTime() - deadline).as("router 1 still holds the hole after 10 s").isNegative();
        Thread.sleep(100);
      }
      Traffic before = lab.traffic();
      Outcome late = probe(lab, lab.host(0), PORTS[0], punch.mapped.get(1).get(0), 10);
      Traffic t = lab.traffic().since(before);
      assertThat(late.received()).isZero();
      assertThat(t.direct(0, 1)).isEqualTo(10);
      assertThat(t.unsolicited(1)).as("host 0's late punches dropped at router 1").isEqualTo(10);
    }
  }

  @Test
  void hostsOnOnePortBehindOneRouterGetTwoMappingsEachTheSameForEveryDestination() throws Exception {
    try (NatLab lab = NatLab.builder().network(Nat.HOME_ROUTER, 2).network(Nat.HOME_ROUTER).build();
        Lines reflector = Lines.start(lab.processBuilder(lab.server(), java(NatReflector.class.getName(), "0", "0")),
            "reflector")) {
      String[] ports = reflector.await("REFLECTING ").split(" ");
      List<String> seen = new ArrayList<>();
      for (int h = 0; h < 2; h++) {
        // One punch each to a destination of its own, then read the router's mapping for it.
        Outcome o = probe(lab, lab.host(0, h), PORTS[0], lab.publicAddress(1).getHostAddress() + ":" + (9 + h), 1,
            NatLab.SERVER_ADDRESS + ":" + ports[1], NatLab.SERVER_ADDRESS + ":" + ports[2]);
        assertThat(o.mapped()).hasSize(2).doesNotContain("none");
        InetSocketAddress mapping = lab.mapping(0, h, PORTS[0], new InetSocketAddress(lab.publicAddress(1), 9 + h))
            .orElseThrow();
        String toPeer = mapping.getAddress().getHostAddress() + ":" + mapping.getPort();
        assertThat(o.mapped()).as("host 0.%d: one mapping for both reflector ports and the peer", h).containsOnly(toPeer);
        seen.add(toPeer);
      }
      // The first keeps its port; the second, clashing, gets another, and keeps that one everywhere.
      assertThat(seen.get(0)).isEqualTo(lab.publicAddress(0).getHostAddress() + ":" + PORTS[0]);
      assertThat(seen.get(1)).isNotEqualTo(seen.get(0));
    }
  }

  @Test
  void closeKillsWhatRunsInTheLabAndDeletesEveryNamespace() throws Exception {
    long started = System.nanoTime();
    NatLab lab = NatLab.builder().network(Nat.HOME_ROUTER).network(Nat.SYMMETRIC, 2).build();
    long built = System.nanoTime();
    List<String> namespaces = lab.namespaces();
    Process sleeper;
    try {
      assertThat(namespaces).hasSize(2 + 2 + 3).contains(lab.internet(), lab.server(), lab.router(1), lab.host(1, 1));
      sleeper = lab.processBuilder(lab.host(1, 1), "sleep", "600").start();
    } finally {
      lab.close();
    }
    System.out.printf("a lab of %d namespaces: built in %d ms, closed in %d ms%n", namespaces.size(),
        TimeUnit.NANOSECONDS.toMillis(built - started), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - built));
    assertThat(sleeper.waitFor(10, TimeUnit.SECONDS)).as("the process in the lab ended").isTrue();
    NatLab.Run listed = lab.exec(lab.server(), "true"); // the namespace is gone: ip netns exec fails
    assertThat(listed.exit()).isNotZero();
    String all = new String(new ProcessBuilder("ip", "netns", "list").start().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(all.lines().map(line -> line.split(" ")[0])).doesNotContainAnyElementsOf(namespaces);
    lab.close(); // twice is fine
  }

  @Test
  void randomLossOnAWanSideDropsSomePunchesButNotAll() throws Exception {
    try (NatLab lab = NatLab.builder().network(Nat.HOME_ROUTER).network(Nat.HOME_ROUTER).build()) {
      // After the reflector answered, so that only punches arrive at router 1 meanwhile.
      Punch punch = punch(lab, () -> lab.randomLoss(1, 50));
      lab.randomLoss(1, 0);

      Traffic t = punch.traffic;
      assertThat(t.lost(1)).isPositive();
      assertThat(punch.outcome.get(1).received()).isPositive();
      // Every punch that reached router 1 was lost, dropped as unsolicited (before router 1's
      // own punches opened the way) or delivered.
      assertThat(punch.outcome.get(1).received() + t.unsolicited(1) + t.lost(1)).isGreaterThanOrEqualTo(PUNCHES);
      assertThat(t.lost(0)).isZero();
    }
  }

  @Test
  void clientsBehindTwoHomeRoutersChatThroughTheServer() throws Exception {
    int each = 20;
    try (NatLab lab = NatLab.builder().network(Nat.HOME_ROUTER).network(Nat.HOME_ROUTER).build();
        ServerProcess server = ServerProcess.start(lab.prefix(lab.server()), dir.resolve("server.log"),
            "--bind", "0.0.0.0", "--port", "0", "--db", dir.resolve("nat.db").toString())) {
      Traffic before = lab.traffic();
      String[] users = {"alice", "bob"};
      List<Driver> round = new ArrayList<>();
      for (String[] command : List.of(new String[] {"register"}, new String[] {"send", Integer.toString(each)},
          new String[] {"verify", Integer.toString(each)})) {
        round.clear();
        for (int n = 0; n < 2; n++) {
          round.add(driver(lab, server, n, users[n], users[1 - n], command));
        }
        for (Driver d : round) {
          d.outcome = d.waitForOutcome(120);
        }
      }
      assertThat(round.get(0).outcome).startsWith("OK " + each + " messages from bob");
      assertThat(round.get(1).outcome).startsWith("OK " + each + " messages from alice");

      Traffic t = lab.traffic().since(before);
      assertThat(t.directTotal()).as("packets between the routers").isZero();
      for (int n = 0; n < 2; n++) {
        assertThat(t.toServer(n)).isPositive();
        assertThat(t.fromServer(n)).isPositive();
      }
    }
  }

  /** What two probes found: each host's mapped addresses as each reflector port saw them, what each received, and the traffic. */
  private record Punch(List<List<String>> mapped, List<Outcome> outcome, Traffic traffic) {}

  /** An action between the reflector's answers and the first punch. */
  private interface BeforePunch {
    void run() throws Exception;
  }

  /** Where each of two probes punches to, given what the reflector told both. */
  private interface Targets {
    List<String> of(List<List<String>> mapped);
  }

  /** Hosts 0 and 1 behind routers 0 and 1 punch to each other's mapped address. */
  private Punch punch(NatLab lab, BeforePunch beforePunch) throws Exception {
    return punch(lab, List.of(lab.host(0), lab.host(1)), beforePunch,
        mapped -> List.of(mapped.get(1).get(0), mapped.get(0).get(0)));
  }

  /**
   * Runs a {@link NatReflector} on two ports in the server namespace and a {@link NatPunchProbe}
   * in each of the two {@code hosts} (on {@link #PORTS}); once both know their mapped address,
   * gives each its target and lets them punch at the same time.
   */
  private Punch punch(NatLab lab, List<String> hosts, BeforePunch beforePunch, Targets targets) throws Exception {
    Traffic before = lab.traffic();
    try (Lines reflector = Lines.start(lab.processBuilder(lab.server(), java(NatReflector.class.getName(), "0", "0")),
        "reflector")) {
      String[] ports = reflector.await("REFLECTING ").split(" ");
      List<Lines> probes = new ArrayList<>();
      try {
        List<List<String>> mapped = new ArrayList<>();
        for (int n = 0; n < 2; n++) {
          probes.add(Lines.start(lab.processBuilder(hosts.get(n), java(NatPunchProbe.class.getName(),
              Integer.toString(PORTS[n]), Integer.toString(PUNCHES), "-",
              NatLab.SERVER_ADDRESS + ":" + ports[1], NatLab.SERVER_ADDRESS + ":" + ports[2])), "probe " + n));
        }
        for (int n = 0; n < 2; n++) {
          mapped.add(new ArrayList<>());
          for (int r = 0; r < 2; r++) {
            String[] line = probes.get(n).await("MAPPED ").split(" ");
            assertThat(line[2]).as("host %d's mapped address from reflector port %s", n, ports[r + 1]).isNotEqualTo("none");
            mapped.get(n).add(line[2]);
          }
          probes.get(n).await("READY");
        }
        beforePunch.run();
        List<String> to = targets.of(mapped);
        for (int n = 0; n < 2; n++) {
          probes.get(n).send(to.get(n));
        }
        List<Outcome> outcome = new ArrayList<>();
        for (int n = 0; n < 2; n++) {
          outcome.add(Outcome.parse(probes.get(n).await("RECEIVED ")));
        }
        Traffic traffic = lab.traffic().since(before);
        System.out.printf("punch: mapped %s, to %s; %s; traffic %s%n", mapped, to, outcome, traffic);
        return new Punch(mapped, outcome, traffic);
      } finally {
        for (Lines p : probes) {
          p.close();
        }
      }
    }
  }

  /**
   * One probe alone: asks the {@code reflectors} (host:port each), then sends {@code count}
   * punches from {@code host}'s {@code port} to {@code peer}; its outcome carries the mapped
   * addresses the reflectors answered.
   */
  private static Outcome probe(NatLab lab, String host, int port, String peer, int count, String... reflectors)
      throws Exception {
    List<String> args = new ArrayList<>(List.of(NatPunchProbe.class.getName(), Integer.toString(port),
        Integer.toString(count), peer));
    args.addAll(List.of(reflectors));
    try (Lines probe = Lines.start(lab.processBuilder(host, java(args.toArray(new String[0]))), "probe in " + host)) {
      List<String> mapped = new ArrayList<>();
      for (int r = 0; r < reflectors.length; r++) {
        mapped.add(probe.await("MAPPED ").split(" ")[2]);
      }
      Outcome o = Outcome.parse(probe.await("RECEIVED "));
      return new Outcome(o.received(), o.count(), o.sources(), mapped);
    }
  }

  /** The test JVM's java with the test classes, quick to start. */
  private static String[] java(String... args) {
    List<String> command = new ArrayList<>(List.of(ServerProcess.java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-cp", testClasses()));
    command.addAll(List.of(args));
    return command.toArray(new String[0]);
  }

  private static String testClasses() {
    return Path.of(NatLabIT.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
  }

  private Driver driver(NatLab lab, ServerProcess server, int network, String user, String peer, String... command)
      throws IOException {
    List<String> args = new ArrayList<>(List.of(ServerProcess.java(), "-Dp2pchat.serverKey=" + server.key.base64(),
        "-cp", Jars.cliJar().toAbsolutePath() + ":" + testClasses(), NetnsChatDriver.class.getName(),
        NatLab.SERVER_ADDRESS, Integer.toString(server.port), user, peer));
    args.addAll(List.of(command));
    Path out = Files.createTempFile(dir, "driver", ".txt");
    Process p = lab.processBuilder(lab.host(network), args.toArray(new String[0])).redirectOutput(out.toFile()).start();
    return new Driver(p, out, String.join(" ", command) + " by " + user);
  }

  /** A running {@link NetnsChatDriver}. */
  private static final class Driver {
    final Process process;
    final Path output;
    final String what;
    String outcome;

    Driver(Process process, Path output, String what) {
      this.process = process;
      this.output = output;
      this.what = what;
    }

    /** Its last line of output once it exits; fails when it runs over {@code seconds} or exits non-zero. */
    String waitForOutcome(long seconds) throws Exception {
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(what + " still running after " + seconds + " s:\n" + Files.readString(output));
      }
      String text = Files.readString(output).strip();
      assertThat(process.exitValue()).as(what + " printed:\n" + text).isZero();
      return text.substring(text.lastIndexOf('\n') + 1);
    }
  }

  /** A process whose output the test reads line by line, and whose input it may write. */
  private static final class Lines implements AutoCloseable {
    private static final String EOF = "\u0000eof";
    private final Process process;
    private final String name;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder seen = new StringBuilder();

    private Lines(Process process, String name) {
      this.process = process;
      this.name = name;
    }

    static Lines start(ProcessBuilder pb, String name) throws IOException {
      Lines l = new Lines(pb.start(), name);
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(l.process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line = r.readLine(); line != null; line = r.readLine()) {
            l.lines.add(line);
          }
        } catch (IOException e) {
          l.lines.add("(output ended: " + e.getMessage() + ")");
        } finally {
          l.lines.add(EOF);
        }
      }, name + "-output");
      reader.setDaemon(true);
      reader.start();
      return l;
    }

    /** The next line that starts with {@code prefix} (earlier lines are kept for the failure message), within 30 s. */
    String await(String prefix) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
      while (true) {
        String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null || line.equals(EOF)) {
          throw new AssertionError(name + (line == null ? " printed no '" : " ended before '") + prefix
              + "' within " + SECONDS + " s; it printed:\n" + seen);
        }
        seen.append(line).append('\n');
        if (line.startsWith(prefix)) {
          return line;
        }
      }
    }

    void send(String line) throws IOException {
      Writer w = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      w.write(line + "\n");
      w.flush();
    }

    @Override
    public void close() {
      process.destroyForcibly();
    }
  }
}
