package org.p2pchat.protocol.server.internal;

import java.util.List;
import org.p2pchat.api.RoomMember;
import org.p2pchat.api.store.RoomStore;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.RoomMembersOkFlyweight;
import org.p2pchat.protocol.codec.internal.RoomRequestFlyweight;

/**
 * ROOM_MEMBERS: a page of a room's members after the cursor, by name, with their read markers.
 * The store reads all of them (at most 256); the page is what one datagram holds.
 */
final class RoomMembersHandler implements RequestHandler<RoomRequestFlyweight> {
  private final RoomStore rooms;
  private final RoomMembersOkFlyweight membersOk = new RoomMembersOkFlyweight();

  RoomMembersHandler(RoomStore rooms) {
    this.rooms = rooms;
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
    String cursor = request.name();
    x.completeLater(rooms.members(request.roomId(), session.user), (ex, members) -> answer(ex, members, cursor));
  }

  private void answer(Exchange x, List<RoomMember> members, String cursor) {
    membersOk.encode(x.answer(), x.requestId()).inReplyTo(FrameType.ROOM_MEMBERS);
    int i = 0;
    while (i < members.size() && cursor != null && members.get(i).name().value().compareTo(cursor) <= 0) {
      i++;
    }
    String last = null;
    while (i < members.size() && membersOk.tryAdd(members.get(i))) {
      last = members.get(i).name().value();
      i++;
    }
    membersOk.nextCursor(i < members.size() ? last : null).finish();
    x.replyUnbounded();
  }
}
