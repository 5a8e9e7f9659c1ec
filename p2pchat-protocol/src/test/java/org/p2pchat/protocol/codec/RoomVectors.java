package org.p2pchat.protocol.codec;

import static org.p2pchat.protocol.codec.VectorsTest.AT;
import static org.p2pchat.protocol.codec.VectorsTest.HI;
import static org.p2pchat.protocol.codec.VectorsTest.LO;
import static org.p2pchat.protocol.codec.VectorsTest.PUSH;
import static org.p2pchat.protocol.codec.VectorsTest.RID;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.p2pchat.api.Contact;
import org.p2pchat.api.Room;
import org.p2pchat.api.RoomMember;
import org.p2pchat.api.UserName;

/** The frames that the vectors of docs/protocol.md sections 19 to 22 (rooms, contacts, presence, account deletion and export) document. */
final class RoomVectors {
  private RoomVectors() {}

  static Map<String, Frame> frames() {
    Map<String, Frame> m = new LinkedHashMap<>();
    m.put("room-create", new Frame.RoomCreate(RID, HI, LO, "team"));
    m.put("room-add", new Frame.RoomAdd(RID, HI, LO, 7, "bob"));
    m.put("room-remove", new Frame.RoomRemove(RID, HI, LO, 7, "bob"));
    m.put("room-rename", new Frame.RoomRename(RID, HI, LO, 7, "team 2"));
    m.put("room-list", new Frame.RoomList(RID, HI, LO, 0));
    m.put("room-members", new Frame.RoomMembers(RID, HI, LO, 7, null));
    m.put("room-send", new Frame.RoomSend(RID, HI, LO, 7, "hello"));
    m.put("room-history", new Frame.RoomHistory(RID, HI, LO, 7, false, false, 0, 20));
    m.put("room-mark-read", new Frame.RoomMarkRead(RID, HI, LO, 7, 42));
    m.put("ok-room-create", new Frame.OkRoom(RID, 7));
    m.put("ok-room-send", new Frame.OkRoomSend(RID, 42, AT));
    m.put("ok-room-list", new Frame.OkRoomList(RID, 0, List.of(new Room(7, "team", UserName.of("alice"), 3))));
    m.put("ok-room-members", new Frame.OkRoomMembers(RID, List.of(
        new RoomMember(UserName.of("alice"), 0), new RoomMember(UserName.of("bob"), 42)), null));
    m.put("ok-room-history", new Frame.OkRoomHistory(RID, 0, List.of(new Frame.RoomEntry(42, AT, 2, "alice", "hello"))));
    m.put("push-room-message", new Frame.PushRoomMessage(PUSH, 7, 42, AT, "alice", "hello"));
    m.put("push-room-read", new Frame.PushRoomRead(PUSH + 1, 7, 42, "bob"));
    m.put("contact-add", new Frame.ContactAdd(RID, HI, LO, "bob"));
    m.put("contact-remove", new Frame.ContactRemove(RID, HI, LO, "bob"));
    m.put("contact-list", new Frame.ContactList(RID, HI, LO, null));
    m.put("block", new Frame.Block(RID, HI, LO, "mallory"));
    m.put("unblock", new Frame.Unblock(RID, HI, LO, "mallory"));
    m.put("block-list", new Frame.BlockList(RID, HI, LO, "alice"));
    m.put("ok-contact-list", new Frame.OkContactList(RID, List.of(
        new Contact(UserName.of("bob"), Contact.Presence.ONLINE, Optional.of(Instant.ofEpochMilli(AT))),
        new Contact(UserName.of("carol"), Contact.Presence.UNKNOWN, Optional.empty())), null));
    m.put("ok-block-list", new Frame.OkBlockList(RID, List.of("mallory"), null));
    m.put("presence-hide", new Frame.PresenceHide(RID, HI, LO, true));
    m.put("presence-show", new Frame.PresenceHide(RID, HI, LO, false));
    m.put("ok-presence-hide", new Frame.OkEmpty(RID, 0x1f));
    m.put("push-presence-online", new Frame.PushPresence(PUSH + 2, 2, AT, "bob"));
    m.put("push-presence-offline", new Frame.PushPresence(PUSH + 3, 1, AT, "bob"));
    m.put("account-delete", new Frame.AccountDelete(RID, HI, LO, "correct horse"));
    m.put("account-info", new Frame.AccountInfo(RID, HI, LO));
    m.put("ok-account-delete", new Frame.OkEmpty(RID, 0x20));
    m.put("ok-account-info", new Frame.OkAccount(RID, AT, "alice"));
    return m;
  }
}
