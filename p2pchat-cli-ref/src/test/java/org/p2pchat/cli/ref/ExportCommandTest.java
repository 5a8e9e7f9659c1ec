package org.p2pchat.cli.ref;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.UserName;
import org.p2pchat.api.server.ChatServer;
import org.p2pchat.api.store.NewMessage;
import org.p2pchat.protocol.ChatClients;
import org.p2pchat.protocol.ChatServers;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.testing.InMemoryChatStore;
import picocli.CommandLine;

/** {@code p2pchat export} against a real server over loopback UDP: to a file, to stdout, failures. */
class ExportCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final InMemoryChatStore store = new InMemoryChatStore();
  private final Map<String, String> env = new HashMap<>();
  private ChatServer server;
  private StringWriter out;
  private StringWriter err;

  @TempDir
  Path dir;

  @BeforeEach
  void start() throws Exception {
    server = ChatServers.builder().store(store).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .config(ServerConfig.builder().argon2MemoryKib(64).argon2Iterations(1).build()).build();
    for (String user : new String[] {"alice", "bob"}) {
      try (var c = ChatClients.builder().server(server.localAddress()).serverKey(server.publicKey().orElseThrow()).build()) {
        c.register(UserName.of(user), user + "-password").get();
      }
    }
    List<NewMessage> messages = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      messages.add(i % 2 == 0
          ? NewMessage.of(UserName.of("alice"), UserName.of("bob"), "to bob " + i, Instant.EPOCH.plusSeconds(i))
          : NewMessage.of(UserName.of("bob"), UserName.of("alice"), "to alice " + i, Instant.EPOCH.plusSeconds(i)));
    }
    store.append(messages).get();
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  private int run(String user, String... args) {
    env.put("P2PCHAT_USER", user);
    env.put("P2PCHAT_PASSWORD", user + "-password");
    out = new StringWriter();
    err = new StringWriter();
    ClientFactory clients = (address, listener) -> ChatClients.builder().server(server.localAddress())
        .serverKey(server.publicKey().orElseThrow()).listener(listener).build();
    CliContext ctx = new CliContext(env, clients, p -> null, () -> {
      throw new AssertionError("no terminal in scripts");
    }, ZoneOffset.UTC);
    CommandLine cl = CliMain.commandLine(ctx);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void exportWritesAnOwnerOnlyFileAndSaysWhatItHoldsInJson() throws Exception {
    Path file = dir.resolve("alice.json");
    assertThat(run("alice", "export", "--out", file.toString(), "--json")).isZero();

    JsonNode summary = JSON.readTree(out.toString());
    assertThat(summary.get("ok").asBoolean()).isTrue();
    assertThat(summary.get("command").asText()).isEqualTo("export");
    assertThat(summary.get("messages").asLong()).isEqualTo(250);
    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    JsonNode doc = JSON.readTree(file.toFile());
    assertThat(doc.at("/account/name").asText()).isEqualTo("alice");
    assertThat(doc.get("messages").size()).isEqualTo(250);
    assertThat(doc.get("messages").get(249).get("body").asText()).isEqualTo("to alice 249");

    assertThat(run("alice", "export", "--out", file.toString())).as("never overwritten").isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("cannot export the data of alice").contains("alice.json");
  }

  @Test
  void withoutOutTheExportGoesToStdoutAndAWrongPasswordFailsAsALogin() throws Exception {
    assertThat(run("bob", "export")).isZero();
    JsonNode doc = JSON.readTree(out.toString());
    assertThat(doc.at("/account/name").asText()).isEqualTo("bob");
    assertThat(doc.at("/counts/messages").asLong()).isEqualTo(250);

    assertThat(run("bob", "export", "--json")).isEqualTo(ExitCodes.USAGE);
    env.put("P2PCHAT_USER", "bob");
    CommandLine cl = null;
    out = new StringWriter();
    env.put("P2PCHAT_PASSWORD", "wrong-password");
    ClientFactory clients = (address, listener) -> ChatClients.builder().server(server.localAddress())
        .serverKey(server.publicKey().orElseThrow()).listener(listener).build();
    cl = CliMain.commandLine(new CliContext(env, clients, p -> null, () -> {
      throw new AssertionError("no terminal in scripts");
    }, ZoneOffset.UTC));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(new StringWriter(), true));
    assertThat(cl.execute("export", "--out", dir.resolve("bob.json").toString())).isEqualTo(ExitCodes.LOGIN_FAILED);
    assertThat(Files.exists(dir.resolve("bob.json"))).isFalse();
  }
}
