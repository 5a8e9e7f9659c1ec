package org.p2pchat.protocol.server.internal;

import org.p2pchat.api.server.PushBus;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.api.store.RoomStore;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.RoomCreateFlyweight;
import org.p2pchat.protocol.codec.internal.RoomHistoryFlyweight;
import org.p2pchat.protocol.codec.internal.RoomListFlyweight;
import org.p2pchat.protocol.codec.internal.RoomRequestFlyweight;
import org.p2pchat.protocol.internal.EventLoop;

/** The routes of the room requests (docs/protocol.md section 19), one handler each. */
final class RoomRoutes {
  private RoomRoutes() {}

  /**
   * Routes the room requests to their handlers; a store that keeps no rooms gets no routes.
   *
   * @return the node's room pushes, or null when the store keeps no rooms
   */
  static RoomPushes install(Dispatcher dispatcher, ChatStore store, EventLoop loop, SessionTable sessions,
      Pushes pushes, PushBus bus, ServerConfig config) {
    RoomStore rooms;
    try {
      rooms = store.rooms();
    } catch (UnsupportedOperationException e) {
      return null;
    }
    RoomPushes roomPushes = new RoomPushes(loop, sessions, pushes, bus, config);
    dispatcher
        .route(new RoomCreateFlyweight(), new RoomCreateHandler(rooms))
        .route(new RoomRequestFlyweight(FrameType.ROOM_ADD), new RoomChangeHandler(rooms, FrameType.ROOM_ADD))
        .route(new RoomRequestFlyweight(FrameType.ROOM_REMOVE), new RoomChangeHandler(rooms, FrameType.ROOM_REMOVE))
        .route(new RoomRequestFlyweight(FrameType.ROOM_RENAME), new RoomChangeHandler(rooms, FrameType.ROOM_RENAME))
        .route(new RoomListFlyweight(), new RoomListHandler(rooms))
        .route(new RoomRequestFlyweight(FrameType.ROOM_MEMBERS), new RoomMembersHandler(rooms))
        .route(new RoomRequestFlyweight(FrameType.ROOM_SEND), new RoomSendHandler(rooms, roomPushes))
        .route(new RoomHistoryFlyweight(), new RoomHistoryHandler(rooms))
        .route(new RoomRequestFlyweight(FrameType.ROOM_MARK_READ), new RoomMarkReadHandler(rooms, roomPushes));
    return roomPushes;
  }
}
