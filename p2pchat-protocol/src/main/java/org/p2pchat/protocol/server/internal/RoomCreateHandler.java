package org.p2pchat.protocol.server.internal;

import java.time.Instant;
import org.p2pchat.api.Room;
import org.p2pchat.api.store.RoomStore;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.RoomCreateFlyweight;
import org.p2pchat.protocol.codec.internal.RoomOkFlyweight;

/** ROOM_CREATE: creates a room the caller owns; answers its id once durable. */
final class RoomCreateHandler implements RequestHandler<RoomCreateFlyweight> {
  private final RoomStore rooms;
  private final RoomOkFlyweight roomOk = new RoomOkFlyweight();
  private final Exchange.Completion<Room> created = this::created;

  RoomCreateHandler(RoomStore rooms) {
    this.rooms = rooms;
  }

  @Override
  public void handle(RoomCreateFlyweight request, Exchange x) {
    if (x.replayedInSession(request)) {
      return;
    }
    Session session = x.session(request);
    if (session == null || !x.admitted()) {
      return;
    }
    x.completeLater(rooms.createRoom(session.user, request.title(), Instant.ofEpochMilli(x.now())), created);
  }

  private void created(Exchange x, Room room) {
    roomOk.encode(x.answer(), x.requestId()).inReplyTo(FrameType.ROOM_CREATE).room(room.id()).finish();
    x.reply();
  }
}
