package org.p2pchat.cli.ref;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.client.CredentialStore;
import org.p2pchat.api.client.PeerPath;
import org.p2pchat.api.server.ChatServer;
import org.p2pchat.protocol.ChatClients;
import org.p2pchat.protocol.ChatServers;
import org.p2pchat.protocol.ClientConfig;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.testing.InMemoryChatStore;
import picocli.CommandLine;

/**
 * {@code /connect}, {@code /file}, {@code /accept}, {@code /refuse} and {@code --no-direct} in the
 * interactive chat: real clients against a real server over loopback UDP, with the secure channel,
 * two chats on two test terminals where a chat is on both ends.
 */
class InteractivePeerChatTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String PASSWORD = "correct horse battery";

  @TempDir Path dir;

  private final InMemoryChatStore store = new InMemoryChatStore();
  private final List<AutoCloseable> open = new ArrayList<>();
  private ChatServer server;

  @BeforeEach
  void startServer() throws Exception {
    server = ChatServers.builder().store(store).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .config(ServerConfig.builder().argon2MemoryKib(64).argon2Iterations(1).build()).build();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    server.close();
    store.close();
  }

  /** An interactive chat on a test terminal: what is typed into {@link #keyboard}, what shows in {@link #screen}. */
  private final class Chat {
    final Keyboard keyboard = new Keyboard();
    final TextSink screen = new TextSink();
    final Terminal terminal;
    final CompletableFuture<Integer> done = new CompletableFuture<>();

    Chat(java.util.function.Function<Terminal, Integer> run) throws Exception {
      terminal = TerminalBuilder.builder().system(false).streams(keyboard, screen).type("xterm")
          .encoding(java.nio.charset.StandardCharsets.UTF_8).size(new Size(200, 50)).build();
      Thread t = new Thread(() -> {
        try {
          done.complete(run.apply(terminal));
        } catch (Throwable e) {
          done.completeExceptionally(e);
        }
      }, "test-chat");
      t.setDaemon(true);
      t.start();
      open.add(this::stop);
    }

    void type(String text) {
      keyboard.type(text);
    }

    void await(String text) throws InterruptedException {
      screen.await(text, WAIT);
    }

    void logIn(String user) throws Exception {
      await("p2pchat> ");
      type("/login " + user + "\n");
      await("password for " + user + ": ");
      type(PASSWORD + "\n");
      await("logged in as " + user);
    }

    void stop() throws Exception {
      if (!done.isDone()) {
        type("/quit\n");
        done.get(20, TimeUnit.SECONDS);
      }
      terminal.close();
    }
  }

  /** A chat of {@code user}, logged in, whose accepted files go into {@code downloads}. */
  private Chat chat(String user, Path downloads) throws Exception {
    ClientFactory clients = (address, listener) -> ChatClients.builder().server(server.localAddress())
        .serverKey(server.publicKey().orElseThrow()).listener(listener).build();
    Chat c = new Chat(t -> new InteractiveChat(t, clients, server.localAddress(), new MessageFormatter(ZoneOffset.UTC),
        downloads).run());
    c.logIn(user);
    return c;
  }

  /** A client of the SDK, not yet logged in. */
  private ChatClient client(CredentialStore credentials) throws java.io.IOException {
    ChatClient c = ChatClients.builder().server(server.localAddress()).serverKey(server.publicKey().orElseThrow())
        .config(ClientConfig.builder().build()).credentials(credentials).build();
    open.add(c);
    return c;
  }

  /** Registers each user, and makes each pair of them mutual contacts. */
  private void mutualContacts(String... users) throws Exception {
    try (ChatClient c = ChatClients.builder().server(server.localAddress()).serverKey(server.publicKey().orElseThrow())
        .build()) {
      for (String u : users) {
        c.register(UserName.of(u), PASSWORD).get(10, TimeUnit.SECONDS);
      }
      for (String u : users) {
        c.login(UserName.of(u), PASSWORD).get(10, TimeUnit.SECONDS);
        for (String other : users) {
          if (!other.equals(u)) {
            c.contacts().add(UserName.of(other)).get(10, TimeUnit.SECONDS);
          }
        }
        c.logout().get(10, TimeUnit.SECONDS);
      }
    }
  }

  private Path randomFile(String name, int bytes) throws Exception {
    byte[] data = new byte[bytes];
    new Random(bytes).nextBytes(data);
    Path f = Files.createDirectories(dir.resolve("out")).resolve(name);
    Files.write(f, data);
    return f;
  }

  private static String sha256(Path f) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
  }

  @Test
  void aFileSentWithFileArrivesByteIdenticalOnceTheOtherSideAcceptsAndThePromptStaysFreeMeanwhile() throws Exception {
    mutualContacts("alice", "bob");
    Path bobsDownloads = dir.resolve("bob").resolve("downloads");
    Chat alice = chat("alice", dir.resolve("alice"));
    Chat bob = chat("bob", bobsDownloads);
    Path photo = randomFile("photo.jpg", 3_000_000);

    alice.type("/to bob\n");
    alice.await("talking to bob");
    alice.type("/file " + photo + "\n");
    alice.await("sending photo.jpg (3.0 MB) to bob  \u00b7 waiting for bob to accept");
    bob.await("alice offers photo.jpg (3.0 MB). Accept? /accept or /refuse");
    alice.type("while it waits\n");
    alice.await("me -> bob: while it waits");
    bob.await("alice: while it waits");

    bob.type("/accept\n");
    bob.await("(created " + bobsDownloads + ", readable by you only)");
    bob.await("receiving photo.jpg (3.0 MB) from alice into " + bobsDownloads);
    String sha = sha256(photo);
    Path saved = bobsDownloads.resolve("photo.jpg");
    bob.await("received photo.jpg (3.0 MB) from alice \u2192 " + saved + ", SHA-256 " + sha + " checked");
    alice.await("\u2713 done");
    alice.await("sent photo.jpg (3.0 MB) to bob, SHA-256 " + sha);

    assertThat(Files.mismatch(saved, photo)).as("byte-identical").isEqualTo(-1L);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(bobsDownloads))).isEqualTo("rwx------");
    assertThat(bob.screen.text()).doesNotContain("Exception");
  }

  @Test
  void refuseMakesTheSenderSayTheFileWasRefused() throws Exception {
    mutualContacts("alice", "bob");
    Chat alice = chat("alice", dir.resolve("alice"));
    Chat bob = chat("bob", dir.resolve("bob"));
    Path notes = randomFile("notes.txt", 10_000);

    alice.type("/file " + notes + " bob\n");
    bob.await("alice offers notes.txt (10.0 KB). Accept? /accept or /refuse");
    bob.type("/refuse\n");
    bob.await("refused notes.txt (10.0 KB) from alice");
    alice.await("\u2717 stopped");
    alice.await("bob refused notes.txt");
    bob.type("/accept\n");
    bob.await("no file is offered to you now");
    assertThat(Files.exists(dir.resolve("bob"))).as("nothing was saved").isFalse();
  }

  @Test
  void severalOffersAreNumberedAndAnsweredByNumber() throws Exception {
    mutualContacts("alice", "bob");
    Chat alice = chat("alice", dir.resolve("alice"));
    Chat bob = chat("bob", dir.resolve("bob"));
    Path one = randomFile("one.bin", 2_000);
    Path two = randomFile("two.bin", 3_000);

    alice.type("/file " + one + " bob\n");
    bob.await("alice offers one.bin (2.0 KB). Accept? /accept or /refuse");
    alice.type("/file " + two + " bob\n");
    bob.await("alice offers two.bin (3.0 KB). Accept? /accept 2 or /refuse 2 (2 offers wait)");
    bob.type("/accept\n");
    bob.await("several files are offered; which one? /accept <n>:");
    bob.await("1: one.bin (2.0 KB) from alice");
    bob.await("2: two.bin (3.0 KB) from alice");
    bob.type("/accept 2\n");
    bob.await("received two.bin (3.0 KB) from alice");
    alice.await("sent two.bin (3.0 KB) to bob");
    bob.type("/refuse 1\n");
    alice.await("bob refused one.bin");
    assertThat(Files.mismatch(dir.resolve("bob").resolve("two.bin"), two)).isEqualTo(-1L);
  }

  @Test
  void quitWhileAFileIsOnItsWaySaysSoAndASecondQuitLeaves() throws Exception {
    mutualContacts("alice", "bob");
    Chat alice = chat("alice", dir.resolve("alice"));
    Chat bob = chat("bob", dir.resolve("bob"));
    Path notes = randomFile("notes.txt", 10_000);

    alice.type("/file " + notes + " bob\n");
    bob.await("alice offers notes.txt (10.0 KB)");
    alice.type("/quit\n");
    alice.await("notes.txt to bob is still on the way: leaving breaks it off; /quit again leaves anyway");
    assertThat(alice.done).isNotDone();
    alice.type("/quit\n");
    alice.await("bye");
    assertThat(alice.done.get(20, TimeUnit.SECONDS)).isZero();
  }

  @Test
  void aFileToSomeoneWithNoDeviceOnlineOrToAStrangerSaysWhyAndWhatToDoAndTabCompletesItsPath() throws Exception {
    mutualContacts("alice", "bob");
    mutualContacts("carol");
    Chat alice = chat("alice", dir.resolve("alice"));
    Path photo = randomFile("photo.jpg", 1_000);

    alice.type("/file " + dir.resolve("out").resolve("pho") + "\t bob\n"); // Tab completes the path
    alice.await("sending photo.jpg (1.0 KB) to bob");
    alice.await("photo.jpg was not sent: bob has no device online; files go only to online devices \u2014 "
        + "send it again when bob is back");
    alice.type("/file " + photo + " carol\n");
    alice.await("photo.jpg was not sent: you and carol are not each other's contacts");
    alice.type("/file " + dir.resolve("nothing-here.txt") + " bob\n");
    alice.await("cannot send " + dir.resolve("nothing-here.txt") + ": it does not exist");
    alice.type("/file " + photo + "\n");
    alice.await("to whom? /file <path> <user>, or choose a partner with /to <user> first");
  }

  @Test
  void connectSaysTheDirectPathAndTheOtherSideHearsOfIt() throws Exception {
    mutualContacts("alice", "bob");
    Chat alice = chat("alice", dir.resolve("alice"));
    Chat bob = chat("bob", dir.resolve("bob"));

    alice.type("/connect bob\n");
    alice.await("direct connection to bob (end-to-end encrypted; the server carries none of it)");
    bob.await("(direct connection to alice)");
  }

  @Test
  void noDirectGivesARelayedConnection() throws Exception {
    mutualContacts("alice", "bob");
    ChatClient bob = client(CredentialStore.inMemory());
    bob.login(UserName.of("bob"), PASSWORD, "bob's laptop").get(10, TimeUnit.SECONDS);

    // The whole command line, with the engine's own client factory: --no-direct reaches the SDK.
    CliContext ctx = new CliContext(Map.of(), ClientFactory.ENGINE, p -> null, () -> {
      throw new AssertionError("the terminal is the test's");
    }, ZoneOffset.UTC);
    Chat alice = new Chat(terminal -> {
      CliContext withTerminal = new CliContext(Map.of(), ctx.clients, ctx.passwords, () -> terminal, ZoneOffset.UTC);
      CommandLine cl = CliMain.commandLine(withTerminal);
      cl.setErr(new PrintWriter(new StringWriter(), true));
      return cl.execute("--server", "127.0.0.1:" + server.localAddress().getPort(),
          "--server-key", server.publicKey().orElseThrow().base64(),
          "--known-hosts", dir.resolve("known_hosts").toString(),
          "--credentials", dir.resolve("credentials").toString(),
          "--download-dir", dir.resolve("downloads").toString(),
          "--no-direct");
    });
    alice.logIn("alice");
    alice.type("/connect bob\n");
    alice.await("connected to bob through the server's relay (end-to-end encrypted; direct connections are off: "
        + "--no-direct)");
    assertThat(bob.peers().path(UserName.of("alice"))).contains(PeerPath.RELAYED);
  }

  @Test
  void noDirectComesFromTheEnvironmentTooAndHelpSaysWhy() {
    CliContext ctx = new CliContext(Map.of("P2PCHAT_NO_DIRECT", "true"), ClientFactory.ENGINE, p -> null, () -> {
      throw new AssertionError("no terminal");
    }, ZoneOffset.UTC);
    CommandLine cl = CliMain.commandLine(ctx);
    cl.parseArgs();
    assertThat(((ChatCommand) cl.getCommand()).serverOption.directConnections()).isFalse();
    CommandLine plain = CliMain.commandLine(new CliContext(Map.of(), ClientFactory.ENGINE, p -> null, () -> {
      throw new AssertionError("no terminal");
    }, ZoneOffset.UTC));
    plain.parseArgs();
    assertThat(((ChatCommand) plain.getCommand()).serverOption.directConnections()).isTrue();

    String help = plain.getUsageMessage(CommandLine.Help.Ansi.OFF).replaceAll("\\s+", " ");
    assertThat(help).contains("--no-direct", "through the server's relay", "shown to no one but the server",
        "--download-dir", "~/Downloads/p2pchat", "P2PCHAT_NO_DIRECT", "P2PCHAT_DOWNLOAD_DIR");
  }

  @Test
  void aChangedKeyOfAContactsDeviceIsAWarningWithBothFingerprints() throws Exception {
    mutualContacts("alice", "bob");
    CredentialStore bobsCredentials = CredentialStore.inMemory();
    ChatClient bob = client(bobsCredentials);
    bob.login(UserName.of("bob"), PASSWORD, "bob's phone").get(10, TimeUnit.SECONDS);
    Chat alice = chat("alice", dir.resolve("alice"));
    alice.type("/connect bob\n");
    alice.await("direct connection to bob");
    bob.close();

    // The same device (its credential) with another key: a reinstall, or someone in between.
    bobsCredentials.savePeerKey(org.p2pchat.protocol.secure.ServerKeyPair.generate().privateKey());
    ChatClient bobAgain = client(bobsCredentials);
    bobAgain.resume().get(10, TimeUnit.SECONDS);
    alice.type("/connect bob\n");
    alice.await("WARNING: THE KEY OF BOB'S DEVICE #");
    alice.await("HAS CHANGED!");
    alice.await("  before: SHA256:");
    alice.await("  now:    SHA256:");
    alice.await("Ask bob by another way than this chat");
  }
}
