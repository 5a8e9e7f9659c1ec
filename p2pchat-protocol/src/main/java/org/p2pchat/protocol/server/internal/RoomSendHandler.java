package org.p2pchat.protocol.server.internal;

import java.time.Instant;
import org.p2pchat.api.RoomMessage;
import org.p2pchat.api.store.RoomStore;
import org.p2pchat.api.store.RoomStore.RoomDelivery;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.RoomRequestFlyweight;
import org.p2pchat.protocol.codec.internal.SendOkFlyweight;

/**
 * ROOM_SEND: appends the message to the room (one store write whatever the room's size),
 * answers OK once it is durable, then pushes it to every online session of every member but
 * the sending one.
 */
final class RoomSendHandler implements RequestHandler<RoomRequestFlyweight> {
  private final RoomStore rooms;
  private final RoomPushes pushes;
  private final SendOkFlyweight sendOk = SendOkFlyweight.forRoomSend();

  RoomSendHandler(RoomStore rooms, RoomPushes pushes) {
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
    x.completeLater(rooms.appendToRoom(request.roomId(), session.user, request.text(), Instant.ofEpochMilli(x.now())),
        (ex, delivery) -> stored(ex, delivery, session));
  }

  private void stored(Exchange x, RoomDelivery delivery, Session from) {
    RoomMessage m = delivery.message();
    sendOk.encode(x.answer(), x.requestId()).inReplyTo(FrameType.ROOM_SEND)
        .stored(m.id(), m.sentAt().toEpochMilli()).finish();
    x.reply();
    pushes.message(delivery, from);
  }
}
