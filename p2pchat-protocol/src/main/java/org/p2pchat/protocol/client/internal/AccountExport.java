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
      messages();
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
    roomPage(rooms, i, cursor, first, PAGE);
  }

  /** As a span of one-to-one messages does, asks for about as many entries as the last page held. */
  private void roomPage(List<Room> rooms, int i, long cursor, boolean first, int limit) {
    long roomId = rooms.get(i).id();
    client.rooms().history(roomId, after(cursor, limit)).whenComplete((page, failure) -> {
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
          int fitted = page.messages().size();
          roomPage(rooms, i, page.nextCursor().getAsLong(), none,
              fitted < limit ? Math.max(1, fitted + 2) : Math.min(PAGE, limit * 2));
        } else {
          write("]}");
          rooms(rooms, i + 1);
        }
      } catch (RuntimeException e) {
        fail(e);
      }
    });
  }

  /**
   * The one-to-one messages, in id order. A page holds what fits one datagram (a handful of long
   * messages), so reading page after page would cost one round trip each; instead the ids up to
   * the newest are cut into {@link #SPANS} spans read {@link #WINDOW} at a time, each page by
   * page. The oldest unfinished span (the head) is written as its pages arrive; the others keep
   * at most {@link #SPAN_BUFFER} messages each, then wait for their turn: memory stays bounded by
   * WINDOW x SPAN_BUFFER messages.
   */
  private void messages() {
    client.history(HistoryQuery.builder().direction(HistoryQuery.Direction.BEFORE).limit(1).build())
        .whenComplete((newest, failure) -> {
          if (failure != null) {
            fail(failure);
            return;
          }
          if (newest.messages().isEmpty()) {
            finish();
            return;
          }
          long top = newest.messages().get(0).id();
          long width = Math.max(1, (top + SPANS - 1) / SPANS);
          for (long lo = 0; lo < top; lo += width) {
            spans.add(new Span(lo, Math.min(top, lo + width)));
          }
          for (int i = 0; i < Math.min(WINDOW, spans.size()); i++) {
            request(spans.get(i));
          }
        });
  }

  /** Spans of message ids, (lo, hi], read in parallel, written in order. */
  private static final int SPANS = 256;
  /** Spans read at once. */
  private static final int WINDOW = 8;
  /** Messages a span that is not the head may hold before it waits. */
  private static final int SPAN_BUFFER = 500;

  /** A span of message ids, (lo, hi], and how far it was read. */
  private static final class Span {
    final long hi;
    long cursor;
    /**
     * Entries asked for: a page cut short by the datagram's size says how many fit, and asking
     * for little more spares the server reading rows it cannot send.
     */
    int limit = PAGE;
    boolean done;
    boolean waiting;
    final java.util.ArrayDeque<ChatMessage> buffered = new java.util.ArrayDeque<>();

    Span(long lo, long hi) {
      this.cursor = lo;
      this.hi = hi;
    }
  }

  private final List<Span> spans = new java.util.ArrayList<>();
  /** The index of the span being written. */
  private int head;

  private void request(Span span) {
    client.history(after(span.cursor, span.limit)).whenComplete((page, failure) -> {
      if (result.isDone()) {
        return;
      }
      if (failure != null) {
        fail(failure);
        return;
      }
      try {
        arrived(span, page);
      } catch (RuntimeException e) {
        fail(e);
      }
    });
  }

  private void arrived(Span span, org.p2pchat.api.HistoryPage page) {
    boolean isHead = span == spans.get(head);
    for (ChatMessage m : page.messages()) {
      if (m.id() > span.hi) {
        span.done = true; // the next span's
        break;
      }
      if (isHead) {
        writeMessage(m);
      } else {
        span.buffered.add(m);
      }
    }
    if (page.nextCursor().isEmpty()) {
      span.done = true;
    }
    if (!span.done) {
      span.cursor = page.nextCursor().getAsLong();
      int fitted = page.messages().size();
      span.limit = fitted < span.limit ? Math.max(1, fitted + 2) : Math.min(PAGE, span.limit * 2);
      if (isHead || span.buffered.size() < SPAN_BUFFER) {
        request(span);
      } else {
        span.waiting = true;
      }
      return;
    }
    if (isHead) {
      advance();
    }
  }

  /** The head span is done: the next ones take its place, their buffers written. */
  private void advance() {
    while (true) {
      head++;
      int joining = head + WINDOW - 1;
      if (joining < spans.size()) {
        request(spans.get(joining));
      }
      if (head == spans.size()) {
        finish();
        return;
      }
      Span next = spans.get(head);
      while (!next.buffered.isEmpty()) {
        writeMessage(next.buffered.poll());
      }
      if (!next.done) {
        if (next.waiting) {
          next.waiting = false;
          request(next);
        }
        return;
      }
    }
  }

  private void writeMessage(ChatMessage m) {
    write(messages++ > 0 ? ",\n" : "\n");
    message(m);
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
    return after(cursor, PAGE);
  }

  private static HistoryQuery after(long cursor, int limit) {
    return HistoryQuery.builder().direction(HistoryQuery.Direction.AFTER).cursor(cursor).limit(limit).build();
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
