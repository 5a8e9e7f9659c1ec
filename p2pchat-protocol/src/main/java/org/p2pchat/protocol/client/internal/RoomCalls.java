package org.p2pchat.protocol.client.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.Room;
import org.p2pchat.api.RoomHistoryPage;
import org.p2pchat.api.RoomLimits;
import org.p2pchat.api.RoomMember;
import org.p2pchat.api.RoomMessage;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.RoomClient;
import org.p2pchat.protocol.codec.Frame;
import org.p2pchat.protocol.codec.internal.EmptyOkFlyweight;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.RoomCreateFlyweight;
import org.p2pchat.protocol.codec.internal.RoomHistoryFlyweight;
import org.p2pchat.protocol.codec.internal.RoomHistoryOkFlyweight;
import org.p2pchat.protocol.codec.internal.RoomListFlyweight;
import org.p2pchat.protocol.codec.internal.RoomListOkFlyweight;
import org.p2pchat.protocol.codec.internal.RoomMembersOkFlyweight;
import org.p2pchat.protocol.codec.internal.RoomOkFlyweight;
import org.p2pchat.protocol.codec.internal.RoomRequestFlyweight;
import org.p2pchat.protocol.codec.internal.SendOkFlyweight;

/**
 * The room requests of a {@link ClientEngine} (docs/protocol.md section 19): each encodes its
 * request with its flyweight and reads its answer with the flyweight of the answer's layout,
 * both on the client's loop. Thread-safe (through the engine).
 */
final class RoomCalls implements RoomClient {
  /** Sends one request through the engine: the type, its writer, its answer's reader. */
  interface Sender {
    <T> CompletableFuture<T> request(FrameType type, Requests.FrameWriter writer, Requests.AnswerReader<T> reader);
  }

  private final Sender sender;
  private final ClientSession session;
  // The loop's flyweights, one per layout.
  private final RoomCreateFlyweight create = new RoomCreateFlyweight();
  private final RoomRequestFlyweight add = new RoomRequestFlyweight(FrameType.ROOM_ADD);
  private final RoomRequestFlyweight remove = new RoomRequestFlyweight(FrameType.ROOM_REMOVE);
  private final RoomRequestFlyweight rename = new RoomRequestFlyweight(FrameType.ROOM_RENAME);
  private final RoomRequestFlyweight members = new RoomRequestFlyweight(FrameType.ROOM_MEMBERS);
  private final RoomRequestFlyweight send = new RoomRequestFlyweight(FrameType.ROOM_SEND);
  private final RoomRequestFlyweight markRead = new RoomRequestFlyweight(FrameType.ROOM_MARK_READ);
  private final RoomListFlyweight list = new RoomListFlyweight();
  private final RoomHistoryFlyweight history = new RoomHistoryFlyweight();
  private final EmptyOkFlyweight emptyOk = new EmptyOkFlyweight();
  private final RoomOkFlyweight roomOk = new RoomOkFlyweight();
  private final SendOkFlyweight sendOk = SendOkFlyweight.forRoomSend();
  private final RoomListOkFlyweight listOk = new RoomListOkFlyweight();
  private final RoomMembersOkFlyweight membersOk = new RoomMembersOkFlyweight();
  private final RoomHistoryOkFlyweight historyOk = new RoomHistoryOkFlyweight();
  private final Requests.AnswerReader<Void> emptyAnswer = frame -> {
    emptyOk.wrap(frame);
    return null;
  };

  RoomCalls(Sender sender, ClientSession session) {
    this.sender = sender;
    this.session = session;
  }

  @Override
  public CompletableFuture<Room> create(String title) {
    RoomLimits.checkTitle(title);
    return sender.request(FrameType.ROOM_CREATE,
        (out, id) -> create.encode(out, id).token(session.tokenHi(), session.tokenLo()).title(title).finish(),
        frame -> new Room(roomOk.wrap(frame).roomId(), title, session.user(), 1));
  }

  @Override
  public CompletableFuture<Void> add(long roomId, UserName member) {
    return sender.request(FrameType.ROOM_ADD, (out, id) -> add.encode(out, id)
        .token(session.tokenHi(), session.tokenLo()).room(roomId).name(member.value()).finish(), emptyAnswer);
  }

  @Override
  public CompletableFuture<Void> remove(long roomId, UserName member) {
    return sender.request(FrameType.ROOM_REMOVE, (out, id) -> remove.encode(out, id)
        .token(session.tokenHi(), session.tokenLo()).room(roomId).name(member.value()).finish(), emptyAnswer);
  }

  @Override
  public CompletableFuture<Void> leave(long roomId) {
    UserName me = session.user();
    if (me == null) {
      return CompletableFuture.failedFuture(new org.p2pchat.api.ChatException(org.p2pchat.api.ErrorCode.NOT_LOGGED_IN));
    }
    return remove(roomId, me);
  }

  @Override
  public CompletableFuture<Void> rename(long roomId, String title) {
    RoomLimits.checkTitle(title);
    return sender.request(FrameType.ROOM_RENAME, (out, id) -> rename.encode(out, id)
        .token(session.tokenHi(), session.tokenLo()).room(roomId).text(title).finish(), emptyAnswer);
  }

  @Override
  public CompletableFuture<List<Room>> list() {
    return listFrom(0, new ArrayList<>());
  }

  private CompletableFuture<List<Room>> listFrom(long cursor, List<Room> into) {
    CompletableFuture<Long> page = sender.request(FrameType.ROOM_LIST, (out, id) -> list.encode(out, id)
        .token(session.tokenHi(), session.tokenLo()).cursor(cursor).finish(),
        frame -> {
          listOk.wrap(frame);
          for (int i = 0; i < listOk.count(); i++) {
            into.add(listOk.room(i));
          }
          return listOk.nextCursor();
        });
    // The pages are bounded: a user belongs to at most RoomLimits.MAX_ROOMS_PER_USER rooms.
    return page.thenCompose(next -> next == 0 || into.size() > RoomLimits.MAX_ROOMS_PER_USER
        ? CompletableFuture.completedFuture(List.copyOf(into)) : listFrom(next, into));
  }

  @Override
  public CompletableFuture<List<RoomMember>> members(long roomId) {
    return membersFrom(roomId, null, new ArrayList<>());
  }

  private CompletableFuture<List<RoomMember>> membersFrom(long roomId, String cursor, List<RoomMember> into) {
    CompletableFuture<String> page = sender.request(FrameType.ROOM_MEMBERS, (out, id) -> members.encode(out, id)
        .token(session.tokenHi(), session.tokenLo()).room(roomId).name(cursor).finish(),
        frame -> {
          membersOk.wrap(frame);
          for (int i = 0; i < membersOk.count(); i++) {
            into.add(membersOk.member(i));
          }
          String next = membersOk.nextCursor();
          return next == null ? "" : next;
        });
    return page.thenCompose(next -> next.isEmpty() || into.size() > RoomLimits.MAX_MEMBERS
        ? CompletableFuture.completedFuture(List.copyOf(into)) : membersFrom(roomId, next, into));
  }

  @Override
  public CompletableFuture<RoomMessage> send(long roomId, String body) {
    try {
      ChatMessage.checkBody(body, org.p2pchat.api.ProtocolLimits.MAX_BODY_BYTES); // rooms keep one text field
    } catch (org.p2pchat.api.ChatException e) {
      return CompletableFuture.failedFuture(e); // every call fails through its future
    }
    return sender.request(FrameType.ROOM_SEND, (out, id) -> send.encode(out, id)
        .token(session.tokenHi(), session.tokenLo()).room(roomId).text(body).finish(),
        frame -> {
          sendOk.wrap(frame);
          return new RoomMessage(roomId, sendOk.messageId(), session.user(), body,
              Instant.ofEpochMilli(sendOk.sentAtMillis()), 0);
        });
  }

  @Override
  public CompletableFuture<RoomHistoryPage> history(long roomId, HistoryQuery query) {
    if (query.peer().isPresent()) {
      throw new IllegalArgumentException("a room history query names no peer");
    }
    return sender.request(FrameType.ROOM_HISTORY, (out, id) -> history.encode(out, id)
        .token(session.tokenHi(), session.tokenLo())
        .query(roomId, query.unreadOnly(), query.direction() == HistoryQuery.Direction.AFTER,
            query.cursor(), query.limit())
        .finish(),
        frame -> {
          historyOk.wrap(frame);
          List<RoomMessage> messages = new ArrayList<>(historyOk.count());
          for (int i = 0; i < historyOk.count(); i++) {
            Frame.RoomEntry e = historyOk.entry(i);
            messages.add(new RoomMessage(roomId, e.messageId(), UserName.of(e.sender()), e.body(),
                Instant.ofEpochMilli(e.sentAtMillis()), e.readCount()));
          }
          long next = historyOk.nextCursor();
          return new RoomHistoryPage(messages, next == 0 ? OptionalLong.empty() : OptionalLong.of(next));
        });
  }

  @Override
  public CompletableFuture<Void> markRead(long roomId, long upToMessageId) {
    return sender.request(FrameType.ROOM_MARK_READ, (out, id) -> markRead.encode(out, id)
        .token(session.tokenHi(), session.tokenLo()).room(roomId).messageId(upToMessageId).finish(), emptyAnswer);
  }
}
