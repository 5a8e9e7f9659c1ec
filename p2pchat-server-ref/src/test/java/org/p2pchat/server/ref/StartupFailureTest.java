package org.p2pchat.server.ref;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.protocol.secure.ServerKeyPair;

/** A start that fails says why in one line, exits non-zero, and leaves the disk as it found it. */
class StartupFailureTest {
  @TempDir Path dir;

  private CommandRun command = new CommandRun(ServerFactory.ENGINE, Map.of());

  /** Where each test's server keeps its data: a directory that does not exist yet. */
  private Path db() {
    return dir.resolve("data").resolve("chat.db");
  }

  private String err() {
    return command.err.toString();
  }

  /** Every path under {@link #dir}, relative, sorted. */
  private List<String> filesLeft() throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted().collect(Collectors.toList());
    }
  }

  @Test
  void aPortInUseIsOneClearLineExitsOneAndCreatesNothing() throws Exception {
    try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      int status = command.run("--bind", "127.0.0.1", "--port", Integer.toString(taken.getLocalPort()),
          "--db", db().toString());

      assertThat(status).isEqualTo(1);
      assertThat(err().lines()).containsExactly("p2pchat-server: cannot listen on udp 127.0.0.1:"
          + taken.getLocalPort() + ": the port is already in use (another server running?)");
    }
    assertThat(filesLeft()).isEmpty();
  }

  @Test
  void anAddressThisMachineDoesNotHaveIsOneClearLineAndCreatesNothing() throws Exception {
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): no machine has it, and binding it sends nothing.
    int status = command.run("--bind", "192.0.2.1", "--port", "0", "--db", db().toString());

    assertThat(status).isEqualTo(1);
    assertThat(err().lines()).containsExactly("p2pchat-server: cannot listen on udp 192.0.2.1:0: "
        + "192.0.2.1 is not an address of this machine (--bind * listens on all of them)");
    assertThat(filesLeft()).isEmpty();
  }

  @Test
  void aBadOptionCreatesNothing() throws Exception {
    assertThat(command.run("--bind", "127.0.0.1", "--port", "0", "--max-sessions", "0", "--db", db().toString()))
        .isEqualTo(2);
    assertThat(command.run("--bind", "127.0.0.1", "--prot", "0", "--db", db().toString())).isEqualTo(2);
    assertThat(command.run("--plaintext", "--bind", "*", "--port", "0", "--db", db().toString())).isEqualTo(2);
    assertThat(err().lines()).hasSize(3);
    assertThat(filesLeft()).isEmpty();
  }

  @Test
  void aDatabasePathThatCannotBeCreatedIsOneClearLineAndCreatesNothing() throws Exception {
    Path blocker = Files.createFile(dir.resolve("not-a-directory"));

    int status = command.run("--bind", "127.0.0.1", "--port", "0",
        "--db", blocker.resolve("deeper").resolve("p2pchat.db").toString());

    assertThat(status).isEqualTo(1);
    assertThat(err().lines()).containsExactly("p2pchat-server: cannot create the data directory "
        + blocker + ": a file of that name is in the way");
    assertThat(filesLeft()).containsExactly("not-a-directory");
  }

  @Test
  void aDatabasePathThatIsADirectoryIsOneClearLineAndCreatesNoKey() throws Exception {
    Path db = Files.createDirectories(db());

    assertThat(command.run("--port", "0", "--bind", "127.0.0.1", "--db", db.toString())).isEqualTo(1);
    assertThat(err().lines()).containsExactly("p2pchat-server: the database path " + db + " is a directory, not a file");
    assertThat(filesLeft()).containsExactly("data", "data/chat.db");
  }

  @Test
  void aCorruptDatabaseIsRefusedWithoutCreatingAKeyOrSqliteFilesBesideIt() throws Exception {
    Files.createDirectories(db().getParent());
    Files.writeString(db(), "this is not a database, and it is long enough to have a header. ".repeat(100));

    assertThat(command.run("--bind", "127.0.0.1", "--port", "0", "--db", db().toString())).isEqualTo(1);

    assertThat(err()).startsWith("p2pchat-server: ").contains(db().toString()).hasLineCount(1);
    assertThat(filesLeft()).containsExactly("data", "data/chat.db");
  }

  @Test
  void aKeyFileThatOthersCanReadIsRefusedAsSshDoesNamingItsModeAndTheFixAndCreatesNoDatabase() throws Exception {
    Path keyFile = db().resolveSibling("server.key");
    Files.createDirectories(keyFile.getParent());
    ServerKeyPair.generate().store(keyFile);
    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));

    assertThat(command.run("--bind", "127.0.0.1", "--port", "0", "--db", db().toString())).isEqualTo(1);

    assertThat(err().lines()).containsExactly("p2pchat-server: the key file " + keyFile
        + " has mode 0644 (rw-r--r--): a private key must be readable by its owner only; fix it with: chmod 600 "
        + keyFile);
    assertThat(filesLeft()).containsExactly("data", "data/server.key");
  }

  @Test
  void aKeyFileThatHoldsNoKeyIsRefusedAndCreatesNoDatabase() throws Exception {
    Path keyFile = Files.createDirectories(dir.resolve("keys")).resolve("server.key");
    Files.writeString(keyFile, "not a key\n");
    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));

    assertThat(command.run("--bind", "127.0.0.1", "--port", "0", "--db", db().toString(),
        "--key-file", keyFile.toString())).isEqualTo(1);

    assertThat(err().lines()).containsExactly("p2pchat-server: the key file " + keyFile
        + " does not hold a server key (32 bytes in base64)");
    assertThat(filesLeft()).containsExactly("keys", "keys/server.key");
  }

  @Test
  void aKeyFileInADirectoryThatDoesNotExistIsRefusedAndCreatesNoDatabase() throws Exception {
    Path keyFile = dir.resolve("no-such-dir").resolve("server.key");

    assertThat(command.run("--bind", "127.0.0.1", "--port", "0", "--db", db().toString(),
        "--key-file", keyFile.toString())).isEqualTo(1);

    assertThat(err().lines()).containsExactly("p2pchat-server: cannot create the key file " + keyFile
        + ": its directory " + keyFile.getParent() + " does not exist");
    assertThat(filesLeft()).isEmpty();
  }

  @Test
  void anEngineThatFailsToStartLeavesNoDataDirectoryDatabaseOrKeyBehind() throws Exception {
    FakeServerFactory factory = new FakeServerFactory(new IOException("the engine is out of order"));
    command = new CommandRun(factory, Map.of());

    assertThat(command.run("--bind", "127.0.0.1", "--port", "0", "--db", db().toString())).isEqualTo(1);

    assertThat(err().lines()).containsExactly("p2pchat-server: cannot start the server on udp 127.0.0.1:"
        + FakeServerFactory.PORT + ": the engine is out of order");
    assertThat(factory.events).startsWith("bound").contains("socket closed").doesNotContain("started");
    assertThat(factory.storeUsable()).as("the store was closed").isFalse();
    assertThat(filesLeft()).isEmpty();
  }

  @Test
  void aFailedStartRemovesOnlyWhatItCreatedNeverAnEarlierRunsDatabase() throws Exception {
    // An earlier run in plaintext made the database, and no key.
    command = new CommandRun(new FakeServerFactory(), Map.of());
    assertThat(command.startAndStop("--plaintext", "--bind", "127.0.0.1", "--port", "0", "--db", db().toString()))
        .isZero();
    List<String> before = filesLeft();
    assertThat(before).contains("data/chat.db").doesNotContain("data/server.key");

    command = new CommandRun(new FakeServerFactory(new IOException("the engine is out of order")), Map.of());
    assertThat(command.run("--bind", "127.0.0.1", "--port", "0", "--db", db().toString())).isEqualTo(1);

    assertThat(filesLeft()).isEqualTo(before);
  }

  @Test
  void aMetricsPortInUseIsOneClearLineAndCreatesNothing() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThat(command.run("--bind", "127.0.0.1", "--port", "0", "--db", db().toString(),
          "--metrics", "127.0.0.1:" + taken.getLocalPort())).isEqualTo(1);

      assertThat(err().lines()).containsExactly("p2pchat-server: cannot serve metrics on http 127.0.0.1:"
          + taken.getLocalPort() + ": the port is already in use");
    }
    assertThat(filesLeft()).isEmpty();
  }

  @Test
  void aBadConfigFileCreatesNothing() throws Exception {
    Path config = dir.resolve("server.properties");
    Files.writeString(config, "prot = 7777\n");

    assertThat(command.run("--config", config.toString(), "--db", db().toString())).isEqualTo(2);

    assertThat(err()).contains("unknown key 'prot'");
    assertThat(filesLeft()).containsExactly("server.properties");
  }
}
