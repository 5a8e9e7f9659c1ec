package org.p2pchat.cli.ref;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.stream.Collectors;
import org.jline.reader.Candidate;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.HistoryPage;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.client.ChatListener;

/**
 * The interactive chat on a terminal: a login screen ({@code /login}, {@code /register}), then a
 * chat screen where plain lines go to the chosen partner and incoming messages appear live
 * above the input line.
 *
 * <p>{@link #run} runs on one thread; the client calls the {@link ChatListener} methods on its
 * own thread, which only print above the prompt and mark messages read.
 */
public final class InteractiveChat implements ChatListener {
  private static final List<String> LOGIN_COMMANDS = List.of("/login", "/register", "/help", "/quit");
  private static final List<String> CHAT_COMMANDS =
      List.of("/to", "/msg", "/view", "/more", "/unread", "/room", "/contact", "/logout", "/help", "/quit");
  private static final Set<String> TAKES_A_NAME = Set.of("/to", "/msg", "/view");

  private final Terminal terminal;
  private final ClientFactory clients;
  private final InetSocketAddress server;
  private final ServerOption serverOption;
  private final MessageFormatter format;
  private final Set<String> knownUsers = new ConcurrentSkipListSet<>();

  private LineReader reader;
  private LineReader secretReader;
  private ChatClient client;
  private volatile UserName me;
  private UserName peer;
  private UserName viewPeer;
  private OptionalLong olderCursor = OptionalLong.empty();
  private final RoomChat rooms = new RoomChat(this::println, t -> reader.printAbove(t), () -> client);
  private final ContactChat contacts = new ContactChat(this::println, () -> client);

  /** A chat on {@code terminal} with {@code server}; {@link #run} opens the client. */
  public InteractiveChat(Terminal terminal, ClientFactory clients, InetSocketAddress server, MessageFormatter format) {
    this(terminal, clients, server, null, format);
  }

  /** A chat on {@code terminal} with the server of {@code server}'s options, trusting its key as they say. */
  public InteractiveChat(Terminal terminal, ClientFactory clients, ServerOption server, MessageFormatter format) {
    this(terminal, clients, server.address(), server, format);
  }

  private InteractiveChat(Terminal terminal, ClientFactory clients, InetSocketAddress server,
      ServerOption serverOption, MessageFormatter format) {
    this.terminal = terminal;
    this.clients = clients;
    this.server = server;
    this.serverOption = serverOption;
    this.format = format;
  }

  /**
   * Runs until {@code /quit} or Ctrl-D, then logs out and closes the client.
   *
   * @return the exit status: {@link ExitCodes#OK}, {@link ExitCodes#UNREACHABLE} when no
   *     client could be opened, or that of a {@link ServerKeyException}
   */
  public int run() {
    reader = LineReaderBuilder.builder()
        .terminal(terminal)
        .appName("p2pchat")
        .completer(this::complete)
        .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
        .build();
    // A reader of its own for passwords, with history off, so that no arrow key brings one back.
    secretReader = LineReaderBuilder.builder().terminal(terminal).variable(LineReader.DISABLE_HISTORY, true).build();
    try {
      client = serverOption != null ? clients.open(serverOption, this) : clients.open(server, this);
    } catch (ServerKeyException e) {
      println(e.getMessage());
      return e.exitCode();
    } catch (IOException e) {
      println("cannot open a UDP socket: " + e.getMessage());
      return ExitCodes.UNREACHABLE;
    }
    try {
      println("p2pchat - server " + server.getHostString() + ":" + server.getPort());
      loginHelp();
      boolean going = true;
      while (going) {
        String line;
        try {
          line = reader.readLine(prompt());
        } catch (UserInterruptException e) {
          continue; // Ctrl-C drops the line being typed, as in a shell
        } catch (EndOfFileException e) {
          break;
        }
        going = handle(line.strip());
      }
      return ExitCodes.OK;
    } finally {
      client.close();
      println("bye");
    }
  }

  private String prompt() {
    UserName user = me;
    if (user == null) {
      return "p2pchat> ";
    }
    return peer == null ? user + "> " : user + " -> " + peer + "> ";
  }

  private boolean handle(String line) {
    if (line.isEmpty()) {
      return true;
    }
    String[] words = line.split("\\s+", 2);
    String command = words[0];
    String rest = words.length > 1 ? words[1] : "";
    try {
      if (command.equals("/quit")) {
        return false;
      }
      if (me == null) {
        loginScreen(command, rest);
      } else {
        chatScreen(line, command, rest);
      }
    } catch (CliFailure f) {
      println(f.getMessage());
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
        println("you are not logged in: type /login <name> or /register <name> (/help lists all)");
    }
  }

  private void chatScreen(String line, String command, String rest) throws CliFailure {
    switch (command) {
      case "/to":
        peer = name(rest);
        knownUsers.add(peer.value());
        println("talking to " + peer + ": type a line and Enter to send it");
        break;
      case "/msg": {
        String[] words = rest.split("\\s+", 2);
        if (words.length < 2) {
          println("usage: /msg <user> <text>");
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
          println("no older messages");
        } else {
          view(HistoryQuery.builder(), viewPeer, olderCursor.getAsLong());
        }
        break;
      case "/unread":
        viewPeer = null;
        view(HistoryQuery.builder().unreadOnly(true), null, 0);
        break;
      case "/logout":
        UserName was = me;
        me = null;
        peer = null;
        Await.result(client.logout(), "cannot log out");
        println("logged out " + was);
        break;
      case "/room":
        rooms.handle(rest);
        break;
      case "/contact":
        contacts.handle(rest);
        break;
      case "/help":
        chatHelp();
        break;
      default:
        if (command.startsWith("/")) {
          println("unknown command " + command + " (/help lists them)");
        } else if (peer == null) {
          println("who to? choose with /to <user>, or send with /msg <user> <text>");
        } else {
          send(peer, line);
        }
    }
  }

  private void login(UserName name) throws CliFailure {
    String password = secretReader.readLine("password for " + name + ": ", LineReaderImpl.NULL_MASK);
    Await.result(client.login(name, password), "cannot log in as " + name);
    me = name;
    println("logged in as " + name + ". Choose who to talk to with /to <user>; /help lists all commands.");
    HistoryPage unread = Await.result(client.history(HistoryQuery.builder().unreadOnly(true).limit(HistoryQuery.MAX_LIMIT).build()),
        "cannot count unread messages");
    unread.messages().forEach(m -> knownUsers.add(m.sender().value()));
    if (!unread.messages().isEmpty()) {
      String more = unread.nextCursor().isPresent() ? "+" : "";
      println("you have " + unread.messages().size() + more + " unread message(s): /unread shows them");
    }
  }

  private void register(UserName name) throws CliFailure {
    String password = secretReader.readLine("choose a password for " + name + ": ", LineReaderImpl.NULL_MASK);
    String again = secretReader.readLine("repeat it: ", LineReaderImpl.NULL_MASK);
    if (!password.equals(again)) {
      println("the two passwords differ; try again");
      return;
    }
    Await.result(client.register(name, password), "cannot register " + name);
    println("registered " + name);
    Await.result(client.login(name, password), "cannot log in as " + name);
    me = name;
    println("logged in as " + name + ". Choose who to talk to with /to <user>; /help lists all commands.");
  }

  private void send(UserName to, String body) throws CliFailure {
    try {
      ChatMessage.checkBody(body);
    } catch (ChatException e) {
      throw CliFailure.of("cannot send to " + to, e);
    }
    ChatMessage sent = Await.result(client.send(to, body), "cannot send to " + to);
    knownUsers.add(to.value());
    println(format.sent(sent));
  }

  private void view(HistoryQuery.Builder query, UserName with, long cursor) throws CliFailure {
    if (with != null) {
      query.peer(with);
    }
    HistoryPage page = Await.result(client.history(query.cursor(cursor).build()), "cannot read your history");
    UserName reader = me;
    for (ChatMessage m : page.messages()) {
      knownUsers.add(m.sender().value());
      knownUsers.add(m.recipient().value());
      println(format.historyLine(m, reader));
    }
    olderCursor = page.nextCursor();
    if (page.messages().isEmpty()) {
      println("(no messages)");
    } else if (olderCursor.isPresent()) {
      println("(/more shows older messages)");
    }
    List<Long> unread = page.messages().stream()
        .filter(m -> m.recipient().equals(reader) && m.state() != DeliveryState.READ)
        .map(ChatMessage::id)
        .collect(Collectors.toList());
    if (!unread.isEmpty()) {
      Await.result(client.markRead(unread), "cannot mark messages read");
    }
  }

  private UserName userName(String given) throws CliFailure {
    String name = given;
    if (name.isEmpty()) {
      name = reader.readLine("user name: ").strip();
    }
    return name(name);
  }

  private static UserName name(String text) throws CliFailure {
    if (text.isEmpty()) {
      throw new CliFailure("which user? (a name is needed)", ExitCodes.USAGE);
    }
    if (!UserName.isValid(text)) {
      throw new CliFailure("'" + MessageFormatter.safe(text) + "': " + org.p2pchat.api.ErrorCode.INVALID_USER_NAME.sentence(),
          ExitCodes.USAGE);
    }
    return UserName.of(text);
  }

  @Override
  public void onMessage(ChatMessage message) {
    knownUsers.add(message.sender().value());
    reader.printAbove(format.incoming(message));
    if (me != null) {
      // Shown on screen is read; a failure here leaves it unread in history, which is harmless.
      client.markRead(List.of(message.id()));
    }
  }

  @Override
  public void onStateChanged(long messageId, UserName recipient, DeliveryState state) {
    reader.printAbove(format.stateChange(messageId, recipient, state));
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
  public void onSessionLost(ChatException cause) {
    me = null;
    reader.printAbove("session lost: " + cause.code().sentence() + ". Log in again with /login <name>.");
  }

  private void complete(LineReader r, ParsedLine line, List<Candidate> candidates) {
    List<String> commands = me == null ? LOGIN_COMMANDS : CHAT_COMMANDS;
    if (line.wordIndex() == 0) {
      if (line.word().isEmpty() || line.word().startsWith("/")) {
        commands.forEach(c -> candidates.add(new Candidate(c)));
      }
    } else if (line.wordIndex() == 1 && me != null && TAKES_A_NAME.contains(line.words().get(0))) {
      knownUsers.forEach(u -> candidates.add(new Candidate(u)));
    }
  }

  private void loginHelp() {
    println("  /login <name>     log in");
    println("  /register <name>  create an account, then log in");
    println("  /quit             leave (or Ctrl-D)");
  }

  private void chatHelp() {
    println("  /to <user>         talk to <user>: then every plain line is sent to them");
    println("  /msg <user> <text> send one message to <user>");
    println("  /view [user]       the latest messages (with <user>, or your partner, or everyone)");
    println("  /more              older messages of the last /view");
    println("  /unread            messages you have not read yet");
    println("  /logout            log out, back to the login screen");
    println(RoomChat.HELP);
    println(ContactChat.HELP);
    println("  /quit              log out and leave (or Ctrl-D)");
    println("  Tab completes commands and user names; new messages appear as they arrive.");
  }

  private void println(String text) {
    PrintWriter w = terminal.writer();
    w.println(text);
    w.flush();
  }
}
