package org.p2pchat.protocol.server.internal;

import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.RoomHistoryPage;
import org.p2pchat.api.store.RoomStore;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.RoomHistoryFlyweight;
import org.p2pchat.protocol.codec.internal.RoomHistoryOkFlyweight;

/** ROOM_HISTORY: a page of a room's messages, as HISTORY pages; only to a member's proven address. */
final class RoomHistoryHandler implements RequestHandler<RoomHistoryFlyweight> {
  private final RoomStore rooms;
  private final RoomHistoryOkFlyweight historyOk = new RoomHistoryOkFlyweight();
  private final Exchange.Completion<RoomHistoryPage> pageBefore = (x, page) -> answer(x, page, true);
  private final Exchange.Completion<RoomHistoryPage> pageAfter = (x, page) -> answer(x, page, false);

  RoomHistoryHandler(RoomStore rooms) {
    this.rooms = rooms;
  }

  @Override
  public void handle(RoomHistoryFlyweight request, Exchange x) {
    if (x.replayedInSession(request)) {
      return;
    }
    Session session = x.session(request);
    if (session == null || !x.admitted()) {
      return;
    }
    HistoryQuery query = HistoryQuery.builder()
        .unreadOnly(request.unreadOnly())
        .direction(request.after() ? HistoryQuery.Direction.AFTER : HistoryQuery.Direction.BEFORE)
        .cursor(request.cursor())
        .limit(request.pageLimit())
        .build();
    x.completeLater(rooms.roomHistory(request.roomId(), session.user, query), request.after() ? pageAfter : pageBefore);
  }

  private void answer(Exchange x, RoomHistoryPage page, boolean before) {
    historyOk.encode(x.answer(), x.requestId()).inReplyTo(FrameType.ROOM_HISTORY).page(page, before).finish();
    x.replyUnbounded();
  }
}
