package org.p2pchat.cli.ref;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.cli.ref.NatLab.Nat;

/**
 * A measurement, not a test of the build (its name matches neither surefire's nor failsafe's
 * patterns): the file transfer rate between two hosts behind two home routers, p2pchat direct
 * and relayed, beside the plain copy of {@link NatPlainCopy} over the same NATs, in alternating
 * rounds so that the ratios hold on a shared machine. docs/benchmarks.md records the results.
 *
 * <p>{@code mvn -o -pl p2pchat-cli-ref -am verify -Dit.test=NatFileRates -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false
 * -Djapicmp.skip=true -Dp2pchat.rates.mb=64 -Dp2pchat.rates.rounds=3}
 */
class NatFileRates {
  private static final long BYTES = Long.getLong("p2pchat.rates.mb", 64) * 1024 * 1024;
  private static final int ROUNDS = Integer.getInteger("p2pchat.rates.rounds", 3);
  private static final Pattern RATE = Pattern.compile("([0-9.]+) MB/s");

  @TempDir Path dir;

  @Test
  void measure() throws Exception {
    List<String> rows = new ArrayList<>();
    try (NatLab lab = NatLab.builder().network(Nat.HOME_ROUTER).network(Nat.HOME_ROUTER).build();
        ServerProcess server = ServerProcess.start(lab.prefix(lab.server()), dir.resolve("server.log"),
            "--bind", "0.0.0.0", "--port", "0", "--db", dir.resolve("rates.db").toString(),
            "--relay-rate-per-user", "1GiB", "--relay-rate-total", "1GiB")) {
      for (int round = 1; round <= ROUNDS; round++) {
        rows.add(round + " plain   " + plain(lab, 45_000 + round));
        rows.add(round + " direct  " + p2p(lab, server, round, true));
        rows.add(round + " relayed " + p2p(lab, server, round, false));
      }
    }
    System.out.println("file rates, " + BYTES + " bytes, two home routers:");
    rows.forEach(System.out::println);
  }

  private String plain(NatLab lab, int port) throws Exception {
    String classes = Path.of(NatPlainCopy.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
    Process receiver = lab.processBuilder(lab.host(1), ServerProcess.java(), "-cp", classes, NatPlainCopy.class.getName(),
        "receive", Integer.toString(port), lab.publicAddress(0).getHostAddress(), Integer.toString(port),
        Long.toString(BYTES)).start();
    Process sender = lab.processBuilder(lab.host(0), ServerProcess.java(), "-cp", classes, NatPlainCopy.class.getName(),
        "send", Integer.toString(port), lab.publicAddress(1).getHostAddress(), Integer.toString(port),
        Long.toString(BYTES)).start();
    String out = new String(sender.getInputStream().readAllBytes()).strip();
    assertThat(sender.waitFor(300, TimeUnit.SECONDS)).isTrue();
    receiver.waitFor(30, TimeUnit.SECONDS);
    receiver.destroyForcibly();
    return rate(out) + "   " + out;
  }

  private String p2p(NatLab lab, ServerProcess server, int round, boolean calleeDirect) throws Exception {
    String classes = Path.of(NatPeerDriver.class.getProtectionDomain().getCodeSource().getLocation().getPath())
        .toString();
    List<Process> ps = new ArrayList<>();
    List<Path> outs = new ArrayList<>();
    String[][] sides = {{"alice" + round, "bob" + round, "caller", "true"},
        {"bob" + round, "alice" + round, "callee", Boolean.toString(calleeDirect)}};
    for (int n = 0; n < 2; n++) {
      Path out = Files.createTempFile(dir, "rate", ".txt");
      outs.add(out);
      ps.add(lab.processBuilder(lab.host(n), ServerProcess.java(), "-Dp2pchat.serverKey=" + server.key.base64(),
          "-cp", Jars.cliJar().toAbsolutePath() + ":" + classes, NatPeerDriver.class.getName(),
          NatLab.SERVER_ADDRESS, Integer.toString(server.port), sides[n][0], sides[n][1], sides[n][2], sides[n][3],
          Long.toString(BYTES), dir.resolve("work").toString()).redirectOutput(out.toFile()).start());
    }
    for (Process p : ps) {
      assertThat(p.waitFor(600, TimeUnit.SECONDS)).isTrue();
    }
    String text = Files.readString(outs.get(0)).strip();
    String last = text.substring(text.lastIndexOf('\n') + 1);
    return rate(last) + "   " + last;
  }

  private static String rate(String line) {
    Matcher m = RATE.matcher(line);
    return m.find() ? String.format("%8s MB/s", m.group(1)) : "   (none)";
  }
}
