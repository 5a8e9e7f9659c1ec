package org.p2pchat.cli.ref;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.cli.ref.NatLab.Nat;
import org.p2pchat.cli.ref.NatLab.Traffic;

/**
 * Peer to peer between real processes behind real NATs (docs/protocol.md sections 25 and 26):
 * the real server on the lab's "Internet", two {@link NatPeerDriver} clients behind routers of
 * the home kind or the symmetric kind, the traffic counted on the Internet's bridge. Two home
 * routers: the clients connect directly, chat, and move a 20 MB file with (almost) nothing
 * through the server. One symmetric NAT: everything goes through the relay, with the same
 * results. The direct path cut mid-transfer, or lossy: the file arrives intact. A client that
 * keeps to the relay: no packet of it ever goes to the peer's address, nor comes from it.
 *
 * <p>Needs root, {@code ip} and {@code nft}; skips, saying why, only where they are missing or
 * the kernel refuses namespaces ({@link NatLab}).
 */
class PeerToPeerNatIT {
  private static final int FILE_BYTES = 20 * 1024 * 1024;
  /** A chunk is 1 KiB: a file relayed through the server takes at least this many of its packets. */
  private static final long FILE_PACKETS = FILE_BYTES / 1024;

  @TempDir Path dir;

  @Test
  void behindTwoHomeRoutersTheClientsConnectDirectlyChatAndMoveAFileWithoutTheServer() throws Exception {
    try (NatLab lab = NatLab.builder().network(Nat.HOME_ROUTER).network(Nat.HOME_ROUTER).build();
        ServerProcess server = server(lab)) {
      Traffic before = lab.traffic();
      Pair pair = pair(lab, server, true, true, FILE_BYTES);
      String callee = pair.callee.waitForOutcome(300);
      String caller = pair.caller.waitForOutcome(300);
      assertThat(caller).contains("channel DIRECT").contains("FILE " + FILE_BYTES + " bytes");
      assertThat(callee).contains("channel DIRECT").contains("FILE received " + FILE_BYTES + " bytes");
      Traffic t = lab.traffic().since(before);
      System.out.printf("home/home: %s | %s | %s%n", caller, callee, t);
      assertThat(t.direct(0, 1)).as("packets straight from alice's router to bob's").isGreaterThan(FILE_PACKETS);
      assertThat(t.toServer(0) + t.fromServer(1)).as("packets through the server: the chat, no file")
          .isLessThan(FILE_PACKETS / 10);
      assertThat(relayedBytes(lab, server)).as("bytes the server's relay forwarded").isZero();
    }
  }

  @Test
  void behindASymmetricNatEverythingGoesThroughTheRelayWithTheSameResults() throws Exception {
    try (NatLab lab = NatLab.builder().network(Nat.HOME_ROUTER).network(Nat.SYMMETRIC).build();
        ServerProcess server = server(lab)) {
      Traffic before = lab.traffic();
      Pair pair = pair(lab, server, true, true, FILE_BYTES);
      String callee = pair.callee.waitForOutcome(300);
      String caller = pair.caller.waitForOutcome(300);
      assertThat(caller).contains("channel RELAYED").contains("FILE " + FILE_BYTES + " bytes");
      assertThat(callee).contains("channel RELAYED").contains("FILE received " + FILE_BYTES + " bytes");
      Traffic t = lab.traffic().since(before);
      System.out.printf("home/symmetric: %s | %s | %s%n", caller, callee, t);
      assertThat(t.toServer(0)).as("the file went to the server").isGreaterThan(FILE_PACKETS);
      assertThat(t.fromServer(1)).as("and from the server to bob").isGreaterThan(FILE_PACKETS);
      assertThat(relayedBytes(lab, server)).as("bytes the server's relay forwarded").isGreaterThan(FILE_BYTES);
    }
  }

  @Test
  void aDirectPathCutMidTransferFallsBackToTheRelayAndTheFileArrivesIntact() throws Exception {
    try (NatLab lab = NatLab.builder().network(Nat.HOME_ROUTER).network(Nat.HOME_ROUTER).build();
        ServerProcess server = server(lab)) {
      Pair pair = pair(lab, server, true, true, FILE_BYTES);
      pair.callee.awaitLine(line -> line.startsWith("PROGRESS ")
          && Long.parseLong(line.substring(9)) >= FILE_BYTES / 5, 180);
      lab.cutDirect(0, 1);
      lab.cutDirect(1, 0);
      Traffic atCut = lab.traffic();
      String callee = pair.callee.waitForOutcome(300);
      String caller = pair.caller.waitForOutcome(300);
      Traffic t = lab.traffic().since(atCut);
      System.out.printf("cut: %s | %s | %s%n", caller, callee, t);
      assertThat(caller).contains("channel DIRECT").contains("path now RELAYED").contains("FILE " + FILE_BYTES + " bytes");
      assertThat(callee).contains("FILE received " + FILE_BYTES + " bytes");
      assertThat(t.cut(0) + t.cut(1)).as("the cut dropped packets").isPositive();
      assertThat(t.toServer(0)).as("the rest went through the relay").isPositive();
    }
  }

  @Test
  void lossOnTheDirectPathSlowsTheFileButNeverCorruptsIt() throws Exception {
    try (NatLab lab = NatLab.builder().network(Nat.HOME_ROUTER).network(Nat.HOME_ROUTER).build();
        ServerProcess server = server(lab)) {
      lab.randomLoss(0, 5);
      lab.randomLoss(1, 5);
      Traffic before = lab.traffic();
      Pair pair = pair(lab, server, true, true, FILE_BYTES / 4);
      String callee = pair.callee.waitForOutcome(300);
      String caller = pair.caller.waitForOutcome(300);
      Traffic t = lab.traffic().since(before);
      System.out.printf("lossy: %s | %s | %s%n", caller, callee, t);
      assertThat(caller).contains("FILE " + FILE_BYTES / 4 + " bytes");
      assertThat(callee).contains("FILE received " + FILE_BYTES / 4 + " bytes");
      assertThat(t.lost(0) + t.lost(1)).as("packets the loss dropped").isPositive();
    }
  }

  @Test
  void aClientThatKeepsToTheRelayNeverRevealsAnAddressToItsPeer() throws Exception {
    try (NatLab lab = NatLab.builder().network(Nat.HOME_ROUTER).network(Nat.HOME_ROUTER).build();
        ServerProcess server = server(lab)) {
      Traffic before = lab.traffic();
      Pair pair = pair(lab, server, true, false, 256 * 1024);
      String callee = pair.callee.waitForOutcome(300);
      String caller = pair.caller.waitForOutcome(300);
      Traffic t = lab.traffic().since(before);
      System.out.printf("relay only: %s | %s | %s%n", caller, callee, t);
      assertThat(caller).contains("channel RELAYED");
      assertThat(callee).contains("channel RELAYED").contains("FILE received");
      assertThat(t.directTotal()).as("packets between the two routers, either way").isZero();
    }
  }

  private ServerProcess server(NatLab lab) throws Exception {
    serverLog = dir.resolve("server-" + System.nanoTime() + ".log");
    return ServerProcess.start(lab.prefix(lab.server()), serverLog,
        "--bind", "0.0.0.0", "--port", "0", "--db", dir.resolve("p2p-" + System.nanoTime() + ".db").toString(),
        "--metrics", "127.0.0.1:0");
  }

  private Path serverLog;

  /** The server's {@code p2pchat_relayed_bytes_total}, read from its metrics inside its namespace. */
  private long relayedBytes(NatLab lab, ServerProcess server) throws Exception {
    java.util.regex.Matcher url = null;
    for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); System.nanoTime() < deadline; ) {
      url = java.util.regex.Pattern.compile("metrics on (http\\S+)").matcher(Files.readString(serverLog));
      if (url.find()) {
        break;
      }
      url = null;
      server.process.waitFor(50, TimeUnit.MILLISECONDS);
    }
    assertThat(url).as("the server printed where its metrics are").isNotNull();
    String classes = Path.of(NatHttpGet.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
    NatLab.Run got = lab.exec(lab.server(), ServerProcess.java(), "-cp", classes, NatHttpGet.class.getName(), url.group(1));
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^p2pchat_relayed_bytes_total(?:\\{[^}]*\\})? ([0-9.eE+]+)")
        .matcher(got.output());
    assertThat(m.find()).as("p2pchat_relayed_bytes_total in:\n" + got.output()).isTrue();
    return (long) Double.parseDouble(m.group(1));
  }

  private record Pair(Driver caller, Driver callee) {}

  private Pair pair(NatLab lab, ServerProcess server, boolean callerDirect, boolean calleeDirect, long fileBytes)
      throws IOException {
    Driver caller = driver(lab, server, 0, "alice", "bob", "caller", callerDirect, fileBytes);
    Driver callee = driver(lab, server, 1, "bob", "alice", "callee", calleeDirect, fileBytes);
    return new Pair(caller, callee);
  }

  private Driver driver(NatLab lab, ServerProcess server, int network, String user, String peer, String role,
      boolean direct, long fileBytes) throws IOException {
    String classes = Path.of(NatPeerDriver.class.getProtectionDomain().getCodeSource().getLocation().getPath())
        .toString();
    List<String> args = new ArrayList<>(List.of(ServerProcess.java(), "-Dp2pchat.serverKey=" + server.key.base64(),
        "-cp", Jars.cliJar().toAbsolutePath() + ":" + classes, NatPeerDriver.class.getName(),
        NatLab.SERVER_ADDRESS, Integer.toString(server.port), user, peer, role, Boolean.toString(direct),
        Long.toString(fileBytes), dir.resolve("work").toString()));
    Path out = Files.createTempFile(dir, "driver-" + user, ".txt");
    Process p = lab.processBuilder(lab.host(network), args.toArray(new String[0])).redirectOutput(out.toFile()).start();
    return new Driver(p, out, role + " " + user);
  }

  /** A running {@link NatPeerDriver}. */
  private record Driver(Process process, Path output, String what) {
    /** Its last line once it exits; fails when it runs over {@code seconds} or exits non-zero. */
    String waitForOutcome(long seconds) throws Exception {
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(what + " still running after " + seconds + " s:\n" + tail());
      }
      String text = Files.readString(output).strip();
      assertThat(process.exitValue()).as(what + " printed:\n" + tail()).isZero();
      return text.substring(text.lastIndexOf('\n') + 1);
    }

    /** Waits until a line of its output satisfies {@code test}. */
    void awaitLine(java.util.function.Predicate<String> test, long seconds) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (System.nanoTime() < deadline) {
        if (Files.readAllLines(output).stream().anyMatch(test)) {
          return;
        }
        if (!process.isAlive()) {
          throw new AssertionError(what + " ended before the line came:\n" + tail());
        }
        process.waitFor(50, TimeUnit.MILLISECONDS);
      }
      throw new AssertionError(what + ": no such line in " + seconds + " s:\n" + tail());
    }

    private String tail() throws IOException {
      List<String> lines = Files.readAllLines(output);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
  }
}
