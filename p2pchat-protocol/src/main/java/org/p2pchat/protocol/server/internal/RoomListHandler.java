package org.p2pchat.protocol.server.internal;

import java.util.List;
import org.p2pchat.api.Room;
import org.p2pchat.api.store.RoomStore;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.RoomListFlyweight;
import org.p2pchat.protocol.codec.internal.RoomListOkFlyweight;

/** ROOM_LIST: a page of the caller's rooms, as many as one datagram holds. */
final class RoomListHandler implements RequestHandler<RoomListFlyweight> {
  private final RoomStore rooms;
  private final RoomListOkFlyweight listOk = new RoomListOkFlyweight();
  private final Exchange.Completion<List<Room>> listed = this::listed;

  RoomListHandler(RoomStore rooms) {
    this.rooms = rooms;
  }

  @Override
  public void handle(RoomListFlyweight request, Exchange x) {
    if (x.replayedInSession(request)) {
      return;
    }
    Session session = x.session(request);
    if (session == null || !x.admitted()) {
      return;
    }
    x.completeLater(rooms.rooms(session.user, request.cursor(), RoomListOkFlyweight.MAX_ENTRIES + 1), listed);
  }

  private void listed(Exchange x, List<Room> page) {
    listOk.encode(x.answer(), x.requestId()).inReplyTo(FrameType.ROOM_LIST);
    int added = 0;
    while (added < page.size() && listOk.tryAdd(page.get(added))) {
      added++;
    }
    listOk.nextCursor(added < page.size() && added > 0 ? page.get(added - 1).id() : 0).finish();
    x.replyUnbounded();
  }
}
