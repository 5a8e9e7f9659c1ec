package org.p2pchat.cli.ref;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.client.ConnectionState;

class InteractiveChatTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final FakeChatServer server = new FakeChatServer();
  private final Keyboard keyboard = new Keyboard();
  private final TextSink screen = new TextSink();
  private Terminal terminal;
  private CompletableFuture<Integer> chat;

  @BeforeEach
  void startChat() throws Exception {
    server.addUser("alice", "alice-password");
    server.addUser("bob", "bob-password");
    terminal = TerminalBuilder.builder()
        .system(false)
        .streams(keyboard, screen)
        .type("xterm")
        .size(new Size(160, 40))
        .build();
    // What a real terminal's line discipline has: Ctrl-D means end of input, Ctrl-C interrupts.
    Attributes attributes = terminal.getAttributes();
    attributes.setControlChar(Attributes.ControlChar.VEOF, 4);
    attributes.setControlChar(Attributes.ControlChar.VINTR, 3);
    attributes.setLocalFlag(Attributes.LocalFlag.ISIG, true);
    terminal.setAttributes(attributes);
    InteractiveChat interactive = new InteractiveChat(terminal, server,
        new InetSocketAddress("127.0.0.1", 7777),
        new MessageFormatter(Clock.fixed(FakeChatServer.NOW, ZoneOffset.UTC), true));
    chat = CompletableFuture.supplyAsync(interactive::run);
    screen.await("p2pchat> ", WAIT);
  }

  @AfterEach
  void stop() throws Exception {
    if (!chat.isDone()) {
      keyboard.type("/quit\n");
      chat.get(10, TimeUnit.SECONDS);
    }
    terminal.close();
    server.close();
  }

  private void logInAsAlice() throws Exception {
    keyboard.type("/login alice\n");
    screen.await("password for alice: ", WAIT);
    keyboard.type("alice-password\n");
    screen.await("logged in as alice", WAIT);
  }

  @Test
  void logInSendReceiveLiveViewAndLogOut() throws Exception {
    logInAsAlice();

    keyboard.type("/to bob\n");
    screen.await("talking to bob", WAIT);
    keyboard.type("hello bob\n");
    screen.await("[10:15] me -> bob: hello bob", WAIT);
    screen.await("\u2713 stored", WAIT);
    assertThat(server.messages("bob")).extracting(ChatMessage::body).containsExactly("hello bob");

    ChatMessage reply = server.deliver("bob", "alice", "hi alice, how are you?");
    screen.await("[10:15] bob: hi alice, how are you?", WAIT);

    keyboard.type("/view\n");
    screen.await("#1 [2026-11-25 10:15] alice -> bob: hello bob (stored)", WAIT);
    screen.await("#2 [2026-11-25 10:15] bob -> alice: hi alice, how are you?", WAIT);

    keyboard.type("/logout\n");
    screen.await("logged out alice", WAIT);
    screen.await("p2pchat> ", WAIT);
    keyboard.type("/quit\n");

    assertThat(chat.get(10, TimeUnit.SECONDS)).isZero();
    assertThat(server.markedRead).as("the live message was shown, so it is read").contains(reply.id());
    assertThat(screen.text()).as("the password is never echoed").doesNotContain("alice-password");
  }

  @Test
  void aLiveMessageAppearsWhileALineIsBeingTypedAndTheLineSurvives() throws Exception {
    logInAsAlice();
    keyboard.type("/to bob\n");
    screen.await("talking to bob", WAIT);

    keyboard.type("half a th");
    screen.await("half a th", WAIT);
    server.deliver("bob", "alice", "interrupting!");
    screen.await("bob: interrupting!", WAIT);
    keyboard.type("ought\n");

    screen.await("me -> bob: half a thought", WAIT);
  }

  @Test
  void aSentMessageShowsWhenItIsRead() throws Exception {
    logInAsAlice();
    keyboard.type("/msg bob are you there?\n");
    screen.await("me -> bob: are you there?", WAIT);
    screen.await("\u2713 stored", WAIT); // sends do not hold the prompt: wait for the answer
    ChatMessage sent = server.messages("alice").get(0);

    // bob reads it from another client
    var bob = server.open(new InetSocketAddress(7777), m -> { });
    bob.login(org.p2pchat.api.UserName.of("bob"), "bob-password").get(5, TimeUnit.SECONDS);
    bob.markRead(java.util.List.of(sent.id())).get(5, TimeUnit.SECONDS);

    screen.await("\u2713\u2713 read", WAIT);
    assertThat(server.messages("alice").get(0).state()).isEqualTo(DeliveryState.READ);
  }

  @Test
  void aSentMessageIsOneLineWhoseMarkMovesOnAndSaysWhenTheRecipientIsOffline() throws Exception {
    logInAsAlice();
    keyboard.type("/to bob\n");
    screen.await("talking to bob", WAIT);
    keyboard.type("hello bob\n");
    screen.await("[10:15] me -> bob: hello bob  ", WAIT);
    screen.await("\u2713 stored", WAIT);
    screen.await("\u2713 stored for bob (offline)", WAIT);
    // That the typed line gives way to the message line shows on a real screen (TerminalChatIT).
    assertThat(screen.text()).as("no receipt line").doesNotContain("(#1");
  }

  @Test
  void aPastedMultiLineMessageIsOneMessageIndentedUnderItsHeader() throws Exception {
    logInAsAlice();
    keyboard.type("/to bob\n");
    screen.await("talking to bob", WAIT);
    keyboard.type("\u001b[200~line one\nline two\u001b[201~\n");
    screen.await("[10:15] me -> bob: line one  ", WAIT);
    screen.await("\n                   line two", WAIT);
    screen.await("\u2713 stored", WAIT);
    assertThat(server.messages("bob")).extracting(ChatMessage::body).containsExactly("line one\nline two");

    server.deliver("bob", "alice", "first\nsecond");
    screen.await("[10:15] bob: first", WAIT);
    screen.await("\n             second", WAIT);
  }

  @Test
  void aLongMessageGoesAsOneMessage() throws Exception {
    logInAsAlice();
    keyboard.type("/to bob\n");
    screen.await("talking to bob", WAIT);
    keyboard.type(("word ".repeat(1000)).strip() + "\n");
    screen.await("me -> bob: word word", WAIT);
    screen.await("\u2713 stored for bob (offline)", WAIT);
    assertThat(server.messages("bob")).extracting(ChatMessage::body).containsExactly(("word ".repeat(1000)).strip());
    assertThat(screen.text()).doesNotContain("over the limit");
  }

  @Test
  void aMessageFromSomeoneElseThanThePartnerStandsOut() throws Exception {
    server.addUser("carol", "carol-password");
    logInAsAlice();
    keyboard.type("/to bob\n");
    screen.await("talking to bob", WAIT);
    server.deliver("bob", "alice", "from bob");
    screen.await("[10:15] bob: from bob", WAIT);
    server.deliver("carol", "alice", "from carol");
    screen.await("[10:15] *carol*: from carol", WAIT);
  }

  @Test
  void talkingToSomeoneWhoDoesNotExistSaysSoAndLeavesTheConversation() throws Exception {
    logInAsAlice();
    keyboard.type("/to zed\n");
    screen.await("talking to zed: no messages with zed yet (if there is no such user, your first message says so)",
        WAIT);
    keyboard.type("anyone there?\n");
    screen.await("\u2717 not sent: there is no user named zed", WAIT);
    screen.await("there is no user named zed: choose someone else with /to <user>", WAIT);
    screen.await("alice> ", WAIT);
    keyboard.type("/view zed\n");
    screen.await("(no messages with zed; if there is no such user, a message to them says so)", WAIT);
  }

  @Test
  void thePromptShowsWhenTheClientReconnectsAndWhatIsTypedMeanwhileIsQueued() throws Exception {
    logInAsAlice();
    keyboard.type("/to bob\n");
    screen.await("alice -> bob> ", WAIT);
    server.connection(ConnectionState.ONLINE, Optional.empty());
    server.connection(ConnectionState.RECONNECTING, Optional.of(Instant.now().plusSeconds(30)));
    screen.await("lost the connection to the server: reconnecting by itself", WAIT);
    screen.await("[reconnecting, next try in ", WAIT);
    screen.await(" s] alice -> bob> ", WAIT);
    server.connection(ConnectionState.ONLINE, Optional.empty());
    screen.await("back online as alice", WAIT);
    screen.await("\nalice -> bob> ", WAIT);
  }

  @Test
  void historyPagesBackwardsWithMore() throws Exception {
    for (int i = 1; i <= 25; i++) {
      server.deliver("bob", "alice", "message " + i);
    }
    logInAsAlice();
    screen.await("you have 25 unread message(s)", WAIT);

    keyboard.type("/view bob\n");
    screen.await("bob -> alice: message 6 (new)", WAIT);
    screen.await("bob -> alice: message 25 (new)", WAIT);
    screen.await("(/more shows older messages)", WAIT);
    keyboard.type("/more\n");
    screen.await("bob -> alice: message 1 (new)", WAIT);
    screen.await("bob -> alice: message 5 (new)", WAIT);
    keyboard.type("/more\n");
    screen.await("no older messages", WAIT);
    assertThat(server.markedRead).hasSize(25);
  }

  @Test
  void tabCompletesCommandsAndKnownUserNames() throws Exception {
    server.deliver("bob", "alice", "hi");
    logInAsAlice();
    keyboard.type("/vi\t\n");
    screen.await("bob -> alice: hi", WAIT);

    keyboard.type("/to b\t\n");
    screen.await("talking to bob", WAIT);
  }

  @Test
  void registerAsksThePasswordTwiceThenLogsIn() throws Exception {
    keyboard.type("/register carol\n");
    screen.await("choose a password for carol (8 to 128 characters): ", WAIT);
    keyboard.type("carol-password\n");
    screen.await("repeat it: ", WAIT);
    keyboard.type("carol-password\n");
    screen.await("registered carol", WAIT);
    screen.await("logged in as carol", WAIT);
    keyboard.type("/msg alice hello from carol\n");
    screen.await("me -> alice: hello from carol", WAIT);
  }

  @Test
  void serverErrorsReadAsPlainSentences() throws Exception {
    keyboard.type("/register bob\n");
    screen.await("choose a password", WAIT);
    keyboard.type("whatever-pw\n");
    screen.await("repeat it: ", WAIT);
    keyboard.type("whatever-pw\n");
    screen.await("cannot register bob: that user name is taken", WAIT);

    keyboard.type("/login alice\n");
    screen.await("password for alice: ", WAIT);
    keyboard.type("wrong-password\n");
    screen.await("cannot log in as alice: wrong user name or password", WAIT);

    logInAsAlice();
    keyboard.type("/msg nobody hi\n");
    screen.await("me -> nobody: hi  ", WAIT);
    screen.await("\u2717 not sent: there is no user named nobody", WAIT);
  }

  @Test
  void helpListsEveryCommand() throws Exception {
    logInAsAlice();
    keyboard.type("/help\n");
    for (String command : new String[] {"/to <user>", "/msg <user> <text>", "/view [user]", "/more", "/unread",
        "/connect <user>", "/file <path> [user]", "/accept [n]", "/refuse [n]", "/logout", "/quit"}) {
      screen.await(command, WAIT);
    }
  }

  @Test
  void ctrlDGoesBackOneScreenAtATimeThenLeaves() throws Exception {
    logInAsAlice();
    keyboard.type("/to bob\n");
    screen.await("alice -> bob> ", WAIT);
    // Ctrl-D is end-of-input only at a prompt: typed ahead, the line discipline takes it.
    keyboard.type("\u0004");
    screen.await("stopped talking to bob", WAIT);
    screen.await("alice> ", WAIT);
    keyboard.type("\u0004");
    screen.await("logged out alice", WAIT);
    screen.await("p2pchat> ", WAIT);
    keyboard.type("\u0004");

    screen.await("bye", WAIT);
    assertThat(chat.get(10, TimeUnit.SECONDS)).isZero();
  }

  // Ctrl-C at a prompt is tested through a real terminal (TerminalChatIT): this in-process
  // terminal raises the interrupt on its own thread, racing the reader.
  @Test
  void ctrlDAtRepeatItCancelsTheRegistration() throws Exception {
    keyboard.type("/register carol\n");
    screen.await("choose a password for carol (8 to 128 characters): ", WAIT);
    keyboard.type("carol-password\n");
    screen.await("repeat it: ", WAIT);
    keyboard.type("\u0004");
    screen.await("(cancelled)", WAIT);
    screen.await("p2pchat> ", WAIT);
    assertThat(chat).isNotDone();
    assertThat(screen.text()).doesNotContain("carol-password", "Exception", "registered");
  }

  @Test
  void aShortPasswordIsRefusedBeforeRepeatItAndTheRulesAreInThePrompt() throws Exception {
    keyboard.type("/register carol\n");
    screen.await("choose a password for carol (8 to 128 characters): ", WAIT);
    keyboard.type("short\n");
    screen.await("that password is too short: it needs at least 8 characters, and it has 5", WAIT);
    assertThat(screen.text()).doesNotContain("repeat it");
    assertThat(chat).isNotDone();
  }
}
