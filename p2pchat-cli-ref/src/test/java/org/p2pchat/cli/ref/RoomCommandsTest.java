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

/** {@code p2pchat room ...} against a real server over loopback UDP, human and {@code --json}. */
class RoomCommandsTest {
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
  void anOwnerCreatesARoomAddsAMemberAndBothTalkThere() {
    assertThat(run("alice", "room", "create", "the", "team")).isZero();
    assertThat(out.toString()).isEqualTo("created room 1 \"the team\" (1 member, owner alice)\n");
    assertThat(run("alice", "room", "add", "1", "bob")).isZero();
    assertThat(run("bob", "room", "send", "1", "hello", "team")).isZero();
    assertThat(out.toString()).isEqualTo("sent #1 to room 1\n");

    assertThat(run("alice", "room", "view", "--mark-read", "1")).isZero();
    assertThat(out.toString()).matches("#1 \\[.*\\] bob: hello team\n");
    assertThat(run("bob", "room", "view", "--json", "1")).isZero();
    assertThat(out.toString()).startsWith("{\"room\":1,\"messages\":[{\"room\":1,\"id\":1,\"from\":\"bob\","
        + "\"body\":\"hello team\",").contains("\"readCount\":1}],\"nextCursor\":null,\"ok\":true,\"command\":\"view\"}");
    assertThat(run("bob", "room", "list", "--json")).isZero();
    assertThat(out.toString()).isEqualTo("{\"rooms\":[{\"id\":1,\"title\":\"the team\",\"owner\":\"alice\",\"members\":2}],"
        + "\"ok\":true,\"command\":\"list\"}\n");
    assertThat(run("bob", "room", "members", "1")).isZero();
    assertThat(out.toString()).isEqualTo("alice (read up to #1)\nbob\n");
  }

  @Test
  void aNonMemberIsRefusedWithTheRoomErrorInJson() {
    assertThat(run("alice", "room", "create", "private")).isZero();

    assertThat(run("bob", "room", "send", "--json", "1", "let me in")).isEqualTo(ExitCodes.REFUSED);
    assertThat(out.toString()).isEqualTo("{\"ok\":false,\"command\":\"send\",\"error\":{\"message\":"
        + "\"cannot send to room 1: there is no such room, or you are not a member of it\",\"exitCode\":5,"
        + "\"code\":\"NO_SUCH_ROOM\",\"number\":20}}\n");
    assertThat(run("bob", "room", "leave", "1")).isEqualTo(ExitCodes.REFUSED);
    assertThat(err.toString()).isEqualTo("p2pchat: cannot leave room 1: there is no such room, or you are not a member of it\n");
  }
}
