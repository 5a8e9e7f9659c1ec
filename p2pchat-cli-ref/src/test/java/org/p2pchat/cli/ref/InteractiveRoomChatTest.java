package org.p2pchat.cli.ref;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.server.ChatServer;
import org.p2pchat.protocol.ChatClients;
import org.p2pchat.protocol.ChatServers;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.testing.InMemoryChatStore;

/** {@code /room}, {@code /contact} and {@code /export} in the interactive chat, against a real server over loopback UDP. */
class InteractiveRoomChatTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final InMemoryChatStore store = new InMemoryChatStore();
  private final Keyboard keyboard = new Keyboard();
  private final TextSink screen = new TextSink();
  private ChatServer server;
  private Terminal terminal;
  private CompletableFuture<Integer> chat;
  private ChatClient bob;

  @org.junit.jupiter.api.io.TempDir
  java.nio.file.Path dir;

  @AfterEach
  void stop() throws Exception {
    if (chat != null && !chat.isDone()) {
      keyboard.type("/quit\n");
      chat.get(10, TimeUnit.SECONDS);
    }
    if (terminal != null) {
      terminal.close();
    }
    if (bob != null) {
      bob.close();
    }
    server.close();
  }

  /** The interactive chat on a terminal the test types into and reads, against {@link #server}. */
  private void startChat() throws Exception {
    terminal = TerminalBuilder.builder().system(false).streams(keyboard, screen).type("xterm")
        .size(new Size(160, 40)).build();
    Attributes attributes = terminal.getAttributes();
    attributes.setControlChar(Attributes.ControlChar.VEOF, 4); // Ctrl-D
    terminal.setAttributes(attributes);
    ClientFactory clients = (address, listener) -> ChatClients.builder().server(server.localAddress())
        .serverKey(server.publicKey().orElseThrow()).listener(listener).build();
    InteractiveChat interactive = new InteractiveChat(terminal, clients, server.localAddress(),
        new MessageFormatter(ZoneOffset.UTC));
    chat = CompletableFuture.supplyAsync(interactive::run);
  }

  private ChatClient client() throws Exception {
    return ChatClients.builder().server(server.localAddress()).serverKey(server.publicKey().orElseThrow()).build();
  }

  @Test
  void aRoomIsCreatedJoinedAndItsMessagesAppearLive() throws Exception {
    server = ChatServers.builder().store(store).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .config(ServerConfig.builder().argon2MemoryKib(64).argon2Iterations(1).build()).build();
    bob = client();
    bob.register(UserName.of("alice"), "alice-password").get();
    bob.register(UserName.of("bob"), "bob-password").get();
    bob.login(UserName.of("bob"), "bob-password").get();
    startChat();
    screen.await("p2pchat> ", WAIT);
    keyboard.type("/login alice\n");
    screen.await("password for alice: ", WAIT);
    keyboard.type("alice-password\n");
    screen.await("logged in as alice", WAIT);

    keyboard.type("/room create team\n");
    screen.await("created room 1 \"team\" (1 member, owner alice)", WAIT);
    keyboard.type("/room add 1 bob\n");
    screen.await("added bob to room 1", WAIT);
    bob.rooms().send(1, "hi alice").get();
    screen.await("room 1 bob: hi alice", WAIT);
    keyboard.type("/room say 1 hi bob\n");
    screen.await("room 1 alice: hi bob", WAIT);
    keyboard.type("/room members 1\n");
    screen.await("bob", WAIT);
    keyboard.type("/room leave 7\n");
    screen.await("cannot leave room 7: there is no such room, or you are not a member of it", WAIT);
    keyboard.type("/contact block bob\n");
    screen.await("blocked bob", WAIT);
    keyboard.type("/contact blocked\n");
    screen.await("bob (blocked)", WAIT);
    java.nio.file.Path export = dir.resolve("alice.json");
    keyboard.type("/export " + export + "\n");
    screen.await("exported 0 messages, 1 rooms with 2 messages, 0 contacts and 1 blocked users to " + export, WAIT);
    assertThat(java.nio.file.Files.readString(export)).contains("\"body\":\"hi alice\"").contains("\"blocks\":[\"bob\"]");
    keyboard.type("/export " + export + "\n");
    screen.await(export + " exists: an export never overwrites a file", WAIT);
    keyboard.type("/quit\n");
    assertThat(chat.get(10, TimeUnit.SECONDS)).isZero();
    assertThat(bob.send(UserName.of("alice"), "hi").handle((m, e) -> e).get()).hasMessageContaining("does not accept messages");
  }

  @Test
  void aContactComingOnlineAndGoingOfflineShowsAsAQuietLineAndPresenceCanBeHidden() throws Exception {
    server = ChatServers.builder().store(store).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .config(ServerConfig.builder().argon2MemoryKib(64).argon2Iterations(1).presenceInterval(Duration.ofMillis(50))
            .build()).build();
    bob = client();
    bob.register(UserName.of("alice"), "alice-password").get();
    bob.register(UserName.of("bob"), "bob-password").get();
    bob.login(UserName.of("bob"), "bob-password").get();
    bob.contacts().add(UserName.of("alice")).get();
    startChat();
    screen.await("p2pchat> ", WAIT);
    keyboard.type("/login alice\n");
    screen.await("password for alice: ", WAIT);
    keyboard.type("alice-password\n");
    screen.await("logged in as alice", WAIT);
    keyboard.type("/contact add bob\n");
    screen.await("added bob", WAIT);

    bob.logout().get();
    screen.await("(bob went offline, last seen ", WAIT);
    bob.login(UserName.of("bob"), "bob-password").get();
    screen.await("(bob is online)", WAIT);
    keyboard.type("/contact hide\n");
    screen.await("your presence is hidden: your contacts see you offline", WAIT);
    assertThat(bob.contacts().list().get().get(0).presence()).isEqualTo(org.p2pchat.api.Contact.Presence.OFFLINE);
    keyboard.type("/contact show\n");
    screen.await("your presence is shown to your contacts", WAIT);
    assertThat(bob.contacts().list().get().get(0).presence()).isEqualTo(org.p2pchat.api.Contact.Presence.ONLINE);
  }

  @Test
  void deleteAccountAsksTheNameThenThePasswordAndASlipDeletesNothing() throws Exception {
    server = ChatServers.builder().store(store).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .config(ServerConfig.builder().argon2MemoryKib(64).argon2Iterations(1).build()).build();
    bob = client();
    bob.register(UserName.of("alice"), "alice-password").get();
    startChat();
    screen.await("p2pchat> ", WAIT);
    keyboard.type("/login alice\n");
    screen.await("password for alice: ", WAIT);
    keyboard.type("alice-password\n");
    screen.await("logged in as alice", WAIT);

    keyboard.type("/delete-account\n");
    screen.await("type your user name to confirm: ", WAIT);
    keyboard.type("bob\n");
    screen.await("not deleted: that is not alice", WAIT);
    keyboard.type("/delete-account\n");
    screen.await("type your user name to confirm: ", WAIT);
    keyboard.type("alice\n");
    screen.await("password for alice: ", WAIT);
    keyboard.type("wrong-password\n");
    screen.await("cannot delete the account alice", WAIT);
    keyboard.type("/delete-account\n");
    screen.await("type your user name to confirm: ", WAIT);
    keyboard.type("alice\n");
    screen.await("password for alice: ", WAIT);
    keyboard.type("alice-password\n");
    screen.await("deleted the account alice", WAIT);

    try (ChatClient again = client()) {
      assertThat(again.login(UserName.of("alice"), "alice-password").handle((v, e) -> e).get())
          .as("the account is gone").isNotNull();
    }
    assertThat(screen.text()).doesNotContain("alice-password").doesNotContain("wrong-password");
  }
}
