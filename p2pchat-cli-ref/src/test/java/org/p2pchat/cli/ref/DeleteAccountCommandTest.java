package org.p2pchat.cli.ref;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.UserName;
import org.p2pchat.api.server.ChatServer;
import org.p2pchat.api.store.NewMessage;
import org.p2pchat.protocol.ChatClients;
import org.p2pchat.protocol.ChatServers;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.testing.InMemoryChatStore;
import picocli.CommandLine;

/** {@code p2pchat delete-account} against a real server over loopback UDP. */
class DeleteAccountCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final InMemoryChatStore store = new InMemoryChatStore();
  private final Map<String, String> env = new HashMap<>();
  private ChatServer server;
  private StringWriter out;
  private StringWriter err;

  @BeforeEach
  void start() throws Exception {
    server = ChatServers.builder().store(store).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .config(ServerConfig.builder().argon2MemoryKib(64).argon2Iterations(1).build()).build();
    for (String user : new String[] {"alice", "bob"}) {
      try (var c = ChatClients.builder().server(server.localAddress()).serverKey(server.publicKey().orElseThrow()).build()) {
        c.register(UserName.of(user), user + "-password").get();
      }
    }
    store.append(List.of(NewMessage.of(UserName.of("alice"), UserName.of("bob"), "hello bob", Instant.EPOCH))).get();
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  private int run(String user, String password, String... args) {
    env.put("P2PCHAT_USER", user);
    env.put("P2PCHAT_PASSWORD", password);
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
  void withoutYesNothingIsDeleted() {
    assertThat(run("alice", "alice-password", "delete-account")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("nothing deleted: add --yes");

    assertThat(run("alice", "alice-password", "view", "--peer", "bob")).as("alice still logs in and reads").isZero();
    assertThat(out.toString()).contains("hello bob");
  }

  @Test
  void aWrongPasswordDeletesNothing() {
    assertThat(run("alice", "wrong-password", "delete-account", "--yes")).isEqualTo(ExitCodes.LOGIN_FAILED);

    assertThat(run("alice", "alice-password", "view", "--peer", "bob")).isZero();
    assertThat(out.toString()).contains("hello bob");
  }

  @Test
  void withYesTheAccountAndItsMessagesAreGoneAndJsonSaysSo() throws Exception {
    assertThat(run("alice", "alice-password", "delete-account", "--yes", "--json")).isZero();
    JsonNode answer = JSON.readTree(out.toString());
    assertThat(answer.get("ok").asBoolean()).isTrue();
    assertThat(answer.get("command").asText()).isEqualTo("delete-account");
    assertThat(answer.get("user").asText()).isEqualTo("alice");

    assertThat(run("alice", "alice-password", "view", "--peer", "bob")).as("the password no longer logs in")
        .isEqualTo(ExitCodes.LOGIN_FAILED);
    assertThat(run("bob", "bob-password", "view")).as("bob reads his history, without alice's message").isZero();
    assertThat(out.toString()).doesNotContain("hello bob");
  }
}
