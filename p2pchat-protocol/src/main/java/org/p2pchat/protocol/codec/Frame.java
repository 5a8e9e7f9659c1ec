package org.p2pchat.protocol.codec;

import java.util.List;
import java.util.Objects;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.protocol.codec.internal.FrameType;

/**
 * Every frame of protocol v1 as an immutable value, for tools, tests and test vectors; the
 * engines use flyweights instead, which read and write frames in place and allocate nothing.
 * {@link FrameCodec} turns these values into bytes and back.
 *
 * <p>The values check nulls only; {@link FrameCodec#encode} checks the protocol's limits.
 * {@code toString} never shows a password or a session token.
 */
public sealed interface Frame {

  /** The request id (for pushes, the push id). */
  long requestId();

  /** The frame type: the number in byte 3 of the header ({@code docs/protocol.md} section 2). */
  int type();

  /** REGISTER: create an account. */
  record Register(long requestId, String name, String password) implements Frame {
    /** Checks for nulls. */
    public Register {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(password, "password");
    }

    @Override
    public int type() {
      return FrameType.REGISTER.code();
    }

    @Override
    public String toString() {
      return "Register[requestId=" + requestId + ", name=" + name + ", password=***]";
    }
  }

  /** LOGIN: open a session. */
  record Login(long requestId, String name, String password) implements Frame {
    /** Checks for nulls. */
    public Login {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(password, "password");
    }

    @Override
    public int type() {
      return FrameType.LOGIN.code();
    }

    @Override
    public String toString() {
      return "Login[requestId=" + requestId + ", name=" + name + ", password=***]";
    }
  }

  /** LOGOUT: end the session of the token. */
  record Logout(long requestId, long tokenHi, long tokenLo) implements Frame {
    @Override
    public int type() {
      return FrameType.LOGOUT.code();
    }

    @Override
    public String toString() {
      return "Logout[requestId=" + requestId + ", token=***]";
    }
  }

  /** SEND: send {@code body} to {@code recipient}. */
  record Send(long requestId, long tokenHi, long tokenLo, String recipient, String body)
      implements Frame {
    /** Checks for nulls. */
    public Send {
      Objects.requireNonNull(recipient, "recipient");
      Objects.requireNonNull(body, "body");
    }

    @Override
    public int type() {
      return FrameType.SEND.code();
    }

    @Override
    public String toString() {
      return "Send[requestId=" + requestId + ", token=***, recipient=" + recipient + ", body="
          + body + "]";
    }
  }

  /** HISTORY: ask for a page; {@code peer} is null for all peers. */
  record History(long requestId, long tokenHi, long tokenLo, String peer, boolean unreadOnly,
      boolean after, long cursor, int limit) implements Frame {
    @Override
    public int type() {
      return FrameType.HISTORY.code();
    }

    @Override
    public String toString() {
      return "History[requestId=" + requestId + ", token=***, peer=" + peer + ", unreadOnly="
          + unreadOnly + ", after=" + after + ", cursor=" + cursor + ", limit=" + limit + "]";
    }
  }

  /** PING: keep the session alive. */
  record Ping(long requestId, long tokenHi, long tokenLo) implements Frame {
    @Override
    public int type() {
      return FrameType.PING.code();
    }

    @Override
    public String toString() {
      return "Ping[requestId=" + requestId + ", token=***]";
    }
  }

  /** MARK_READ: mark 1 to 64 received messages read. */
  record MarkRead(long requestId, long tokenHi, long tokenLo, List<Long> messageIds)
      implements Frame {
    /** Copies the list. */
    public MarkRead {
      messageIds = List.copyOf(messageIds);
    }

    @Override
    public int type() {
      return FrameType.MARK_READ.code();
    }

    @Override
    public String toString() {
      return "MarkRead[requestId=" + requestId + ", token=***, messageIds=" + messageIds + "]";
    }
  }

  /** PUSH_ACK: acknowledge the push whose push id is {@code requestId}. */
  record PushAck(long requestId, long tokenHi, long tokenLo) implements Frame {
    @Override
    public int type() {
      return FrameType.PUSH_ACK.code();
    }

    @Override
    public String toString() {
      return "PushAck[requestId=" + requestId + ", token=***]";
    }
  }

  /** OK without payload, answering REGISTER, LOGOUT, PING or MARK_READ. */
  record OkEmpty(long requestId, int inReplyTo) implements Frame {
    @Override
    public int type() {
      return FrameType.OK.code();
    }
  }

  /** OK to LOGIN: the session token and the keepalive interval in ms. */
  record OkLogin(long requestId, long tokenHi, long tokenLo, long keepaliveMillis)
      implements Frame {
    @Override
    public int type() {
      return FrameType.OK.code();
    }

    @Override
    public String toString() {
      return "OkLogin[requestId=" + requestId + ", token=***, keepaliveMillis="
          + keepaliveMillis + "]";
    }
  }

  /** OK to SEND: the stored message's id and time (ms since the Unix epoch). */
  record OkSend(long requestId, long messageId, long sentAtMillis) implements Frame {
    @Override
    public int type() {
      return FrameType.OK.code();
    }
  }

  /** OK to HISTORY: one page, in increasing id order; {@code nextCursor} 0 = no more pages. */
  record OkHistory(long requestId, long nextCursor, List<ChatMessage> messages) implements Frame {
    /** Copies the list. */
    public OkHistory {
      messages = List.copyOf(messages);
    }

    @Override
    public int type() {
      return FrameType.OK.code();
    }
  }

  /**
   * ERROR: the request failed with {@code errorCode}; {@code retryAfterMillis} 0 = no advice;
   * {@code versions} lists the server's versions (for UNSUPPORTED_VERSION), else is empty.
   */
  record Error(long requestId, int errorCode, long retryAfterMillis, List<Integer> versions)
      implements Frame {
    /** Copies the list. */
    public Error {
      versions = List.copyOf(versions);
    }

    @Override
    public int type() {
      return FrameType.ERROR.code();
    }
  }

  /** PUSH_MESSAGE: a new message for the receiving session; {@code requestId} is the push id. */
  record PushMessage(long requestId, long messageId, long sentAtMillis, String sender,
      String body) implements Frame {
    /** Checks for nulls. */
    public PushMessage {
      Objects.requireNonNull(sender, "sender");
      Objects.requireNonNull(body, "body");
    }

    @Override
    public int type() {
      return FrameType.PUSH_MESSAGE.code();
    }
  }

  /** PUSH_STATE: a sent message reached {@code state} (2 DELIVERED, 3 READ). */
  record PushState(long requestId, long messageId, int state, String recipient)
      implements Frame {
    /** Checks for nulls. */
    public PushState {
      Objects.requireNonNull(recipient, "recipient");
    }

    @Override
    public int type() {
      return FrameType.PUSH_STATE.code();
    }
  }

  // ---------------------------------------------------------------- devices (section 17)

  /** LOGIN_DEVICE: open a session as the device {@code deviceName} and get its credential. */
  record LoginDevice(long requestId, String name, String password, String deviceName) implements Frame {
    /** Checks for nulls. */
    public LoginDevice {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(password, "password");
      Objects.requireNonNull(deviceName, "deviceName");
    }

    @Override
    public int type() {
      return FrameType.LOGIN_DEVICE.code();
    }

    @Override
    public String toString() {
      return "LoginDevice[requestId=" + requestId + ", name=" + name + ", password=***, deviceName="
          + deviceName + "]";
    }
  }

  /** RESUME: open a session with the credential of device {@code deviceId}; {@code secret} has 32 bytes. */
  record Resume(long requestId, long deviceId, byte[] secret) implements Frame {
    /** Copies the secret. */
    public Resume {
      secret = secret.clone();
    }

    @Override
    public byte[] secret() {
      return secret.clone();
    }

    @Override
    public int type() {
      return FrameType.RESUME.code();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Resume r && r.requestId == requestId && r.deviceId == deviceId
          && java.util.Arrays.equals(r.secret, secret);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(requestId) * 31 + Long.hashCode(deviceId);
    }

    @Override
    public String toString() {
      return "Resume[requestId=" + requestId + ", deviceId=" + deviceId + ", secret=***]";
    }
  }

  /** DEVICES: list the user's devices. */
  record Devices(long requestId, long tokenHi, long tokenLo) implements Frame {
    @Override
    public int type() {
      return FrameType.DEVICES.code();
    }

    @Override
    public String toString() {
      return "Devices[requestId=" + requestId + ", token=***]";
    }
  }

  /** REVOKE_DEVICE: revoke device {@code deviceId} of the user, or every device for 0. */
  record RevokeDevice(long requestId, long tokenHi, long tokenLo, long deviceId) implements Frame {
    @Override
    public int type() {
      return FrameType.REVOKE_DEVICE.code();
    }

    @Override
    public String toString() {
      return "RevokeDevice[requestId=" + requestId + ", token=***, deviceId=" + deviceId + "]";
    }
  }

  /** SEND_KEYED: SEND with the sender's idempotency key. */
  record SendKeyed(long requestId, long tokenHi, long tokenLo, long key, String recipient, String body)
      implements Frame {
    /** Checks for nulls. */
    public SendKeyed {
      Objects.requireNonNull(recipient, "recipient");
      Objects.requireNonNull(body, "body");
    }

    @Override
    public int type() {
      return FrameType.SEND_KEYED.code();
    }

    @Override
    public String toString() {
      return "SendKeyed[requestId=" + requestId + ", token=***, key=" + key + ", recipient=" + recipient
          + ", body=" + body + "]";
    }
  }

  /** OK to LOGIN_DEVICE: the session and the device credential ({@code secret}, 32 bytes). */
  record OkDeviceLogin(long requestId, long tokenHi, long tokenLo, long keepaliveMillis, long deviceId,
      byte[] secret) implements Frame {
    /** Copies the secret. */
    public OkDeviceLogin {
      secret = secret.clone();
    }

    @Override
    public byte[] secret() {
      return secret.clone();
    }

    @Override
    public int type() {
      return FrameType.OK.code();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof OkDeviceLogin r && r.requestId == requestId && r.tokenHi == tokenHi
          && r.tokenLo == tokenLo && r.keepaliveMillis == keepaliveMillis && r.deviceId == deviceId
          && java.util.Arrays.equals(r.secret, secret);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(requestId) * 31 + Long.hashCode(deviceId);
    }

    @Override
    public String toString() {
      return "OkDeviceLogin[requestId=" + requestId + ", token=***, keepaliveMillis=" + keepaliveMillis
          + ", deviceId=" + deviceId + ", secret=***]";
    }
  }

  /** OK to RESUME: the session token and the keepalive interval in ms. */
  record OkResume(long requestId, long tokenHi, long tokenLo, long keepaliveMillis) implements Frame {
    @Override
    public int type() {
      return FrameType.OK.code();
    }

    @Override
    public String toString() {
      return "OkResume[requestId=" + requestId + ", token=***, keepaliveMillis=" + keepaliveMillis + "]";
    }
  }

  /** One device in an {@link OkDevices}; times in ms since the Unix epoch. */
  record DeviceEntry(long deviceId, long createdAtMillis, long lastUsedAtMillis, boolean current, String name) {
    /** Checks for nulls. */
    public DeviceEntry {
      Objects.requireNonNull(name, "name");
    }
  }

  /** OK to DEVICES: the user's devices, at most 10. */
  record OkDevices(long requestId, List<DeviceEntry> devices) implements Frame {
    /** Copies the list. */
    public OkDevices {
      devices = List.copyOf(devices);
    }

    @Override
    public int type() {
      return FrameType.OK.code();
    }
  }

  /** OK to SEND_KEYED: the stored message's id and time (stored now or by an earlier send with the key). */
  record OkSendKeyed(long requestId, long messageId, long sentAtMillis) implements Frame {
    @Override
    public int type() {
      return FrameType.OK.code();
    }
  }

  // ---------------------------------------------------------------- long messages (docs/protocol.md section 23)

  /** SEND_PART: part {@code partIndex} of a long message of {@code totalLength} bytes, named by its key. */
  record SendPart(long requestId, long tokenHi, long tokenLo, long key, String recipient, int totalLength,
      int partIndex, byte[] part) implements Frame {
    /** Checks for nulls and copies the part. */
    public SendPart {
      Objects.requireNonNull(recipient, "recipient");
      part = part.clone();
    }

    @Override
    public byte[] part() {
      return part.clone();
    }

    @Override
    public int type() {
      return FrameType.SEND_PART.code();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof SendPart r && r.requestId == requestId && r.tokenHi == tokenHi && r.tokenLo == tokenLo
          && r.key == key && r.recipient.equals(recipient) && r.totalLength == totalLength
          && r.partIndex == partIndex && java.util.Arrays.equals(r.part, part);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(requestId) * 31 + Long.hashCode(key) * 7 + partIndex;
    }

    @Override
    public String toString() {
      return "SendPart[requestId=" + requestId + ", token=***, key=" + key + ", recipient=" + recipient
          + ", totalLength=" + totalLength + ", partIndex=" + partIndex + ", part=" + part.length + " bytes]";
    }
  }

  /** OK to SEND_PART: the stored message's id and time, or 0 and 0 while the message is not whole. */
  record OkSendPart(long requestId, long messageId, long sentAtMillis) implements Frame {
    @Override
    public int type() {
      return FrameType.OK.code();
    }
  }

  /** MESSAGE_PART: asks for part {@code partIndex} of a stored long message. */
  record MessagePart(long requestId, long tokenHi, long tokenLo, long messageId, int partIndex) implements Frame {
    @Override
    public int type() {
      return FrameType.MESSAGE_PART.code();
    }

    @Override
    public String toString() {
      return "MessagePart[requestId=" + requestId + ", token=***, messageId=" + messageId + ", partIndex="
          + partIndex + "]";
    }
  }

  /** OK to MESSAGE_PART: the part's bytes. */
  record OkMessagePart(long requestId, long messageId, int partIndex, byte[] part) implements Frame {
    /** Copies the part. */
    public OkMessagePart {
      part = part.clone();
    }

    @Override
    public byte[] part() {
      return part.clone();
    }

    @Override
    public int type() {
      return FrameType.OK.code();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof OkMessagePart r && r.requestId == requestId && r.messageId == messageId
          && r.partIndex == partIndex && java.util.Arrays.equals(r.part, part);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(requestId) * 31 + Long.hashCode(messageId) * 7 + partIndex;
    }

    @Override
    public String toString() {
      return "OkMessagePart[requestId=" + requestId + ", messageId=" + messageId + ", partIndex=" + partIndex
          + ", part=" + part.length + " bytes]";
    }
  }

  /** HISTORY_LONG: HISTORY whose answer carries long messages as stubs. */
  record HistoryLong(long requestId, long tokenHi, long tokenLo, String peer, boolean unreadOnly,
      boolean after, long cursor, int limit) implements Frame {
    @Override
    public int type() {
      return FrameType.HISTORY_LONG.code();
    }

    @Override
    public String toString() {
      return "HistoryLong[requestId=" + requestId + ", token=***, peer=" + peer + ", unreadOnly="
          + unreadOnly + ", after=" + after + ", cursor=" + cursor + ", limit=" + limit + "]";
    }
  }

  /**
   * One entry of an {@link OkHistoryLong}: {@code body} is the whole text of a message of at most
   * 1000 bytes, and null for a long message's stub; {@code state} 1 STORED, 2 DELIVERED, 3 READ.
   */
  record LongEntry(long messageId, long sentAtMillis, int state, String sender, String recipient,
      int totalLength, String body) {
    /** Checks for nulls (the body may be null). */
    public LongEntry {
      Objects.requireNonNull(sender, "sender");
      Objects.requireNonNull(recipient, "recipient");
    }

    /** The entry of a stored message: its body when it fits one text field, else a stub. */
    public static LongEntry of(ChatMessage m) {
      int total = org.p2pchat.api.ProtocolLimits.utf8Length(m.body());
      return new LongEntry(m.id(), m.sentAt().toEpochMilli(), m.state().code(), m.sender().value(),
          m.recipient().value(), total, total <= org.p2pchat.api.ProtocolLimits.MAX_BODY_BYTES ? m.body() : null);
    }

    /** Whether this is a long message's stub, whose body is fetched part by part. */
    public boolean isStub() {
      return body == null;
    }
  }

  /** OK to HISTORY_LONG: one page, in increasing id order; {@code nextCursor} 0 = no more pages. */
  record OkHistoryLong(long requestId, long nextCursor, List<LongEntry> entries) implements Frame {
    /** Copies the list. */
    public OkHistoryLong {
      entries = List.copyOf(entries);
    }

    @Override
    public int type() {
      return FrameType.OK.code();
    }
  }

  /** PUSH_LONG_MESSAGE: a long message arrived; the client fetches its parts, then acknowledges. */
  record PushLongMessage(long requestId, long messageId, long sentAtMillis, String sender, int totalLength)
      implements Frame {
    /** Checks for nulls. */
    public PushLongMessage {
      Objects.requireNonNull(sender, "sender");
    }

    @Override
    public int type() {
      return FrameType.PUSH_LONG_MESSAGE.code();
    }
  }

  // ---------------------------------------------------------------- rooms (docs/protocol.md section 19)

  /** ROOM_CREATE: create a room the caller owns. */
  record RoomCreate(long requestId, long tokenHi, long tokenLo, String title) implements Frame {
    /** Checks for nulls. */
    public RoomCreate {
      Objects.requireNonNull(title, "title");
    }

    @Override
    public int type() {
      return FrameType.ROOM_CREATE.code();
    }

    @Override
    public String toString() {
      return "RoomCreate[requestId=" + requestId + ", token=***, title=" + title + "]";
    }
  }

  /** ROOM_ADD: add {@code member} to a room (the owner only). */
  record RoomAdd(long requestId, long tokenHi, long tokenLo, long roomId, String member) implements Frame {
    /** Checks for nulls. */
    public RoomAdd {
      Objects.requireNonNull(member, "member");
    }

    @Override
    public int type() {
      return FrameType.ROOM_ADD.code();
    }

    @Override
    public String toString() {
      return "RoomAdd[requestId=" + requestId + ", token=***, roomId=" + roomId + ", member=" + member + "]";
    }
  }

  /** ROOM_REMOVE: remove {@code member} from a room (the owner, or the member: leave). */
  record RoomRemove(long requestId, long tokenHi, long tokenLo, long roomId, String member) implements Frame {
    /** Checks for nulls. */
    public RoomRemove {
      Objects.requireNonNull(member, "member");
    }

    @Override
    public int type() {
      return FrameType.ROOM_REMOVE.code();
    }

    @Override
    public String toString() {
      return "RoomRemove[requestId=" + requestId + ", token=***, roomId=" + roomId + ", member=" + member + "]";
    }
  }

  /** ROOM_RENAME: rename a room (the owner only). */
  record RoomRename(long requestId, long tokenHi, long tokenLo, long roomId, String title) implements Frame {
    /** Checks for nulls. */
    public RoomRename {
      Objects.requireNonNull(title, "title");
    }

    @Override
    public int type() {
      return FrameType.ROOM_RENAME.code();
    }

    @Override
    public String toString() {
      return "RoomRename[requestId=" + requestId + ", token=***, roomId=" + roomId + ", title=" + title + "]";
    }
  }

  /** ROOM_MEMBERS: a page of a room's members with names after {@code cursor} (null = first page). */
  record RoomMembers(long requestId, long tokenHi, long tokenLo, long roomId, String cursor) implements Frame {
    @Override
    public int type() {
      return FrameType.ROOM_MEMBERS.code();
    }

    @Override
    public String toString() {
      return "RoomMembers[requestId=" + requestId + ", token=***, roomId=" + roomId + ", cursor=" + cursor + "]";
    }
  }

  /** ROOM_SEND: send {@code body} to a room. */
  record RoomSend(long requestId, long tokenHi, long tokenLo, long roomId, String body) implements Frame {
    /** Checks for nulls. */
    public RoomSend {
      Objects.requireNonNull(body, "body");
    }

    @Override
    public int type() {
      return FrameType.ROOM_SEND.code();
    }

    @Override
    public String toString() {
      return "RoomSend[requestId=" + requestId + ", token=***, roomId=" + roomId + ", body=" + body + "]";
    }
  }

  /** ROOM_MARK_READ: move the caller's read marker to {@code upToMessageId}. */
  record RoomMarkRead(long requestId, long tokenHi, long tokenLo, long roomId, long upToMessageId) implements Frame {
    @Override
    public int type() {
      return FrameType.ROOM_MARK_READ.code();
    }

    @Override
    public String toString() {
      return "RoomMarkRead[requestId=" + requestId + ", token=***, roomId=" + roomId + ", upToMessageId=" + upToMessageId + "]";
    }
  }

  /** ROOM_LIST: a page of the caller's rooms with ids above {@code cursor} (0 = first page). */
  record RoomList(long requestId, long tokenHi, long tokenLo, long cursor) implements Frame {
    @Override
    public int type() {
      return FrameType.ROOM_LIST.code();
    }

    @Override
    public String toString() {
      return "RoomList[requestId=" + requestId + ", token=***, cursor=" + cursor + "]";
    }
  }

  /** ROOM_HISTORY: a page of a room's messages, with HISTORY's options. */
  record RoomHistory(long requestId, long tokenHi, long tokenLo, long roomId, boolean unreadOnly,
      boolean after, long cursor, int limit) implements Frame {
    @Override
    public int type() {
      return FrameType.ROOM_HISTORY.code();
    }

    @Override
    public String toString() {
      return "RoomHistory[requestId=" + requestId + ", token=***, roomId=" + roomId + ", unreadOnly="
          + unreadOnly + ", after=" + after + ", cursor=" + cursor + ", limit=" + limit + "]";
    }
  }

  /** OK to ROOM_CREATE: the new room's id. */
  record OkRoom(long requestId, long roomId) implements Frame {
    @Override
    public int type() {
      return FrameType.OK.code();
    }
  }

  /** OK to ROOM_SEND: the stored room message's id and time. */
  record OkRoomSend(long requestId, long messageId, long sentAtMillis) implements Frame {
    @Override
    public int type() {
      return FrameType.OK.code();
    }
  }

  /** OK to ROOM_LIST: a page of rooms; {@code nextCursor} 0 = no more pages. */
  record OkRoomList(long requestId, long nextCursor, List<org.p2pchat.api.Room> rooms) implements Frame {
    /** Copies the list. */
    public OkRoomList {
      rooms = List.copyOf(rooms);
    }

    @Override
    public int type() {
      return FrameType.OK.code();
    }
  }

  /** OK to ROOM_MEMBERS: a page of members; {@code nextCursor} null = no more pages. */
  record OkRoomMembers(long requestId, List<org.p2pchat.api.RoomMember> members, String nextCursor)
      implements Frame {
    /** Copies the list. */
    public OkRoomMembers {
      members = List.copyOf(members);
    }

    @Override
    public int type() {
      return FrameType.OK.code();
    }
  }

  /** One message of an {@link OkRoomHistory} page. */
  record RoomEntry(long messageId, long sentAtMillis, int readCount, String sender, String body) {
    /** Checks for nulls. */
    public RoomEntry {
      Objects.requireNonNull(sender, "sender");
      Objects.requireNonNull(body, "body");
    }
  }

  /** OK to ROOM_HISTORY: one page, in increasing id order; {@code nextCursor} 0 = no more pages. */
  record OkRoomHistory(long requestId, long nextCursor, List<RoomEntry> entries) implements Frame {
    /** Copies the list. */
    public OkRoomHistory {
      entries = List.copyOf(entries);
    }

    @Override
    public int type() {
      return FrameType.OK.code();
    }
  }

  /** PUSH_ROOM_MESSAGE: a new message of a room the receiving user belongs to. */
  record PushRoomMessage(long requestId, long roomId, long messageId, long sentAtMillis, String sender,
      String body) implements Frame {
    /** Checks for nulls. */
    public PushRoomMessage {
      Objects.requireNonNull(sender, "sender");
      Objects.requireNonNull(body, "body");
    }

    @Override
    public int type() {
      return FrameType.PUSH_ROOM_MESSAGE.code();
    }
  }

  /** PUSH_ROOM_READ: {@code reader} read the room up to {@code upToMessageId}. */
  record PushRoomRead(long requestId, long roomId, long upToMessageId, String reader) implements Frame {
    /** Checks for nulls. */
    public PushRoomRead {
      Objects.requireNonNull(reader, "reader");
    }

    @Override
    public int type() {
      return FrameType.PUSH_ROOM_READ.code();
    }
  }

  // ---------------------------------------------------------------- contacts and blocks (docs/protocol.md section 20)

  /** CONTACT_ADD: add {@code user} to the caller's contacts. */
  record ContactAdd(long requestId, long tokenHi, long tokenLo, String user) implements Frame {
    /** Checks for nulls. */
    public ContactAdd {
      Objects.requireNonNull(user, "user");
    }

    @Override
    public int type() {
      return FrameType.CONTACT_ADD.code();
    }

    @Override
    public String toString() {
      return "ContactAdd[requestId=" + requestId + ", token=***, user=" + user + "]";
    }
  }

  /** CONTACT_REMOVE: remove {@code user} from the caller's contacts. */
  record ContactRemove(long requestId, long tokenHi, long tokenLo, String user) implements Frame {
    /** Checks for nulls. */
    public ContactRemove {
      Objects.requireNonNull(user, "user");
    }

    @Override
    public int type() {
      return FrameType.CONTACT_REMOVE.code();
    }

    @Override
    public String toString() {
      return "ContactRemove[requestId=" + requestId + ", token=***, user=" + user + "]";
    }
  }

  /** CONTACT_LIST: a page of the caller's contacts with names after {@code cursor} (null = first page). */
  record ContactList(long requestId, long tokenHi, long tokenLo, String cursor) implements Frame {
    @Override
    public int type() {
      return FrameType.CONTACT_LIST.code();
    }

    @Override
    public String toString() {
      return "ContactList[requestId=" + requestId + ", token=***, cursor=" + cursor + "]";
    }
  }

  /** BLOCK: block {@code user}. */
  record Block(long requestId, long tokenHi, long tokenLo, String user) implements Frame {
    /** Checks for nulls. */
    public Block {
      Objects.requireNonNull(user, "user");
    }

    @Override
    public int type() {
      return FrameType.BLOCK.code();
    }

    @Override
    public String toString() {
      return "Block[requestId=" + requestId + ", token=***, user=" + user + "]";
    }
  }

  /** UNBLOCK: unblock {@code user}. */
  record Unblock(long requestId, long tokenHi, long tokenLo, String user) implements Frame {
    /** Checks for nulls. */
    public Unblock {
      Objects.requireNonNull(user, "user");
    }

    @Override
    public int type() {
      return FrameType.UNBLOCK.code();
    }

    @Override
    public String toString() {
      return "Unblock[requestId=" + requestId + ", token=***, user=" + user + "]";
    }
  }

  /** BLOCK_LIST: a page of the users the caller blocks, after {@code cursor} (null = first page). */
  record BlockList(long requestId, long tokenHi, long tokenLo, String cursor) implements Frame {
    @Override
    public int type() {
      return FrameType.BLOCK_LIST.code();
    }

    @Override
    public String toString() {
      return "BlockList[requestId=" + requestId + ", token=***, cursor=" + cursor + "]";
    }
  }

  // ---------------------------------------------------------------- presence (docs/protocol.md section 21)

  /** PRESENCE_HIDE: hide the caller's presence from their contacts ({@code hidden}), or show it. */
  record PresenceHide(long requestId, long tokenHi, long tokenLo, boolean hidden) implements Frame {
    @Override
    public int type() {
      return FrameType.PRESENCE_HIDE.code();
    }

    @Override
    public String toString() {
      return "PresenceHide[requestId=" + requestId + ", token=***, hidden=" + hidden + "]";
    }
  }

  /**
   * PUSH_PRESENCE: mutual contact {@code contact} came online (presence 2) or went offline (1),
   * last seen at {@code lastSeenMillis} (0 = unknown).
   */
  record PushPresence(long requestId, int presence, long lastSeenMillis, String contact) implements Frame {
    /** Checks for nulls. */
    public PushPresence {
      Objects.requireNonNull(contact, "contact");
    }

    @Override
    public int type() {
      return FrameType.PUSH_PRESENCE.code();
    }
  }

  /** OK to CONTACT_LIST: a page of contacts; {@code nextCursor} null = no more pages. */
  record OkContactList(long requestId, List<org.p2pchat.api.Contact> contacts, String nextCursor) implements Frame {
    /** Copies the list. */
    public OkContactList {
      contacts = List.copyOf(contacts);
    }

    @Override
    public int type() {
      return FrameType.OK.code();
    }
  }

  /** OK to BLOCK_LIST: a page of names; {@code nextCursor} null = no more pages. */
  record OkBlockList(long requestId, List<String> names, String nextCursor) implements Frame {
    /** Copies the list. */
    public OkBlockList {
      names = List.copyOf(names);
    }

    @Override
    public int type() {
      return FrameType.OK.code();
    }
  }

  /** ACCOUNT_DELETE: delete the session's account, proven with its password (section 22). */
  record AccountDelete(long requestId, long tokenHi, long tokenLo, String password) implements Frame {
    /** Checks for nulls. */
    public AccountDelete {
      Objects.requireNonNull(password, "password");
    }

    @Override
    public int type() {
      return FrameType.ACCOUNT_DELETE.code();
    }

    @Override
    public String toString() {
      return "AccountDelete[requestId=" + requestId + ", token=***, password=***]";
    }
  }

  /** ACCOUNT_INFO: the session's account, for an export (section 22). */
  record AccountInfo(long requestId, long tokenHi, long tokenLo) implements Frame {
    @Override
    public int type() {
      return FrameType.ACCOUNT_INFO.code();
    }

    @Override
    public String toString() {
      return "AccountInfo[requestId=" + requestId + ", token=***]";
    }
  }

  /** OK to ACCOUNT_INFO: when the account was created, and its name. */
  record OkAccount(long requestId, long createdAtMillis, String name) implements Frame {
    /** Checks for nulls. */
    public OkAccount {
      Objects.requireNonNull(name, "name");
    }

    @Override
    public int type() {
      return FrameType.OK.code();
    }
  }

  // ---------------------------------------------------------------- batched acknowledgements (section 24)

  /** FEATURES: the optional parts of the protocol the client understands, for its session. */
  record Features(long requestId, long tokenHi, long tokenLo, long features) implements Frame {
    @Override
    public int type() {
      return FrameType.FEATURES.code();
    }

    @Override
    public String toString() {
      return "Features[requestId=" + requestId + ", token=***, features=" + features + "]";
    }
  }

  /** PUSH_ACKS: acknowledge many pushes at once; {@code requestId} is 0. */
  record PushAcks(long requestId, long tokenHi, long tokenLo, List<Long> pushIds) implements Frame {
    /** Copies the list. */
    public PushAcks {
      pushIds = List.copyOf(pushIds);
    }

    @Override
    public int type() {
      return FrameType.PUSH_ACKS.code();
    }

    @Override
    public String toString() {
      return "PushAcks[requestId=" + requestId + ", token=***, pushIds=" + pushIds + "]";
    }
  }

  /** PUSH_STATES: many messages of the receiving user were delivered or read. */
  record PushStates(long requestId, List<StateEntry> entries) implements Frame {
    /** Copies the list. */
    public PushStates {
      entries = List.copyOf(entries);
    }

    @Override
    public int type() {
      return FrameType.PUSH_STATES.code();
    }
  }

  /** One entry of {@link PushStates}: a message, its new state (2 or 3) and its recipient. */
  record StateEntry(long messageId, int state, String recipient) {
    /** Checks for nulls. */
    public StateEntry {
      Objects.requireNonNull(recipient, "recipient");
    }
  }

  /** PEER_CONNECT: ask for an introduction to a mutual contact's devices (link 0), or answer one. */
  record PeerConnect(long requestId, long tokenHi, long tokenLo, long linkId, String peer, byte[] staticKey,
      boolean direct, List<java.net.InetSocketAddress> candidates) implements Frame {
    /** Copies the key and the list. */
    public PeerConnect {
      Objects.requireNonNull(peer, "peer");
      staticKey = staticKey.clone();
      candidates = List.copyOf(candidates);
    }

    @Override
    public byte[] staticKey() {
      return staticKey.clone();
    }

    @Override
    public int type() {
      return FrameType.PEER_CONNECT.code();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof PeerConnect r && r.requestId == requestId && r.tokenHi == tokenHi && r.tokenLo == tokenLo
          && r.linkId == linkId && r.peer.equals(peer) && java.util.Arrays.equals(r.staticKey, staticKey)
          && r.direct == direct && r.candidates.equals(candidates);
    }

    @Override
    public int hashCode() {
      return Objects.hash(requestId, linkId, peer, java.util.Arrays.hashCode(staticKey), direct, candidates);
    }

    @Override
    public String toString() {
      return "PeerConnect[requestId=" + requestId + ", token=***, linkId=" + linkId + ", peer=" + peer
          + ", direct=" + direct + ", candidates=" + candidates + "]";
    }
  }

  /** RELAY: a peer packet for the other end of a link; never answered. */
  record Relay(long requestId, long tokenHi, long tokenLo, long linkId, byte[] payload) implements Frame {
    /** Copies the payload. */
    public Relay {
      payload = payload.clone();
    }

    @Override
    public byte[] payload() {
      return payload.clone();
    }

    @Override
    public int type() {
      return FrameType.RELAY.code();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Relay r && r.requestId == requestId && r.tokenHi == tokenHi && r.tokenLo == tokenLo
          && r.linkId == linkId && java.util.Arrays.equals(r.payload, payload);
    }

    @Override
    public int hashCode() {
      return Objects.hash(requestId, linkId, java.util.Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
      return "Relay[requestId=" + requestId + ", token=***, linkId=" + linkId + ", " + payload.length + " bytes]";
    }
  }

  /** PUSH_PEER: the server introduces a mutual contact's device and vouches for its key. */
  record PushPeer(long requestId, long linkId, int role, String peer, long deviceId, byte[] staticKey,
      boolean direct, List<java.net.InetSocketAddress> candidates) implements Frame {
    /** Copies the key and the list. */
    public PushPeer {
      Objects.requireNonNull(peer, "peer");
      staticKey = staticKey.clone();
      candidates = List.copyOf(candidates);
    }

    @Override
    public byte[] staticKey() {
      return staticKey.clone();
    }

    @Override
    public int type() {
      return FrameType.PUSH_PEER.code();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof PushPeer r && r.requestId == requestId && r.linkId == linkId && r.role == role
          && r.peer.equals(peer) && r.deviceId == deviceId && java.util.Arrays.equals(r.staticKey, staticKey)
          && r.direct == direct && r.candidates.equals(candidates);
    }

    @Override
    public int hashCode() {
      return Objects.hash(requestId, linkId, role, peer, deviceId, java.util.Arrays.hashCode(staticKey), direct,
          candidates);
    }
  }

  /** RELAYED: a peer packet from the other end of a link; not acknowledged. */
  record Relayed(long requestId, long linkId, byte[] payload) implements Frame {
    /** Copies the payload. */
    public Relayed {
      payload = payload.clone();
    }

    @Override
    public byte[] payload() {
      return payload.clone();
    }

    @Override
    public int type() {
      return FrameType.RELAYED.code();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Relayed r && r.requestId == requestId && r.linkId == linkId
          && java.util.Arrays.equals(r.payload, payload);
    }

    @Override
    public int hashCode() {
      return Objects.hash(requestId, linkId, java.util.Arrays.hashCode(payload));
    }
  }
}
