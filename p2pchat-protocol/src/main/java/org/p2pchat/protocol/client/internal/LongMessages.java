package org.p2pchat.protocol.client.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.UserName;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.LongParts;
import org.p2pchat.protocol.codec.internal.MessagePartFlyweight;
import org.p2pchat.protocol.codec.internal.MessagePartOkFlyweight;
import org.p2pchat.protocol.codec.internal.SendPartFlyweight;
import org.p2pchat.protocol.codec.internal.SendPartOkFlyweight;

/**
 * The client's side of long messages (docs/protocol.md section 23): sending a body of 1001 to
 * 65536 bytes as SEND_PARTs, and fetching a stored one with MESSAGE_PARTs. Each part is a
 * request of its own, retransmitted by {@link Requests}; a few are in flight at once
 * ({@link #WINDOW}). The last part of a send goes out only once every other was acknowledged,
 * so that its answer is the one that carries the message's id. Loop-confined; the futures it
 * returns complete on the loop.
 */
final class LongMessages {
  /** Parts in flight at once, per send or fetch. */
  static final int WINDOW = 8;
  /** Long sends under way at once; the others wait their turn (the server allows 4 per session). */
  static final int MAX_ACTIVE_SENDS = 2;
  /** Fetches under way at once; beyond, a push is left unacknowledged (history has it). */
  static final int MAX_ACTIVE_FETCHES = 8;

  private final Requests requests;
  private final ClientSession session;
  private final SendPartFlyweight sendPart = new SendPartFlyweight();
  private final SendPartOkFlyweight sendPartOk = new SendPartOkFlyweight();
  private final MessagePartFlyweight messagePart = new MessagePartFlyweight();
  private final MessagePartOkFlyweight messagePartOk = new MessagePartOkFlyweight();
  private final ArrayDeque<Send> waitingSends = new ArrayDeque<>();
  private int activeSends;
  private int activeFetches;

  LongMessages(Requests requests, ClientSession session) {
    this.requests = requests;
    this.session = session;
  }

  /** Whether a body travels as a long message: more than one text field holds. */
  static boolean isLong(String body) {
    return org.p2pchat.api.ProtocolLimits.utf8Length(body) > org.p2pchat.api.ProtocolLimits.MAX_BODY_BYTES;
  }

  /**
   * Sends {@code body} to {@code recipient} as a long message with idempotency key {@code key}.
   *
   * @param live whether the send is still wanted in this session (checked before each part; a
   *     send no longer wanted stops and fails with NOT_LOGGED_IN, which its owner ignores for an
   *     abandoned copy and takes as a lost session otherwise)
   * @return completes with the stored message, or fails with the first failed part's error
   */
  CompletableFuture<ChatMessage> send(UserName recipient, String body, long key, BooleanSupplier live) {
    Send s = new Send(recipient, body, key, live);
    if (activeSends < MAX_ACTIVE_SENDS) {
      start(s);
    } else {
      waitingSends.add(s);
    }
    return s.result;
  }

  /**
   * Fetches the body of stored message {@code id} of {@code total} bytes, part by part.
   *
   * @return completes with the body, or fails (a part refused, a timeout, a malformed whole);
   *     null when {@link #MAX_ACTIVE_FETCHES} fetches are under way already
   */
  CompletableFuture<String> fetch(long id, int total) {
    if (activeFetches >= MAX_ACTIVE_FETCHES) {
      return null;
    }
    Fetch f = new Fetch(id, total);
    activeFetches++;
    f.result.whenComplete((v, failure) -> activeFetches--);
    f.pump();
    return f.result;
  }

  /** Fetches like {@link #fetch}, waiting for a free slot rather than refusing (for history pages). */
  CompletableFuture<String> fetchNow(long id, int total) {
    Fetch f = new Fetch(id, total);
    f.pump();
    return f.result;
  }

  private void start(Send s) {
    activeSends++;
    s.result.whenComplete((v, failure) -> {
      activeSends--;
      Send next = waitingSends.poll();
      if (next != null) {
        start(next);
      }
    });
    s.pump();
  }

  /** One long send under way. */
  private final class Send {
    final UserName recipient;
    final String body;
    final byte[] utf8;
    final long key;
    final BooleanSupplier live;
    final int parts;
    final CompletableFuture<ChatMessage> result = new CompletableFuture<>();
    int next;
    int inFlight;
    int held;
    boolean restarted;

    Send(UserName recipient, String body, long key, BooleanSupplier live) {
      this.recipient = recipient;
      this.body = body;
      this.utf8 = body.getBytes(StandardCharsets.UTF_8);
      this.key = key;
      this.live = live;
      this.parts = LongParts.count(utf8.length);
    }

    void pump() {
      if (result.isDone()) {
        return;
      }
      if (!live.getAsBoolean()) {
        // Abandoned (the outbox sends it again) or its session ended between two parts.
        result.completeExceptionally(new ChatException(ErrorCode.NOT_LOGGED_IN,
            "the session ended before the message was sent"));
        return;
      }
      while (inFlight < WINDOW && next < parts - 1) {
        sendPart(next++);
      }
      if (next == parts - 1 && held == parts - 1 && inFlight == 0) {
        sendPart(next++); // the last part, whose answer is the message's id
      }
    }

    private void sendPart(int index) {
      inFlight++;
      UserName me = session.user();
      CompletableFuture<Object> answered = new CompletableFuture<>();
      requests.send(FrameType.SEND_PART,
          (out, id) -> sendPart.encode(out, id).token(session.tokenHi(), session.tokenLo()).key(key)
              .recipient(recipient.value())
              .part(utf8.length, index, utf8, index * LongParts.PART_BYTES, LongParts.length(utf8.length, index))
              .finish(),
          frame -> {
            sendPartOk.wrap(frame);
            if (sendPartOk.isHeld()) {
              return Boolean.FALSE;
            }
            return ChatMessage.builder().id(sendPartOk.messageId()).sender(me).recipient(recipient).body(body)
                .sentAt(Instant.ofEpochMilli(sendPartOk.sentAtMillis())).build();
          }, answered);
      answered.whenComplete((v, failure) -> requests.onLoop(() -> answered(index, v, failure)));
    }

    private void answered(int index, Object value, Throwable failure) {
      inFlight--;
      if (result.isDone()) {
        return;
      }
      if (failure != null) {
        result.completeExceptionally(failure);
      } else if (value instanceof ChatMessage m) {
        result.complete(m);
      } else if (index == parts - 1) {
        // Every part was acknowledged and the last was only held: the server lost the others
        // (its assembly expired, or a restart). Once more from the start, with the same key.
        if (restarted) {
          result.completeExceptionally(new ChatException(ErrorCode.BAD_PART,
              "the server did not assemble the message"));
          return;
        }
        restarted = true;
        next = 0;
        held = 0;
        pump();
      } else {
        held++;
        pump();
      }
    }
  }

  /** One fetch under way. */
  private final class Fetch {
    final long id;
    final byte[] utf8;
    final int parts;
    final CompletableFuture<String> result = new CompletableFuture<>();
    int next;
    int got;

    Fetch(long id, int total) {
      this.id = id;
      this.utf8 = new byte[total];
      this.parts = LongParts.count(total);
    }

    void pump() {
      while (!result.isDone() && next < parts && next - got < WINDOW) {
        request(next++);
      }
    }

    private void request(int index) {
      CompletableFuture<Object> answered = new CompletableFuture<>();
      requests.send(FrameType.MESSAGE_PART,
          (out, rid) -> messagePart.encode(out, rid).token(session.tokenHi(), session.tokenLo()).part(id, index)
              .finish(),
          frame -> {
            messagePartOk.wrap(frame);
            if (messagePartOk.messageId() != id || messagePartOk.partIndex() != index
                || messagePartOk.partLength() != LongParts.length(utf8.length, index)) {
              return new ChatException(ErrorCode.BAD_PART, "the server sent a part that does not fit");
            }
            messagePartOk.copyPart(utf8, index * LongParts.PART_BYTES);
            return Boolean.TRUE;
          }, answered);
      answered.whenComplete((v, failure) -> requests.onLoop(() -> answered(v, failure)));
    }

    private void answered(Object value, Throwable failure) {
      if (result.isDone()) {
        return;
      }
      if (failure != null) {
        result.completeExceptionally(failure);
        return;
      }
      got++;
      if (got < parts) {
        pump();
        return;
      }
      try {
        result.complete(LongParts.decode(utf8));
      } catch (DecodeException e) {
        result.completeExceptionally(new ChatException(ErrorCode.BAD_PART, "the message is not well-formed UTF-8"));
      }
    }
  }
}
