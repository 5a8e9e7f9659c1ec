package org.p2pchat.cli.ref;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.UserName;
import org.p2pchat.api.server.ChatServer;
import org.p2pchat.protocol.ChatClients;
import org.p2pchat.protocol.ChatServers;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.testing.InMemoryChatStore;
import picocli.CommandLine;

/** {@code p2pchat contact ...} against a real server over loopback UDP, human and {@code --json}. */
class ContactCommandsTest {
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
  void aUserAddsContactsBlocksAndTheBlockedSendIsRefused() {
    assertThat(run("alice", "contact", "add", "bob")).isZero();
    assertThat(out.toString()).isEqualTo("added bob to your contacts\n");
    assertThat(run("alice", "contact", "list", "--json")).isZero();
    assertThat(out.toString()).isEqualTo("{\"contacts\":[{\"name\":\"bob\",\"presence\":\"UNKNOWN\",\"lastSeen\":null}],"
        + "\"ok\":true,\"command\":\"list\"}\n");
    assertThat(run("alice", "contact", "block", "bob")).isZero();
    assertThat(out.toString()).isEqualTo("blocked bob\n");
    assertThat(run("alice", "contact", "blocked", "--json")).isZero();
    assertThat(out.toString()).isEqualTo("{\"blocked\":[\"bob\"],\"ok\":true,\"command\":\"blocked\"}\n");

    assertThat(run("bob", "send", "--json", "alice", "hi")).isEqualTo(ExitCodes.REFUSED);
    assertThat(out.toString()).contains("\"code\":\"BLOCKED\",\"number\":24");
    assertThat(run("alice", "contact", "unblock", "--json", "bob")).isZero();
    assertThat(out.toString()).isEqualTo("{\"user\":\"bob\",\"done\":\"unblock\",\"ok\":true,\"command\":\"unblock\"}\n");
    assertThat(run("bob", "send", "alice", "hi")).isZero();
  }

  @Test
  void aUserHidesAndShowsTheirPresenceAndAHiddenContactIsListedOffline() {
    assertThat(run("alice", "contact", "add", "bob")).isZero();
    assertThat(run("bob", "contact", "add", "alice")).isZero();
    assertThat(run("bob", "contact", "hide")).isZero();
    assertThat(out.toString()).isEqualTo("your presence is hidden: your contacts see you offline\n");
    assertThat(run("alice", "contact", "list", "--json")).isZero();
    assertThat(out.toString()).startsWith("{\"contacts\":[{\"name\":\"bob\",\"presence\":\"OFFLINE\"");
    assertThat(run("bob", "contact", "show", "--json")).isZero();
    assertThat(out.toString()).isEqualTo("{\"presence\":\"shown\",\"done\":\"show\",\"ok\":true,\"command\":\"show\"}\n");
    assertThat(run("bob", "contact", "hide", "alice")).isEqualTo(ExitCodes.USAGE);
    assertThat(run("bob", "contact", "add")).isEqualTo(ExitCodes.USAGE);
  }
}
