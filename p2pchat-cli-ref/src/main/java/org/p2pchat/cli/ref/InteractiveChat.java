package org.p2pchat.cli.ref;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jline.reader.Candidate;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.HistoryPage;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.client.ChatListener;
import org.p2pchat.api.client.ConnectionState;
import org.p2pchat.api.client.CredentialStore;
import org.p2pchat.api.client.DeviceCredential;
import org.p2pchat.api.client.DeviceInfo;
import org.p2pchat.cli.ref.MessageFormatter.Mark;

/**
 * The interactive chat on a terminal: a login screen ({@code /login}, {@code /register}), then a
 * chat screen where plain lines go to the chosen partner and incoming messages appear live
 * above the input line, one line per message.
 *
 * <p>Sends do not hold up the prompt: a message shows at once with its mark ({@code · queued},
 * {@code · sending}), goes out in the order typed, and its mark moves on in place
 * ({@code ✓ stored}, {@code ✓✓ delivered}, {@code ✓✓ read}).
 *
 * <p>No key ends the program by surprise: Ctrl-C clears the line (or cancels a question, or a
 * wait for the server), Ctrl-D goes back one screen, and the terminal stays in raw mode for as
 * long as the chat runs, so that keys typed while it waits reach the next prompt, never the
 * shell.
 *
 * <p>Files and channels to contacts' devices ({@code /file}, {@code /accept}, {@code /refuse},
 * {@code /connect}) are {@link PeerChat}'s: a file's progress is a line rewritten in place, and
 * the prompt stays free while it goes.
 *
 * <p>{@link #run} runs on one thread; the client calls the {@link ChatListener} methods on its
 * own thread, which only print above the prompt, mark messages read and keep the offers of
 * files for {@code /accept}.
 */
public final class InteractiveChat implements ChatListener {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(InteractiveChat.class);
  private static final List<String> LOGIN_COMMANDS = List.of("/login", "/register", "/help", "/quit");
  private static final List<String> CHAT_COMMANDS = List.of("/to", "/msg", "/view", "/more", "/unread", "/room",
      "/contact", "/connect", "/file", "/accept", "/refuse", "/devices", "/revoke", "/export", "/delete-account",
      "/logout", "/help", "/quit");
  private static final Set<String> TAKES_A_NAME = Set.of("/to", "/msg", "/view", "/connect");
  private static final org.jline.reader.Completer FILE_NAMES = new org.jline.builtins.Completers.FileNameCompleter();
  /**
   * How long after it is stored a message not yet delivered counts as for someone offline: the
   * server pushes to online devices at once, and they acknowledge within a round trip.
   */
  private static final long OFFLINE_AFTER_MILLIS = 2_000;

  private final Terminal terminal;
  private final ClientFactory clients;
  private final InetSocketAddress server;
  private final ServerOption serverOption;
  private final MessageFormatter configuredFormat;
  private final CredentialStore credentials;
  private final java.nio.file.Path downloadDir;
  private final Set<String> knownUsers = new ConcurrentSkipListSet<>();
  private final Map<Long, Outgoing> sentById = new ConcurrentHashMap<>();
  /** States pushed for ids whose send has not completed yet (the push overtook the answer). */
  private final Map<Long, DeliveryState> earlyStates = new ConcurrentHashMap<>();

  private MessageFormatter format;
  private Screen screen;
  private LineReader reader;
  private ChatClient client;
  private ScheduledExecutorService timers;
  private volatile UserName me;
  private volatile UserName peer;
  private volatile ConnectionState connection = ConnectionState.OFFLINE;
  private volatile Instant nextTry;
  /** Whether the loss of an online session was said, so that its end is said too. */
  private volatile boolean lostOnline;
  /** Whether a /quit was just answered with the files it would break off; the next one leaves. */
  private boolean quitAsked;
  /** The message whose answer the chat waits for, if any. */
  private volatile Outgoing inFlight;
  private UserName viewPeer;
  private OptionalLong olderCursor = OptionalLong.empty();
  private final RoomChat rooms = new RoomChat(t -> screen.println(t), t -> screen.println(t), () -> client);
  private final ContactChat contacts = new ContactChat(t -> screen.println(t), () -> client);
  /** Channels and files; made with the screen, before the client that calls it. */
  private PeerChat peers;
  /** The sends in the order typed: each starts when the one before it has its answer. */
  private CompletableFuture<Void> sends = CompletableFuture.completedFuture(null);

  /** A message this user typed, from the moment it shows on screen. */
  private final class Outgoing {
    final UserName to;
    final String body;
    volatile Mark mark;
    volatile long id;

    Outgoing(UserName to, String body, Mark mark) {
      this.to = to;
      this.body = body;
      this.mark = mark;
    }

    /** Whether it has its answer: stored (or further), or failed. */
    boolean isDone() {
      Mark m = mark;
      return m != Mark.QUEUED && m != Mark.SENDING;
    }

    /** Back to queued: it was sending when the connection was lost, and waits to go again. */
    synchronized void requeue() {
      if (mark == Mark.SENDING) {
        mark = Mark.QUEUED;
        screen.mark(this, format.mark(Mark.QUEUED, to, ""), null);
      }
    }

    /** Moves the mark on, unless it is already further; in place on screen. */
    synchronized void show(Mark next, String why) {
      if (!mark.isBefore(next)) {
        return;
      }
      mark = next;
      String text = format.mark(next, to, why);
      // Off screen, only news that changes what the person should do gets a line of its own:
      // a failure, or that the recipient is offline. /view shows the rest.
      String start = MessageFormatter.safe(body.length() > 24 ? body.substring(0, 24) + "..." : body);
      String what = (id > 0 ? "#" + id + " to " + to : "to " + to) + " \"" + start + "\"";
      boolean worthALine = next == Mark.FAILED || next == Mark.STORED_OFFLINE;
      screen.mark(this, text, worthALine ? "  (your message " + what + ": " + text + ")" : null);
      if (next == Mark.READ || next == Mark.FAILED) {
        screen.forget(this);
      }
    }
  }

  /** A chat on {@code terminal} with {@code server}; {@link #run} opens the client. */
  public InteractiveChat(Terminal terminal, ClientFactory clients, InetSocketAddress server, MessageFormatter format) {
    this(terminal, clients, server, null, format, CredentialStore.inMemory(), defaultDownloadDir());
  }

  /** A chat as above whose accepted files go into {@code downloadDir} (created owner-only when missing). */
  public InteractiveChat(Terminal terminal, ClientFactory clients, InetSocketAddress server, MessageFormatter format,
      java.nio.file.Path downloadDir) {
    this(terminal, clients, server, null, format, CredentialStore.inMemory(), downloadDir);
  }

  /** A chat on {@code terminal} with the server of {@code server}'s options, trusting its key as they say. */
  public InteractiveChat(Terminal terminal, ClientFactory clients, ServerOption server, MessageFormatter format) {
    this(terminal, clients, server.address(), server, format, CredentialStore.inMemory(), defaultDownloadDir());
  }

  /**
   * A chat as above that keeps this device's credential in {@code credentials}: it resumes the
   * session at start, and after a server restart, without the password.
   */
  public InteractiveChat(Terminal terminal, ClientFactory clients, ServerOption server, MessageFormatter format,
      CredentialStore credentials) {
    this(terminal, clients, server.address(), server, format, credentials, defaultDownloadDir());
  }

  /**
   * A chat as above whose accepted files go into {@code downloadDir}, created (owner-only) at
   * the first {@code /accept} when missing.
   */
  public InteractiveChat(Terminal terminal, ClientFactory clients, ServerOption server, MessageFormatter format,
      CredentialStore credentials, java.nio.file.Path downloadDir) {
    this(terminal, clients, server.address(), server, format, credentials, downloadDir);
  }

  private InteractiveChat(Terminal terminal, ClientFactory clients, InetSocketAddress server,
      ServerOption serverOption, MessageFormatter format, CredentialStore credentials,
      java.nio.file.Path downloadDir) {
    this.credentials = credentials;
    this.downloadDir = java.util.Objects.requireNonNull(downloadDir, "downloadDir");
    this.terminal = terminal;
    this.clients = clients;
    this.server = server;
    this.serverOption = serverOption;
    this.configuredFormat = format;
  }

  /**
   * Runs until {@code /quit} or Ctrl-D on the login screen, then logs out and closes the client.
   *
   * @return the exit status: {@link ExitCodes#OK}, {@link ExitCodes#UNREACHABLE} when no
   *     client could be opened, or that of a {@link ServerKeyException}
   */
  public int run() {
    format = showsCheckMarks(terminal) ? configuredFormat : configuredFormat.ascii();
    screen = new Screen(terminal);
    peers = new PeerChat(screen, () -> client, downloadDir, showsCheckMarks(terminal),
        serverOption == null || serverOption.directConnections());
    try {
      client = serverOption != null ? clients.open(serverOption, this, credentials) : clients.open(server, this);
    } catch (ServerKeyException e) {
      screen.println(e.getMessage());
      return e.exitCode();
    } catch (IOException e) {
      screen.println("cannot open a UDP socket: " + Sentences.ofNetwork(e));
      return ExitCodes.UNREACHABLE;
    }
    reader = LineReaderBuilder.builder()
        .terminal(terminal)
        .appName("p2pchat")
        .completer(this::complete)
        .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
        // The typed line gives way to the message line it becomes: one line per message.
        .option(LineReader.Option.ERASE_LINE_ON_FINISH, true)
        .build();
    screen.attach(reader);
    timers = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "p2pchat-cli-timers");
      t.setDaemon(true);
      return t;
    });
    // Raw mode between prompts too: keys typed while a command waits are kept for the next
    // prompt instead of being echoed over the screen (or, should the JVM die, left to the shell).
    Attributes original = terminal.enterRawMode();
    // Ctrl-C while a command waits for the server cancels the wait (at a prompt, the reader
    // handles Ctrl-C itself); it never kills the process.
    Thread main = Thread.currentThread();
    Terminal.SignalHandler previousInt = terminal.handle(Terminal.Signal.INT, signal -> main.interrupt());
    try {
      screen.println("p2pchat - server " + ServerAddressConverter.text(server));
      resumeAtStart();
      boolean going = true;
      while (going) {
        String line;
        String prompt = prompt();
        try {
          line = reader.readLine(prompt);
        } catch (UserInterruptException e) {
          continue; // Ctrl-C drops the line being typed, as in a shell
        } catch (EndOfFileException e) {
          // Ctrl-C then Ctrl-D typed quickly: the reader may return the Ctrl-D with the Ctrl-C's
          // interrupt still set, and that interrupt would cancel the logout the Ctrl-D asks for.
          Thread.interrupted();
          going = back();
          continue;
        }
        Thread.interrupted(); // a Ctrl-C that came between two prompts is spent
        if (line.strip().startsWith("/")) {
          // A command stays on screen as typed, as in a shell; a message becomes its message line.
          screen.println(prompt + MessageFormatter.safe(line.strip()));
        }
        going = handle(line);
      }
      return ExitCodes.OK;
    } finally {
      terminal.handle(Terminal.Signal.INT, previousInt);
      Thread.interrupted();
      timers.shutdownNow();
      client.close();
      screen.println("bye");
      terminal.setAttributes(original);
    }
  }

  /** Where accepted files go unless told otherwise: {@code ~/Downloads/p2pchat}. */
  static java.nio.file.Path defaultDownloadDir() {
    return java.nio.file.Path.of(System.getProperty("user.home"), "Downloads", "p2pchat");
  }

  private static boolean showsCheckMarks(Terminal terminal) {
    Charset charset = terminal.encoding();
    return charset != null && charset.newEncoder().canEncode("\u2713\u2713\u00b7\u2717");
  }

  /**
   * Ctrl-D at the prompt: back to the previous screen. From a conversation to the chat screen,
   * from the chat screen (logging out) to the login screen, from the login screen out.
   *
   * @return whether to go on
   */
  private boolean back() {
    if (peer != null) {
      screen.println("stopped talking to " + peer + " (Ctrl-D again logs out)");
      peer = null;
      return true;
    }
    if (me != null) {
      try {
        logout();
      } catch (CliFailure f) {
        screen.println(f.getMessage());
      }
      screen.println("(Ctrl-D again leaves)");
      return true;
    }
    return false;
  }

  private void logout() throws CliFailure {
    UserName was = me;
    me = null;
    peer = null;
    Await.result(() -> client.logout(), "cannot log out");
    screen.println("logged out " + was + " (this device is forgotten: the next login asks for the password)");
  }

  /**
   * With a device credential kept from an earlier run, resumes that session without the
   * password; else shows how to log in. A server that does not answer leaves the client
   * trying by itself, logged in as far as the person can tell: what they send waits.
   */
  private void resumeAtStart() {
    Optional<DeviceCredential> stored;
    try {
      stored = credentials.load();
    } catch (IOException e) {
      screen.println("cannot read this device's credential (" + credentials + "): " + Sentences.ofFile(e)
          + "; log in with /login <name>");
      loginHelp();
      return;
    }
    if (stored.isEmpty()) {
      loginHelp();
      return;
    }
    UserName who = stored.get().user();
    try {
      Await.result(() -> client.resume(), "cannot resume the session of " + who);
      loggedIn(who, "resumed the session of " + who + " (/logout forgets this device).");
    } catch (CliFailure f) {
      if (client.connectionState() == ConnectionState.RECONNECTING) {
        me = who;
        screen.println("the server does not answer: still trying to resume the session of " + who
            + "; what you send waits until it is back");
      } else {
        screen.println(f.getMessage() + "; log in with /login " + who);
        loginHelp();
      }
    }
  }

  private static String deviceName() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        host = "this computer";
      }
    }
    String name = "p2pchat-cli on " + MessageFormatter.safe(host.strip());
    return name.length() > 40 ? name.substring(0, 40) : name;
  }

  /**
   * Asks a question at a prompt of its own.
   *
   * @param mask the character echoed instead of each one typed ({@link LineReaderImpl#NULL_MASK}
   *     for none), or null to echo them
   * @return the answer, or null when the person cancelled with Ctrl-C or Ctrl-D (said on screen)
   */
  private String ask(String question, Character mask) {
    // A reader of its own, with history off, so that no arrow key brings a password back; a new
    // one each time, as a reader left by Ctrl-C or Ctrl-D does not always read again.
    LineReader r = LineReaderBuilder.builder().terminal(terminal)
        .variable(LineReader.DISABLE_HISTORY, true)
        .option(LineReader.Option.ERASE_LINE_ON_FINISH, true)
        .build();
    screen.attach(r);
    try {
      return r.readLine(question, mask);
    } catch (UserInterruptException | EndOfFileException e) {
      screen.println(question.strip() + " (cancelled)");
      return null;
    } finally {
      screen.attach(reader);
    }
  }

  private String prompt() {
    UserName user = me;
    if (user == null) {
      return "p2pchat> ";
    }
    UserName partner = peer;
    String who = partner == null ? user + "> " : user + " -> " + partner + "> ";
    return connectionNote() + who;
  }

  /** {@code [reconnecting, next try in 4 s] } while the session is being resumed, else nothing. */
  private String connectionNote() {
    ConnectionState c = connection;
    if (c == ConnectionState.RECONNECTING) {
      Instant at = nextTry;
      long seconds = at == null ? 0 : Math.max(0, (at.toEpochMilli() - System.currentTimeMillis() + 999) / 1000);
      return seconds > 0 ? "[reconnecting, next try in " + seconds + " s] " : "[reconnecting] ";
    }
    if (c == ConnectionState.OFFLINE && me != null) {
      return "[offline] ";
    }
    return "";
  }

  /** Redraws the prompt, for a change that did not come from the keyboard (a lost session). */
  private void refreshPrompt() {
    LineReader r = reader;
    if (r instanceof LineReaderImpl && r.isReading()) {
      try {
        // The display is diffed against what it drew: the old prompt is overwritten, not repeated.
        ((LineReaderImpl) r).setPrompt(prompt());
        r.callWidget(LineReader.REDISPLAY);
      } catch (IllegalStateException e) {
        // it stopped reading meanwhile: the next prompt is drawn afresh anyway
      }
    }
  }

  private boolean handle(String typed) {
    String line = typed.strip();
    if (line.isEmpty()) {
      return true;
    }
    String[] words = line.split("\\s+", 2);
    String command = words[0];
    String rest = words.length > 1 ? words[1] : "";
    try {
      if (command.equals("/quit")) {
        List<String> going = peers.onTheirWay();
        if (going.isEmpty() || quitAsked) {
          return false;
        }
        quitAsked = true;
        screen.println(String.join(", ", going) + (going.size() == 1 ? " is" : " are")
            + " still on the way: leaving breaks it off; /quit again leaves anyway");
        return true;
      }
      quitAsked = false;
      if (me == null) {
        loginScreen(command, rest);
      } else {
        chatScreen(typed, command, rest);
      }
    } catch (CliFailure f) {
      screen.println(f.getMessage());
    } catch (RuntimeException e) {
      // No input ends the chat: whatever a command did not expect is said, and the chat goes on.
      log.debug("command failed: {}", command, e);
      screen.println(command + " failed: " + Sentences.of(e));
    }
    return true;
  }

  private void loginScreen(String command, String rest) throws CliFailure {
    switch (command) {
      case "/login":
        login(userName(rest));
        break;
      case "/register":
        register(userName(rest));
        break;
      case "/help":
        loginHelp();
        break;
      default:
        screen.println("you are not logged in: type /login <name> or /register <name> (/help lists all)");
    }
  }

  private void chatScreen(String typed, String command, String rest) throws CliFailure {
    switch (command) {
      case "/to":
        talkTo(name(rest));
        break;
      case "/msg": {
        String[] words = rest.split("\\s+", 2);
        if (words.length < 2) {
          screen.println("usage: /msg <user> <text>");
          break;
        }
        send(name(words[0]), words[1]);
        break;
      }
      case "/view":
        viewPeer = rest.isEmpty() ? peer : name(rest);
        view(HistoryQuery.builder(), viewPeer, 0);
        break;
      case "/more":
        if (olderCursor.isEmpty()) {
          screen.println("no older messages");
        } else {
          view(HistoryQuery.builder(), viewPeer, olderCursor.getAsLong());
        }
        break;
      case "/unread":
        viewPeer = null;
        view(HistoryQuery.builder().unreadOnly(true), null, 0);
        break;
      case "/room":
        rooms.handle(rest);
        break;
      case "/contact":
        contacts.handle(rest);
        break;
      case "/connect": {
        UserName who = rest.isEmpty() ? peer : name(rest);
        if (who == null) {
          throw new CliFailure("to whom? /connect <user>", ExitCodes.USAGE);
        }
        if (who.equals(me)) {
          throw new CliFailure("that is you: /connect <user> connects to a contact's devices", ExitCodes.USAGE);
        }
        knownUsers.add(who.value());
        peers.connect(who);
        break;
      }
      case "/file":
        peers.sendFile(rest, peer);
        break;
      case "/accept":
        peers.answer(rest, true);
        break;
      case "/refuse":
        peers.answer(rest, false);
        break;
      case "/devices":
        devices();
        break;
      case "/revoke":
        revoke(rest);
        break;
      case "/export":
        export(rest);
        break;
      case "/delete-account":
        deleteAccount();
        break;
      case "/logout":
        if (rest.equals("everywhere")) {
          UserName was = me;
          Await.result(() -> client.logoutEverywhere(), "cannot log out everywhere");
          me = null;
          peer = null;
          screen.println("logged out " + was + " on every device");
        } else {
          logout();
        }
        break;
      case "/help":
        chatHelp();
        break;
      default:
        if (command.startsWith("/")) {
          screen.println("unknown command " + command + " (/help lists them)");
        } else if (peer == null) {
          screen.println("who to? choose with /to <user>, or send with /msg <user> <text>");
        } else {
          // The line as typed (or pasted), trailing spaces and line breaks aside.
          send(peer, typed.replaceAll("\\s+$", ""));
        }
    }
  }

  /**
   * Chooses a partner. The protocol has no "does this user exist" request, so the history says
   * it when there is one; otherwise the first message's answer will.
   */
  private void talkTo(UserName who) throws CliFailure {
    if (who.equals(me)) {
      screen.println("that is you: choose someone else with /to <user>");
      return;
    }
    boolean known = knownUsers.contains(who.value());
    if (!known) {
      HistoryQuery q = HistoryQuery.builder().peer(who).limit(1).build();
      known = !Await.result(() -> client.history(q), "cannot talk to " + who).messages().isEmpty();
    }
    peer = who;
    if (known) {
      knownUsers.add(who.value());
      screen.println("talking to " + who + ": type a line and Enter to send it");
    } else {
      screen.println("talking to " + who + ": no messages with " + who
          + " yet (if there is no such user, your first message says so)");
    }
  }

  private void devices() throws CliFailure {
    List<DeviceInfo> all = Await.result(() -> client.devices(), "cannot list your devices");
    for (DeviceInfo d : all) {
      screen.println("  #" + d.id() + " " + MessageFormatter.safe(d.name()) + (d.current() ? " (this one)" : "")
          + ", logged in " + format.dateTime(d.createdAt()) + ", last used " + format.dateTime(d.lastUsedAt()));
    }
    screen.println(all.isEmpty() ? "(no devices)" : "(/revoke <number> signs a device out; /logout everywhere, all)");
  }

  /** Exports all of the user's data into a new owner-only file (docs/protocol.md section 22.3). */
  private void export(String file) throws CliFailure {
    if (file.isBlank()) {
      throw new CliFailure("where to? /export <file> (a new file, readable by you only)", ExitCodes.USAGE);
    }
    java.nio.file.Path path = java.nio.file.Path.of(file.strip());
    if (java.nio.file.Files.exists(path)) {
      throw new CliFailure(path + " exists: an export never overwrites a file", ExitCodes.USAGE);
    }
    org.p2pchat.api.client.ExportSummary s = Await.result(() -> client.exportTo(path), "cannot export to " + path);
    screen.println("exported " + s.messages() + " messages, " + s.rooms() + " rooms with " + s.roomMessages()
        + " messages, " + s.contacts() + " contacts and " + s.blocks() + " blocked users to " + path);
  }

  /**
   * Deletes the account for good (docs/protocol.md section 22), after the person typed their
   * name to confirm and their password: nothing happens on a slip of the keyboard.
   */
  private void deleteAccount() throws CliFailure {
    UserName who = me;
    screen.println("this deletes the account " + who + " for good: its messages, rooms it sent to, contacts and"
        + " devices (/export <file> first keeps a copy)");
    String confirm = ask("type your user name to confirm: ", null);
    if (confirm == null) {
      return;
    }
    if (!confirm.strip().equalsIgnoreCase(who.value())) {
      screen.println("not deleted: that is not " + who);
      return;
    }
    String password = ask("password for " + who + ": ", LineReaderImpl.NULL_MASK);
    if (password == null) {
      return;
    }
    Await.result(() -> client.deleteAccount(password), "cannot delete the account " + who);
    me = null;
    peer = null;
    screen.println("deleted the account " + who + "; type /register <name> or /login <name>, or /quit");
  }

  private void revoke(String id) throws CliFailure {
    long device;
    try {
      device = Long.parseLong(id.strip().replaceFirst("^#", ""));
    } catch (NumberFormatException e) {
      throw new CliFailure("which device? /revoke <number>, as /devices lists them", ExitCodes.USAGE);
    }
    Await.result(() -> client.revokeDevice(device), "cannot sign out device #" + device);
    screen.println("signed out device #" + device);
  }

  private void login(UserName name) throws CliFailure {
    if (name == null) {
      return;
    }
    String password = ask("password for " + name + ": ", LineReaderImpl.NULL_MASK);
    if (password == null) {
      return;
    }
    Await.result(() -> client.login(name, password, deviceName()), "cannot log in as " + name);
    loggedIn(name);
  }

  private void loggedIn(UserName name) throws CliFailure {
    loggedIn(name, "logged in as " + name + ".");
  }

  private void loggedIn(UserName name, String said) throws CliFailure {
    me = name;
    screen.println(said + " Choose who to talk to with /to <user>; /help lists all commands.");
    HistoryQuery q = HistoryQuery.builder().unreadOnly(true).limit(HistoryQuery.MAX_LIMIT).build();
    HistoryPage unread = Await.result(() -> client.history(q), "cannot count unread messages");
    unread.messages().forEach(m -> knownUsers.add(m.sender().value()));
    if (!unread.messages().isEmpty()) {
      String more = unread.nextCursor().isPresent() ? "+" : "";
      screen.println("you have " + unread.messages().size() + more + " unread message(s): /unread shows them");
    }
  }

  private void register(UserName name) throws CliFailure {
    if (name == null) {
      return;
    }
    String password = ask("choose a password for " + name + " (" + PasswordRules.RULES + "): ",
        LineReaderImpl.NULL_MASK);
    if (password == null) {
      return;
    }
    var problem = PasswordRules.problem(password);
    if (problem.isPresent()) {
      screen.println(problem.get() + "; /register " + name + " to try again");
      return;
    }
    String again = ask("repeat it: ", LineReaderImpl.NULL_MASK);
    if (again == null) {
      return;
    }
    if (!password.equals(again)) {
      screen.println("the two passwords differ; /register " + name + " to try again");
      return;
    }
    Await.result(() -> client.register(name, password), "cannot register " + name);
    screen.println("registered " + name);
    Await.result(() -> client.login(name, password, deviceName()), "cannot log in as " + name);
    loggedIn(name);
  }

  /**
   * Shows the message at once and sends it after those typed before it, as one message up to
   * the SDK's limit (64 KiB, however many datagrams it takes). A message over it goes as
   * several, split at line breaks or spaces where it can be, and the limit is named.
   */
  private void send(UserName to, String body) throws CliFailure {
    if (body.isBlank()) {
      return;
    }
    List<String> parts;
    try {
      parts = LongMessages.split(body, LongMessages.LIMIT_BYTES);
    } catch (IllegalArgumentException e) {
      throw new CliFailure("cannot send to " + to + ": the message holds a character that cannot be sent",
          ExitCodes.USAGE);
    }
    if (parts.size() > 1) {
      screen.println(LongMessages.overTheLimit(body, parts.size()));
    }
    knownUsers.add(to.value());
    for (String part : parts) {
      Outgoing o = new Outgoing(to, part, Mark.QUEUED);
      boolean idle = sends.isDone() && connection != ConnectionState.RECONNECTING;
      if (idle) {
        o.mark = Mark.SENDING;
      }
      screen.printMessage(o, format.outgoing(to, part), format.mark(o.mark, to, ""));
      sends = sends.thenCompose(v -> transmit(o));
    }
  }

  /** Sends one message; completes (never fails) when it has its answer. */
  private CompletableFuture<Void> transmit(Outgoing o) {
    inFlight = o;
    if (connection != ConnectionState.RECONNECTING) {
      o.show(Mark.SENDING, "");
    }
    CompletableFuture<ChatMessage> sent;
    try {
      sent = client.send(o.to, o.body);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    return sent.handle((m, failure) -> {
      if (failure == null) {
        stored(o, m);
      } else {
        notSent(o, failure);
      }
      return null;
    });
  }

  private void stored(Outgoing o, ChatMessage m) {
    o.id = m.id();
    sentById.put(m.id(), o);
    o.show(Mark.STORED, "");
    DeliveryState early = earlyStates.remove(m.id());
    if (early != null) {
      o.show(Mark.of(early), "");
    }
    try {
      timers.schedule(() -> {
        if (o.mark == Mark.STORED) {
          o.show(Mark.STORED_OFFLINE, "");
        }
      }, OFFLINE_AFTER_MILLIS, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // the chat is closing
    }
  }

  private void notSent(Outgoing o, Throwable failure) {
    Throwable t = Sentences.unwrap(failure);
    if (t instanceof ChatException && ((ChatException) t).code() == ErrorCode.UNKNOWN_RECIPIENT) {
      knownUsers.remove(o.to.value());
      o.show(Mark.FAILED, "there is no user named " + o.to);
      if (o.to.equals(peer)) {
        peer = null;
        refreshPrompt();
        screen.println("there is no user named " + o.to + ": choose someone else with /to <user>");
      }
      return;
    }
    o.show(Mark.FAILED, Sentences.of(t));
  }

  private void view(HistoryQuery.Builder query, UserName with, long cursor) throws CliFailure {
    if (with != null) {
      query.peer(with);
    }
    HistoryQuery q = query.cursor(cursor).build();
    HistoryPage page = Await.result(() -> client.history(q), "cannot read your history");
    UserName reader = me;
    for (ChatMessage m : page.messages()) {
      knownUsers.add(m.sender().value());
      knownUsers.add(m.recipient().value());
      screen.print(format.historyLines(m, reader), false);
    }
    olderCursor = page.nextCursor();
    if (page.messages().isEmpty()) {
      screen.println(with == null || cursor != 0 ? "(no messages)"
          : "(no messages with " + with + "; if there is no such user, a message to them says so)");
    } else if (olderCursor.isPresent()) {
      screen.println("(/more shows older messages)");
    }
    List<Long> unread = page.messages().stream()
        .filter(m -> m.recipient().equals(reader) && m.state() != DeliveryState.READ)
        .map(ChatMessage::id)
        .collect(Collectors.toList());
    if (!unread.isEmpty()) {
      Await.result(() -> client.markRead(unread), "cannot mark messages read");
    }
  }

  /** The name given, else one asked for; null when the person cancelled the question. */
  private UserName userName(String given) throws CliFailure {
    String name = given;
    if (name.isEmpty()) {
      name = ask("user name: ", null);
      if (name == null) {
        return null;
      }
      name = name.strip();
    }
    return name(name);
  }

  /** A user name as typed, checked. */
  static UserName name(String text) throws CliFailure {
    if (text.isEmpty()) {
      throw new CliFailure("which user? (a name is needed)", ExitCodes.USAGE);
    }
    if (!UserName.isValid(text)) {
      throw new CliFailure("'" + MessageFormatter.safe(text) + "': " + ErrorCode.INVALID_USER_NAME.sentence(),
          ExitCodes.USAGE);
    }
    return UserName.of(text);
  }

  @Override
  public void onMessage(ChatMessage message) {
    knownUsers.add(message.sender().value());
    UserName partner = peer;
    boolean fromPartner = partner == null || partner.equals(message.sender());
    screen.print(format.incoming(message, fromPartner), !fromPartner);
    if (me != null) {
      // Shown on screen is read; a failure here leaves it unread in history, which is harmless.
      try {
        client.markRead(List.of(message.id()));
      } catch (RuntimeException e) {
        // the same: it stays unread
      }
    }
  }

  @Override
  public void onStateChanged(long messageId, UserName recipient, DeliveryState state) {
    Outgoing o = sentById.get(messageId);
    if (o == null) {
      // Sent from another device or an earlier run, or its answer is still on the way.
      earlyStates.put(messageId, state);
      return;
    }
    o.show(Mark.of(state), "");
  }

  @Override
  public void onRoomMessage(org.p2pchat.api.RoomMessage message) {
    rooms.onMessage(message);
  }

  @Override
  public void onRoomRead(long roomId, UserName reader, long upToMessageId) {
    rooms.onRead(roomId, reader, upToMessageId);
  }

  @Override
  public void onPresenceChanged(UserName contact, org.p2pchat.api.Contact.Presence presence, Optional<Instant> lastSeen) {
    MessageFormatter f = format != null ? format : configuredFormat;
    screen.println(ContactChat.presenceLine(contact, presence, lastSeen, f.zone()));
  }

  @Override
  public void onConnectionStateChanged(ConnectionState state, Optional<Instant> nextAttempt) {
    ConnectionState was = connection;
    connection = state;
    nextTry = nextAttempt.orElse(null);
    Outgoing waiting = inFlight;
    switch (state) {
      case RECONNECTING:
        if (me == null) {
          client.user().ifPresent(u -> me = u);
        }
        if (waiting != null && !waiting.isDone()) {
          waiting.requeue();
        }
        refreshPrompt();
        if (was == ConnectionState.ONLINE && me != null) { // not a resume at start
          screen.println("lost the connection to the server: reconnecting by itself; what you send waits ("
              + format.mark(Mark.QUEUED, peerOrThem(), "") + ") and goes out when it is back");
          lostOnline = true;
          startCountdown();
        }
        break;
      case ONLINE:
        refreshPrompt();
        if (was == ConnectionState.RECONNECTING && lostOnline) {
          lostOnline = false;
          screen.println("back online" + (me != null ? " as " + me : ""));
          if (waiting != null && !waiting.isDone()) {
            waiting.show(Mark.SENDING, "");
          }
        }
        break;
      default:
        refreshPrompt();
    }
  }

  /** While reconnecting, the prompt's "next try in N s" counts down once a second. */
  private void startCountdown() {
    try {
      timers.schedule(new Runnable() {
        @Override
        public void run() {
          if (connection == ConnectionState.RECONNECTING) {
            refreshPrompt();
            timers.schedule(this, 1, TimeUnit.SECONDS);
          }
        }
      }, 1, TimeUnit.SECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // the chat is closing
    }
  }

  @Override
  public void onPeerPathChanged(UserName contact, long deviceId, org.p2pchat.api.client.PeerPath path) {
    peers.onPeerPathChanged(contact, deviceId, path);
  }

  @Override
  public void onPeerKeyChanged(UserName contact, long deviceId, String oldFingerprint, String newFingerprint) {
    peers.onPeerKeyChanged(contact, deviceId, oldFingerprint, newFingerprint);
  }

  @Override
  public void onFileOffered(org.p2pchat.api.client.IncomingFile file) {
    peers.onFileOffered(file);
  }

  @Override
  public void onFileProgress(org.p2pchat.api.client.FileTransfer transfer, long doneBytes) {
    peers.onFileProgress(transfer, doneBytes);
  }

  @Override
  public void onFileReceived(org.p2pchat.api.client.FileTransfer transfer, java.nio.file.Path file, String sha256) {
    peers.onFileReceived(transfer, file, sha256);
  }

  @Override
  public void onFileFailed(org.p2pchat.api.client.FileTransfer transfer, String reason) {
    peers.onFileFailed(transfer, reason);
  }

  @Override
  public void onSessionLost(ChatException cause) {
    me = null;
    peer = null;
    refreshPrompt();
    screen.println("session lost: " + cause.code().sentence() + ". Log in again with /login <name>.");
  }

  private void complete(LineReader r, ParsedLine line, List<Candidate> candidates) {
    List<String> commands = me == null ? LOGIN_COMMANDS : CHAT_COMMANDS;
    if (line.wordIndex() == 0) {
      if (line.word().isEmpty() || line.word().startsWith("/")) {
        commands.forEach(c -> candidates.add(new Candidate(c)));
      }
    } else if (line.wordIndex() == 1 && me != null && TAKES_A_NAME.contains(line.words().get(0))) {
      knownUsers.forEach(u -> candidates.add(new Candidate(u)));
    } else if (me != null && line.words().get(0).equals("/file")) {
      if (line.wordIndex() == 1) {
        FILE_NAMES.complete(r, line, candidates);
      } else if (line.wordIndex() == 2) {
        knownUsers.forEach(u -> candidates.add(new Candidate(u)));
      }
    } else if (line.wordIndex() == 1 && me != null && Set.of("/accept", "/refuse").contains(line.words().get(0))) {
      peers.offerNumbers().forEach(n -> candidates.add(new Candidate(n)));
    }
  }

  private void loginHelp() {
    screen.println("  /login <name>     log in\n"
        + "  /register <name>  create an account, then log in\n"
        + "  /quit             leave (or Ctrl-D)");
  }

  private void chatHelp() {
    screen.println("  /to <user>         talk to <user>: then every plain line is sent to them\n"
        + "  /msg <user> <text> send one message to <user>\n"
        + "  /view [user]       the latest messages (with <user>, or your partner, or everyone)\n"
        + "  /more              older messages of the last /view\n"
        + "  /unread            messages you have not read yet\n"
        + peers.help() + "\n"
        + "  /devices           your devices; /revoke <number> signs one out\n"
        + "  /export <file>     all your data as JSON into a new file, readable by you only\n"
        + "  /delete-account    delete your account for good (asks your name and password)\n"
        + "  /logout            log out and forget this device (/logout everywhere: every device)\n"
        + RoomChat.HELP + "\n"
        + ContactChat.HELP + "\n"
        + "  /quit              leave (the next start resumes your session)\n"
        + "  Ctrl-C clears the line; Ctrl-D goes back (stops talking to someone, then logs out, then leaves).\n"
        + "  Tab completes commands and user names; new messages appear as they arrive.\n"
        + "  Your messages show how far they got: " + format.mark(Mark.QUEUED, peerOrThem(), "") + ", "
        + format.mark(Mark.SENDING, peerOrThem(), "") + ", " + format.mark(Mark.STORED, peerOrThem(), "") + ", "
        + format.mark(Mark.DELIVERED, peerOrThem(), "") + ", " + format.mark(Mark.READ, peerOrThem(), "") + ".");
  }

  private UserName peerOrThem() {
    UserName p = peer;
    return p == null ? UserName.of("them") : p;
  }
}
