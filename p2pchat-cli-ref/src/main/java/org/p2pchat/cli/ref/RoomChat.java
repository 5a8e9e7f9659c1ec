package org.p2pchat.cli.ref;

import java.time.ZoneId;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.Room;
import org.p2pchat.api.RoomHistoryPage;
import org.p2pchat.api.RoomMember;
import org.p2pchat.api.RoomMessage;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;

/**
 * The {@code /room} commands of the interactive chat, and how room pushes appear above the
 * prompt. Commands run on the chat's thread; {@link #onMessage} and {@link #onRead} on the
 * client's listener thread, where they only print.
 */
final class RoomChat {
  static final String HELP = "  /room               rooms: /room help lists the room commands";

  private final Consumer<String> println;
  private final Consumer<String> printAbove;
  private final Supplier<ChatClient> client;
  private final RoomText text = new RoomText(ZoneId.systemDefault());

  RoomChat(Consumer<String> println, Consumer<String> printAbove, Supplier<ChatClient> client) {
    this.println = println;
    this.printAbove = printAbove;
    this.client = client;
  }

  /** Runs {@code /room <rest>}. */
  void handle(String rest) throws CliFailure {
    String[] w = rest.isBlank() ? new String[] {"help"} : rest.strip().split("\\s+", 3);
    ChatClient c = client.get();
    switch (w[0]) {
      case "create" -> {
        Room r = Await.result(c.rooms().create(arg(w, 1) + (w.length > 2 ? " " + w[2] : "")), "cannot create the room");
        println.accept("created " + text.room(r));
      }
      case "list" -> {
        List<Room> rooms = Await.result(c.rooms().list(), "cannot list your rooms");
        rooms.forEach(r -> println.accept(text.room(r)));
        if (rooms.isEmpty()) {
          println.accept("(no rooms)");
        }
      }
      case "add" -> {
        long id = id(w);
        Await.result(c.rooms().add(id, UserName.of(arg(w, 2))), "cannot add to room " + id);
        println.accept("added " + w[2] + " to room " + id);
      }
      case "remove" -> {
        long id = id(w);
        Await.result(c.rooms().remove(id, UserName.of(arg(w, 2))), "cannot remove from room " + id);
        println.accept("removed " + w[2] + " from room " + id);
      }
      case "leave" -> {
        long id = id(w);
        Await.result(c.rooms().leave(id), "cannot leave room " + id);
        println.accept("left room " + id);
      }
      case "rename" -> {
        long id = id(w);
        Await.result(c.rooms().rename(id, arg(w, 2)), "cannot rename room " + id);
        println.accept("renamed room " + id);
      }
      case "members" -> {
        long id = id(w);
        for (RoomMember m : Await.result(c.rooms().members(id), "cannot list room " + id)) {
          println.accept(m.name() + (m.readUpTo() > 0 ? " (read up to #" + m.readUpTo() + ")" : ""));
        }
      }
      case "say" -> {
        long id = id(w);
        String body = arg(w, 2);
        try {
          ChatMessage.checkBody(body, org.p2pchat.api.ProtocolLimits.MAX_BODY_BYTES); // rooms keep one text field
        } catch (ChatException e) {
          throw CliFailure.of("cannot send to room " + id, e);
        }
        RoomMessage m = Await.result(c.rooms().send(id, body), "cannot send to room " + id);
        println.accept(text.incoming(m));
      }
      case "view" -> {
        long id = id(w);
        RoomHistoryPage page = Await.result(c.rooms().history(id, HistoryQuery.latest()), "cannot read room " + id);
        page.messages().forEach(m -> println.accept(text.historyLine(m)));
        if (page.messages().isEmpty()) {
          println.accept("(no messages)");
        } else {
          long newest = page.messages().get(page.messages().size() - 1).id();
          Await.result(c.rooms().markRead(id, newest), "cannot mark room " + id + " read");
        }
      }
      default -> help();
    }
  }

  private void help() {
    println.accept("  /room create <title>        a room you own");
    println.accept("  /room list                  your rooms");
    println.accept("  /room add|remove <id> <user>  members (owner only)");
    println.accept("  /room leave <id>            leave a room");
    println.accept("  /room rename <id> <title>   rename (owner only)");
    println.accept("  /room members <id>          members and how far they read");
    println.accept("  /room say <id> <text>       send to a room");
    println.accept("  /room view <id>             the latest messages, then marked read");
  }

  /** A pushed room message, above the prompt. */
  void onMessage(RoomMessage m) {
    printAbove.accept(text.incoming(m));
  }

  /** A pushed read marker, above the prompt. */
  void onRead(long roomId, UserName reader, long upTo) {
    printAbove.accept("  (room " + roomId + " read by " + reader + " up to #" + upTo + ")");
  }

  private static String arg(String[] w, int i) throws CliFailure {
    if (w.length <= i || w[i].isBlank()) {
      throw new CliFailure("missing an argument: /room help shows the usage", ExitCodes.USAGE);
    }
    return w[i];
  }

  private static long id(String[] w) throws CliFailure {
    try {
      long id = Long.parseLong(arg(w, 1));
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new CliFailure("not a room id: " + w[1], ExitCodes.USAGE);
  }
}
