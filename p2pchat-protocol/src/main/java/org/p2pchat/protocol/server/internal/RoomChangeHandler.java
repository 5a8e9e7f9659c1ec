package org.p2pchat.protocol.server.internal;

import java.util.concurrent.CompletableFuture;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.RoomStore;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.RoomRequestFlyweight;

/**
 * ROOM_ADD, ROOM_REMOVE and ROOM_RENAME: one change of a room's membership or title, checked and
 * stored by the store in one write, answered OK once durable. A removed member stops receiving
 * at once: each room message is pushed to the members as of its own write.
 */
final class RoomChangeHandler implements RequestHandler<RoomRequestFlyweight> {
  private final RoomStore rooms;
  private final FrameType type;
  private final Exchange.Completion<Void> changed = this::changed;

  /** @param type ROOM_ADD, ROOM_REMOVE or ROOM_RENAME */
  RoomChangeHandler(RoomStore rooms, FrameType type) {
    this.rooms = rooms;
    this.type = type;
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
    CompletableFuture<Void> work = switch (type) {
      case ROOM_ADD -> rooms.addMember(room, session.user, UserName.of(request.name()));
      case ROOM_REMOVE -> rooms.removeMember(room, session.user, UserName.of(request.name()));
      case ROOM_RENAME -> rooms.rename(room, session.user, request.text());
      default -> throw new IllegalStateException(type + " is no room change");
    };
    x.completeLater(work, changed);
  }

  private void changed(Exchange x, Void nothing) {
    x.replyEmptyOk(type);
  }
}
