package org.p2pchat.protocol.client.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.Contact;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.Room;
import org.p2pchat.api.RoomMember;
import org.p2pchat.api.RoomMessage;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.AccountInfo;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.client.ExportSummary;

/**
 * One export of a user's data (docs/protocol.md section 22.3): the JSON document, written to
 * {@code out} as each page arrives, so that only one page of messages is held at a time. Built on
 * the client's own calls; each step runs on the client's event thread when the previous answer
 * arrives, so steps never overlap and the writer needs no lock.
 */
final class AccountExport {
  /** Entries per history page: the most a HISTORY or ROOM_HISTORY asks for. */
  private static final int PAGE = HistoryQuery.MAX_LIMIT;

  private final ChatClient client;
  private final Writer out;
  private final CompletableFuture<ExportSummary> result = new CompletableFuture<>();
  private int contacts;
  private int blocks;
  private int roomCount;
  private long roomMessages;
  private long messages;

  AccountExport(ChatClient client, Writer out) {
    this.client = client;
    this.out = out;
  }

  CompletableFuture<ExportSummary> run() {
    client.account()
        .thenCompose(this::head)
        .thenCompose(v -> client.rooms().list())
        .whenComplete((rooms, failure) -> {
          if (failure != null) {
            fail(failure);
            return;
          }
          try {
            rooms(rooms, 0);
          } catch (RuntimeException e) {
            fail(e);
          }
        });
    return result;
  }

  private CompletableFuture<Void> head(AccountInfo account) {
    write("{\"format\":\"p2pchat-export\",\"version\":1,\"exportedAt\":");
    string(Instant.now().toString());
    write(",\"account\":{\"name\":");
    string(account.name().value());
    write(",\"createdAt\":");
    string(account.createdAt().toString());
    write("},\n\"contacts\":[");
    return client.contacts().list().thenCompose(list -> {
      for (Contact c : list) {
        if (contacts++ > 0) {
          write(",");
        }
        string(c.name().value());
      }
      write("],\n\"blocks\":[");
      return client.contacts().blocked();
    }).thenAccept(list -> {
      for (UserName u : list) {
        if (blocks++ > 0) {
          write(",");
        }
        string(u.value());
      }
      write("],\n\"rooms\":[");
    });
  }

  /** Writes room {@code i} of {@code rooms}, then the rest, then the messages. */
  private void rooms(List<Room> rooms, int i) {
    if (i == rooms.size()) {
      roomCount = rooms.size();
      write("],\n\"messages\":[");
      messages(0);
      return;
    }
    Room room = rooms.get(i);
    if (i > 0) {
      write(",");
    }
    write("\n{\"id\":" + room.id() + ",\"title\":");
    string(room.title());
    write(",\"owner\":");
    string(room.owner().value());
    write(",\"members\":[");
    client.rooms().members(room.id()).whenComplete((members, failure) -> {
      if (failure != null) {
        fail(failure);
        return;
      }
      try {
        int n = 0;
        for (RoomMember m : members) {
          write(n++ > 0 ? ",{\"name\":" : "{\"name\":");
          string(m.name().value());
          write(",\"readUpTo\":" + m.readUpTo() + "}");
        }
        write("],\"messages\":[");
        roomPage(rooms, i, 0, true);
      } catch (RuntimeException e) {
        fail(e);
      }
    });
  }

  private void roomPage(List<Room> rooms, int i, long cursor, boolean first) {
    long roomId = rooms.get(i).id();
    client.rooms().history(roomId, after(cursor)).whenComplete((page, failure) -> {
      if (failure != null) {
        fail(failure);
        return;
      }
      try {
        boolean none = first;
        for (RoomMessage m : page.messages()) {
          write(none ? "\n" : ",\n");
          none = false;
          roomMessage(m);
        }
        if (page.nextCursor().isPresent()) {
          roomPage(rooms, i, page.nextCursor().getAsLong(), none);
        } else {
          write("]}");
          rooms(rooms, i + 1);
        }
      } catch (RuntimeException e) {
        fail(e);
      }
    });
  }

  private void messages(long cursor) {
    client.history(after(cursor)).whenComplete((page, failure) -> {
      if (failure != null) {
        fail(failure);
        return;
      }
      try {
        for (ChatMessage m : page.messages()) {
          write(messages++ > 0 ? ",\n" : "\n");
          message(m);
        }
        if (page.nextCursor().isPresent()) {
          messages(page.nextCursor().getAsLong());
        } else {
          finish();
        }
      } catch (RuntimeException e) {
        fail(e);
      }
    });
  }

  private void finish() {
    write("],\n\"counts\":{\"contacts\":" + contacts + ",\"blocks\":" + blocks + ",\"rooms\":" + roomCount
        + ",\"roomMessages\":" + roomMessages + ",\"messages\":" + messages + "}}\n");
    try {
      out.flush();
    } catch (IOException e) {
      fail(e);
      return;
    }
    result.complete(new ExportSummary(contacts, blocks, roomCount, roomMessages, messages));
  }

  private void roomMessage(RoomMessage m) {
    roomMessages++;
    write("{\"id\":" + m.id() + ",\"sender\":");
    string(m.sender().value());
    write(",\"sentAt\":");
    string(m.sentAt().toString());
    write(",\"readCount\":" + m.readCount() + ",\"body\":");
    string(m.body());
    write("}");
  }

  private void message(ChatMessage m) {
    write("{\"id\":" + m.id() + ",\"sender\":");
    string(m.sender().value());
    write(",\"recipient\":");
    string(m.recipient().value());
    write(",\"sentAt\":");
    string(m.sentAt().toString());
    write(",\"state\":\"" + m.state().name() + "\",\"body\":");
    string(m.body());
    write("}");
  }

  private static HistoryQuery after(long cursor) {
    return HistoryQuery.builder().direction(HistoryQuery.Direction.AFTER).cursor(cursor).limit(PAGE).build();
  }

  private void fail(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof UncheckedIOException io) {
      cause = io.getCause();
    }
    if (cause instanceof ChatException) {
      result.completeExceptionally(cause);
    } else {
      result.completeExceptionally(new ChatException(ErrorCode.INTERNAL, "the export failed: " + cause, cause));
    }
  }

  private void write(String s) {
    try {
      out.write(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A JSON string (RFC 8259): quotes, backslashes and control characters escaped. */
  private void string(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    write(b.append('"').toString());
  }
}
