package org.p2pchat.cli.ref;

import java.util.List;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.Room;
import org.p2pchat.api.RoomHistoryPage;
import org.p2pchat.api.RoomLimits;
import org.p2pchat.api.RoomMember;
import org.p2pchat.api.RoomMessage;
import org.p2pchat.api.UserName;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code p2pchat room ...}: the rooms of docs/protocol.md section 19, one subcommand each, each
 * logging in, doing one thing and logging out, with {@code --json} like every subcommand.
 */
final class RoomCommand {
  private RoomCommand() {}

  /** The {@code room} command with its subcommands. */
  static CommandLine commandLine(CliContext ctx) {
    CommandLine room = new CommandLine(new Parent());
    for (Object sub : List.of(new Create(ctx), new Add(ctx), new Remove(ctx), new Leave(ctx), new Rename(ctx),
        new ListRooms(ctx), new Members(ctx), new Send(ctx), new View(ctx), new Read(ctx))) {
      room.addSubcommand(sub);
    }
    return room;
  }

  @Command(name = "room", description = "Rooms: group conversations (create, add, remove, leave, rename, list, members, send, view, read).",
      mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND")
  static final class Parent implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
      throw new ParameterException(spec.commandLine(), "Missing a room command (see --help)");
    }
  }

  /** What the room subcommands share: the room parameter and its check. */
  abstract static class RoomScript extends ScriptCommand {
    RoomScript(CliContext ctx) {
      super(ctx);
    }

    long room(long id) {
      if (id <= 0) {
        throw new ParameterException(spec.commandLine(), "Invalid value for ROOM: '" + id + "' is not a room id");
      }
      return id;
    }

    String title(List<String> words) {
      String t = String.join(" ", words);
      try {
        RoomLimits.checkTitle(t);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "Invalid TITLE: 1 to " + RoomLimits.MAX_TITLE_BYTES + " bytes");
      }
      return t;
    }

    RoomText text() {
      return new RoomText(ctx.zone);
    }
  }

  @Command(name = "create", description = "Create a room that you own.", mixinStandardHelpOptions = true)
  static final class Create extends RoomScript {
    @Parameters(arity = "1..*", paramLabel = "TITLE", description = "The room's title.")
    List<String> words;

    Create(CliContext ctx) {
      super(ctx);
    }

    @Override
    void run(UserName me) throws CliFailure {
      String t = title(words);
      Room r = loggedIn(me, c -> Await.result(c.rooms().create(t), "cannot create the room"));
      print("created " + text().room(r), new Json().raw("room", RoomText.json(r)));
    }
  }

  @Command(name = "add", description = "Add a user to a room you own.", mixinStandardHelpOptions = true)
  static final class Add extends RoomScript {
    @Parameters(index = "0", paramLabel = "ROOM", description = "The room's id.")
    long room;

    @Parameters(index = "1", paramLabel = "USER", description = "Who to add.")
    String member;

    Add(CliContext ctx) {
      super(ctx);
    }

    @Override
    void run(UserName me) throws CliFailure {
      long id = room(room);
      UserName who = name("USER", member);
      loggedIn(me, c -> Await.result(c.rooms().add(id, who), "cannot add " + who + " to room " + id));
      print("added " + who + " to room " + id, new Json().put("room", id).put("added", who.value()));
    }
  }

  @Command(name = "remove", description = "Remove a member from a room you own.", mixinStandardHelpOptions = true)
  static final class Remove extends RoomScript {
    @Parameters(index = "0", paramLabel = "ROOM", description = "The room's id.")
    long room;

    @Parameters(index = "1", paramLabel = "USER", description = "Who to remove.")
    String member;

    Remove(CliContext ctx) {
      super(ctx);
    }

    @Override
    void run(UserName me) throws CliFailure {
      long id = room(room);
      UserName who = name("USER", member);
      loggedIn(me, c -> Await.result(c.rooms().remove(id, who), "cannot remove " + who + " from room " + id));
      print("removed " + who + " from room " + id, new Json().put("room", id).put("removed", who.value()));
    }
  }

  @Command(name = "leave", description = "Leave a room (an owner hands it to the earliest member).",
      mixinStandardHelpOptions = true)
  static final class Leave extends RoomScript {
    @Parameters(index = "0", paramLabel = "ROOM", description = "The room's id.")
    long room;

    Leave(CliContext ctx) {
      super(ctx);
    }

    @Override
    void run(UserName me) throws CliFailure {
      long id = room(room);
      loggedIn(me, c -> Await.result(c.rooms().leave(id), "cannot leave room " + id));
      print("left room " + id, new Json().put("room", id).put("left", true));
    }
  }

  @Command(name = "rename", description = "Rename a room you own.", mixinStandardHelpOptions = true)
  static final class Rename extends RoomScript {
    @Parameters(index = "0", paramLabel = "ROOM", description = "The room's id.")
    long room;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "TITLE", description = "The new title.")
    List<String> words;

    Rename(CliContext ctx) {
      super(ctx);
    }

    @Override
    void run(UserName me) throws CliFailure {
      long id = room(room);
      String t = title(words);
      loggedIn(me, c -> Await.result(c.rooms().rename(id, t), "cannot rename room " + id));
      print("renamed room " + id, new Json().put("room", id).put("title", t));
    }
  }

  @Command(name = "list", description = "List the rooms you belong to.", mixinStandardHelpOptions = true)
  static final class ListRooms extends RoomScript {
    ListRooms(CliContext ctx) {
      super(ctx);
    }

    @Override
    void run(UserName me) throws CliFailure {
      List<Room> rooms = loggedIn(me, c -> Await.result(c.rooms().list(), "cannot list your rooms"));
      StringBuilder human = new StringBuilder();
      RoomText text = text();
      rooms.forEach(r -> human.append(text.room(r)).append(System.lineSeparator()));
      print(rooms.isEmpty() ? "(no rooms)" : human.toString().stripTrailing(),
          new Json().raw("rooms", RoomText.array(rooms, RoomText::json)));
    }
  }

  @Command(name = "members", description = "List a room's members and how far each has read.",
      mixinStandardHelpOptions = true)
  static final class Members extends RoomScript {
    @Parameters(index = "0", paramLabel = "ROOM", description = "The room's id.")
    long room;

    Members(CliContext ctx) {
      super(ctx);
    }

    @Override
    void run(UserName me) throws CliFailure {
      long id = room(room);
      List<RoomMember> members = loggedIn(me, c -> Await.result(c.rooms().members(id), "cannot list room " + id));
      StringBuilder human = new StringBuilder();
      members.forEach(m -> human.append(m.name()).append(m.readUpTo() > 0 ? " (read up to #" + m.readUpTo() + ")" : "")
          .append(System.lineSeparator()));
      print(human.toString().stripTrailing(), new Json().put("room", id).raw("members", RoomText.array(members, RoomText::json)));
    }
  }

  @Command(name = "send", description = "Send a message to a room.", mixinStandardHelpOptions = true)
  static final class Send extends RoomScript {
    @Parameters(index = "0", paramLabel = "ROOM", description = "The room's id.")
    long room;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "TEXT", description = "The message.")
    List<String> words;

    Send(CliContext ctx) {
      super(ctx);
    }

    @Override
    void run(UserName me) throws CliFailure {
      long id = room(room);
      String body = String.join(" ", words);
      try {
        ChatMessage.checkBody(body, org.p2pchat.api.ProtocolLimits.MAX_BODY_BYTES); // rooms keep one text field
      } catch (ChatException e) {
        throw CliFailure.of("cannot send to room " + id, e);
      } catch (IllegalArgumentException e) {
        throw new CliFailure("cannot send to room " + id + ": the message is empty", ExitCodes.USAGE);
      }
      RoomMessage sent = loggedIn(me, c -> Await.result(c.rooms().send(id, body), "cannot send to room " + id));
      print("sent #" + sent.id() + " to room " + id, new Json().raw("message", RoomText.json(sent)));
    }
  }

  @Command(name = "view", description = "Print a page of a room's history, oldest first.", mixinStandardHelpOptions = true)
  static final class View extends RoomScript {
    @Parameters(index = "0", paramLabel = "ROOM", description = "The room's id.")
    long room;

    @Option(names = "--unread", description = "Only messages from others that you have not marked read.")
    boolean unread;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "At most this many, 1 to 100. Default: ${DEFAULT-VALUE}")
    int limit;

    @Option(names = "--before", paramLabel = "CURSOR", description = "Only messages older than this cursor.")
    long before;

    @Option(names = "--mark-read", description = "Then mark the room read up to the newest message shown.")
    boolean markRead;

    View(CliContext ctx) {
      super(ctx);
    }

    @Override
    void run(UserName me) throws CliFailure {
      long id = room(room);
      if (limit < 1 || limit > HistoryQuery.MAX_LIMIT || before < 0) {
        throw new ParameterException(spec.commandLine(), "Invalid --limit (1 to 100) or --before (a cursor)");
      }
      HistoryQuery q = HistoryQuery.builder().unreadOnly(unread).limit(limit).cursor(before).build();
      RoomHistoryPage page = loggedIn(me, c -> {
        RoomHistoryPage p = Await.result(c.rooms().history(id, q), "cannot read room " + id);
        if (markRead && !p.messages().isEmpty()) {
          Await.result(c.rooms().markRead(id, p.messages().get(p.messages().size() - 1).id()), "cannot mark room " + id + " read");
        }
        return p;
      });
      StringBuilder human = new StringBuilder();
      RoomText text = text();
      page.messages().forEach(m -> human.append(text.historyLine(m)).append(System.lineSeparator()));
      page.nextCursor().ifPresent(cur -> human.append("(older messages: --before ").append(cur).append(')'));
      print(page.messages().isEmpty() ? "(no messages)" : human.toString().stripTrailing(), new Json().put("room", id)
          .raw("messages", RoomText.array(page.messages(), RoomText::json)).put("nextCursor", page.nextCursor()));
    }
  }

  @Command(name = "read", description = "Mark a room read up to a message.", mixinStandardHelpOptions = true)
  static final class Read extends RoomScript {
    @Parameters(index = "0", paramLabel = "ROOM", description = "The room's id.")
    long room;

    @Parameters(index = "1", paramLabel = "MESSAGE", description = "The newest message read (its id).")
    long upTo;

    Read(CliContext ctx) {
      super(ctx);
    }

    @Override
    void run(UserName me) throws CliFailure {
      long id = room(room);
      if (upTo <= 0) {
        throw new ParameterException(spec.commandLine(), "Invalid value for MESSAGE: '" + upTo + "' is not a message id");
      }
      loggedIn(me, c -> Await.result(c.rooms().markRead(id, upTo), "cannot mark room " + id + " read"));
      print("marked room " + id + " read up to #" + upTo, new Json().put("room", id).put("readUpTo", upTo));
    }
  }
}
