package org.p2pchat.cli.ref;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jars start, answer --help and --version, and fail in one line, never a stack trace. */
class ServerJarIT {
  @TempDir Path dir;

  @Test
  void bothJarsRunFromTheirManifestAndPrintTheirVersion() throws Exception {
    Jars.Result server = Jars.run(Jars.serverJar(), dir, Map.of(), "--version");
    assertThat(server.exitCode).as(server.toString()).isZero();
    assertThat(server.out).startsWith("p2pchat-server ");

    Jars.Result cli = Jars.cli(dir, Map.of(), "--version");
    assertThat(cli.exitCode).as(cli.toString()).isZero();
    assertThat(cli.out).startsWith("p2pchat ");
  }

  @Test
  void aBadServerOptionIsOneLineOnStderrAndExitTwo() throws Exception {
    Jars.Result r = Jars.run(Jars.serverJar(), dir, Map.of(), "--port", "http");
    assertThat(r.exitCode).isEqualTo(2);
    assertThat(r.err).isEqualTo("p2pchat-server: Invalid value for option '--port': 'http' is not an int (see --help)\n");
    assertThat(r.out).isEmpty();
  }

  @Test
  void aPortInUseIsOneLineOnStderrAndANonZeroExit() throws Exception {
    try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      Jars.Result r = Jars.run(Jars.serverJar(), dir, Map.of("P2PCHAT_DB", dir.resolve("p2pchat.db").toString()),
          "--bind", "127.0.0.1", "--port", Integer.toString(taken.getLocalPort()));
      assertThat(r.exitCode).as(r.toString()).isEqualTo(1);
      assertThat(r.err).isEqualTo("p2pchat-server: cannot listen on udp 127.0.0.1:" + taken.getLocalPort()
          + ": the port is already in use (another server running?)\n");
    }
  }

  @Test
  void anUnusableDatabasePathIsOneLineOnStderrAndANonZeroExit() throws Exception {
    Path blocker = Files.createFile(dir.resolve("a-file"));
    Jars.Result r = Jars.run(Jars.serverJar(), dir, Map.of(), "--bind", "127.0.0.1", "--port", "0",
        "--db", blocker.resolve("p2pchat.db").toString());
    assertThat(r.exitCode).as(r.toString()).isEqualTo(1);
    assertThat(r.err).isEqualTo("p2pchat-server: cannot create the data directory " + blocker
        + ": a file of that name is in the way\n");
  }

  @Test
  void theCliRefusesAMissingPasswordInOneLine() throws Exception {
    Jars.Result r = Jars.cli(dir, Map.of("P2PCHAT_USER", "alice"), "send", "bob", "hi");
    assertThat(r.exitCode).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err).isEqualTo(
        "p2pchat: no password: use --password-file, set P2PCHAT_PASSWORD, or run in a terminal to be asked\n");
  }
}
