package org.p2pchat.protocol.server.internal;

import org.p2pchat.api.UserName;
import org.p2pchat.api.store.RoomStore;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.RoomRequestFlyweight;

/**
 * ROOM_MARK_READ: moves the caller's read marker forward, answers OK once durable, then tells
 * the senders of the messages it newly covers.
 */
final class RoomMarkReadHandler implements RequestHandler<RoomRequestFlyweight> {
  private final RoomStore rooms;
  private final RoomPushes pushes;

  RoomMarkReadHandler(RoomStore rooms, RoomPushes pushes) {
    this.rooms = rooms;
    this.pushes = pushes;
  }

  @Override
  public void handle(RoomRequestFlyweight request, Exchange x) {
    if (x.replayedInSession(request)) {
      return;
    }
    Session session = x.session(request);
    if (session == null || !x.admitted()) {
      return;
    }
    long room = request.roomId();
    long upTo = request.messageId();
    UserName reader = session.user;
    x.completeLater(rooms.markRoomRead(room, reader, upTo), (ex, senders) -> {
      ex.replyEmptyOk(FrameType.ROOM_MARK_READ);
      if (!senders.isEmpty()) {
        pushes.read(room, reader, upTo, senders);
      }
    });
  }
}
