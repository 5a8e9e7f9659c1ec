package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.p2pchat.api.Room;
import org.p2pchat.api.RoomMember;
import org.p2pchat.api.UserName;
import org.p2pchat.protocol.codec.Frame;

/** The room layouts' fluent encoders (docs/protocol.md section 19), for {@link AllocationTest}. */
final class RoomEncoders {
  private RoomEncoders() {}

  /** One encoding per room layout, by flyweight class, each writing one frame into {@code dst}. */
  static Map<Class<?>, AllocationTest.Op> of(ByteBuffer dst) {
    RoomCreateFlyweight create = new RoomCreateFlyweight();
    RoomRequestFlyweight send = new RoomRequestFlyweight(FrameType.ROOM_SEND);
    RoomListFlyweight list = new RoomListFlyweight();
    RoomHistoryFlyweight history = new RoomHistoryFlyweight();
    RoomOkFlyweight roomOk = new RoomOkFlyweight();
    RoomListOkFlyweight listOk = new RoomListOkFlyweight();
    RoomMembersOkFlyweight membersOk = new RoomMembersOkFlyweight();
    RoomHistoryOkFlyweight historyOk = new RoomHistoryOkFlyweight();
    PushRoomMessageFlyweight pushMessage = new PushRoomMessageFlyweight();
    PushRoomReadFlyweight pushRead = new PushRoomReadFlyweight();
    Room room = new Room(7, "team", UserName.of("alice"), 3);
    RoomMember member = new RoomMember(UserName.of("bob"), 42);
    Frame.RoomEntry entry = new Frame.RoomEntry(42, 5, 2, "alice", "hello");
    NameRequestFlyweight contactAdd = new NameRequestFlyweight(FrameType.CONTACT_ADD);
    ContactListOkFlyweight contactsOk = ContactListOkFlyweight.contacts();
    org.p2pchat.api.Contact contact = new org.p2pchat.api.Contact(UserName.of("bob"),
        org.p2pchat.api.Contact.Presence.ONLINE, java.util.Optional.of(java.time.Instant.ofEpochMilli(5)));
    Map<Class<?>, AllocationTest.Op> m = new LinkedHashMap<>();
    m.put(NameRequestFlyweight.class, () -> contactAdd.encode(dst.clear(), 1).token(2, 3).name("bob").finish());
    m.put(ContactListOkFlyweight.class, () -> {
      contactsOk.encode(dst.clear(), 1).inReplyTo(FrameType.CONTACT_LIST);
      contactsOk.tryAdd(contact);
      contactsOk.nextCursor(null).finish();
    });
    m.put(RoomCreateFlyweight.class, () -> create.encode(dst.clear(), 1).token(2, 3).title("team").finish());
    m.put(RoomRequestFlyweight.class, () -> send.encode(dst.clear(), 1).token(2, 3).room(7).text("hello").finish());
    m.put(RoomListFlyweight.class, () -> list.encode(dst.clear(), 1).token(2, 3).cursor(0).finish());
    m.put(RoomHistoryFlyweight.class, () -> history.encode(dst.clear(), 1).token(2, 3).query(7, true, false, 0, 20).finish());
    m.put(RoomOkFlyweight.class, () -> roomOk.encode(dst.clear(), 1).inReplyTo(FrameType.ROOM_CREATE).room(7).finish());
    m.put(RoomListOkFlyweight.class, () -> {
      listOk.encode(dst.clear(), 1).inReplyTo(FrameType.ROOM_LIST);
      listOk.tryAdd(room);
      listOk.nextCursor(0).finish();
    });
    m.put(RoomMembersOkFlyweight.class, () -> {
      membersOk.encode(dst.clear(), 1).inReplyTo(FrameType.ROOM_MEMBERS);
      membersOk.tryAdd(member);
      membersOk.nextCursor("bob").finish();
    });
    m.put(RoomHistoryOkFlyweight.class, () -> {
      historyOk.encode(dst.clear(), 1).inReplyTo(FrameType.ROOM_HISTORY);
      historyOk.tryAdd(entry);
      historyOk.nextCursor(0).finish();
    });
    m.put(PushRoomMessageFlyweight.class, () -> pushMessage.encode(dst.clear(), 1).message(7, 42, 5)
        .from("alice", "hello").finish());
    m.put(PushRoomReadFlyweight.class, () -> pushRead.encode(dst.clear(), 1).read(7, 42, "bob").finish());
    PresenceHideFlyweight hide = new PresenceHideFlyweight();
    PushPresenceFlyweight pushPresence = new PushPresenceFlyweight();
    m.put(PresenceHideFlyweight.class, () -> hide.encode(dst.clear(), 1).token(2, 3).hidden(true).finish());
    m.put(PushPresenceFlyweight.class, () -> pushPresence.encode(dst.clear(), 1).presence(2, 5, "bob").finish());
    return m;
  }
}
