package org.p2pchat.protocol.codec.internal;

import java.util.ArrayList;
import java.util.List;
import org.p2pchat.protocol.codec.Frame;

/**
 * The frame types of protocol v1, one row each: the number in byte 3 of the header, the
 * direction, the layout of its OK answer, and its object-level codec. A new frame type is one
 * row here (and, if its layout is new, one flyweight class).
 */
public enum FrameType {
  /** Create an account. */
  REGISTER(0x01, Direction.REQUEST, Answer.EMPTY, new FrameMapping<>(Frame.Register.class,
      CredentialsFlyweight::new,
      f -> new Frame.Register(f.requestId(), f.name(), f.password()),
      (v, f) -> f.name(v.name()).password(v.password()))),
  /** Open a session. */
  LOGIN(0x02, Direction.REQUEST, Answer.LOGIN, new FrameMapping<>(Frame.Login.class,
      CredentialsFlyweight::new,
      f -> new Frame.Login(f.requestId(), f.name(), f.password()),
      (v, f) -> f.name(v.name()).password(v.password()))),
  /** End a session. */
  LOGOUT(0x03, Direction.REQUEST, Answer.EMPTY, new FrameMapping<>(Frame.Logout.class,
      TokenFlyweight::new,
      f -> new Frame.Logout(f.requestId(), f.tokenHi(), f.tokenLo()),
      (v, f) -> f.token(v.tokenHi(), v.tokenLo()))),
  /** Send a message to a user. */
  SEND(0x04, Direction.REQUEST, Answer.SEND, new FrameMapping<>(Frame.Send.class,
      type -> new SendFlyweight(),
      f -> new Frame.Send(f.requestId(), f.tokenHi(), f.tokenLo(), f.recipient(), f.body()),
      (v, f) -> f.token(v.tokenHi(), v.tokenLo()).recipient(v.recipient()).body(v.body()))),
  /** Read a page of history. */
  HISTORY(0x05, Direction.REQUEST, Answer.HISTORY, new FrameMapping<>(Frame.History.class,
      type -> new HistoryFlyweight(),
      f -> new Frame.History(f.requestId(), f.tokenHi(), f.tokenLo(), f.peer(), f.unreadOnly(),
          f.after(), f.cursor(), f.pageLimit()),
      (v, f) -> f.token(v.tokenHi(), v.tokenLo()).peer(v.peer())
          .query(v.unreadOnly(), v.after(), v.cursor(), v.limit()))),
  /** Keep a session (and the NAT binding) alive. */
  PING(0x06, Direction.REQUEST, Answer.EMPTY, new FrameMapping<>(Frame.Ping.class,
      TokenFlyweight::new,
      f -> new Frame.Ping(f.requestId(), f.tokenHi(), f.tokenLo()),
      (v, f) -> f.token(v.tokenHi(), v.tokenLo()))),
  /** Mark messages read. */
  MARK_READ(0x07, Direction.REQUEST, Answer.EMPTY, new FrameMapping<>(Frame.MarkRead.class,
      type -> new MarkReadFlyweight(),
      f -> {
        List<Long> ids = new ArrayList<>(f.count());
        for (int i = 0; i < f.count(); i++) {
          ids.add(f.messageId(i));
        }
        return new Frame.MarkRead(f.requestId(), f.tokenHi(), f.tokenLo(), ids);
      },
      (v, f) -> {
        // A value out of the limits, not a call out of order: the flyweight's finish() would
        // throw IllegalStateException, FrameCodec promises IllegalArgumentException.
        if (v.messageIds().isEmpty()) {
          throw new IllegalArgumentException("a MARK_READ carries 1 to "
              + MarkReadFlyweight.MAX_IDS + " ids, not 0");
        }
        f.token(v.tokenHi(), v.tokenLo());
        for (long id : v.messageIds()) {
          f.addMessageId(id);
        }
      })),
  /** Acknowledge a push (PUSH_MESSAGE or PUSH_STATE); never answered. */
  PUSH_ACK(0x08, Direction.ACK, Answer.NONE, new FrameMapping<>(Frame.PushAck.class,
      TokenFlyweight::new,
      f -> new Frame.PushAck(f.requestId(), f.tokenHi(), f.tokenLo()),
      (v, f) -> f.token(v.tokenHi(), v.tokenLo()))),
  /** Open a session as a named device and get its credential (docs/protocol.md section 17). */
  LOGIN_DEVICE(0x09, Direction.REQUEST, Answer.DEVICE_LOGIN, new FrameMapping<>(Frame.LoginDevice.class,
      type -> new DeviceLoginFlyweight(),
      f -> new Frame.LoginDevice(f.requestId(), f.name(), f.password(), f.deviceName()),
      (v, f) -> f.name(v.name()).password(v.password()).deviceName(v.deviceName()))),
  /** Open a session with a device credential. */
  RESUME(0x0a, Direction.REQUEST, Answer.RESUME, new FrameMapping<>(Frame.Resume.class,
      type -> new ResumeFlyweight(),
      f -> new Frame.Resume(f.requestId(), f.deviceId(), f.secret()),
      (v, f) -> f.credential(v.deviceId(), v.secret()))),
  /** List the user's devices. */
  DEVICES(0x0b, Direction.REQUEST, Answer.DEVICES, new FrameMapping<>(Frame.Devices.class,
      TokenFlyweight::new,
      f -> new Frame.Devices(f.requestId(), f.tokenHi(), f.tokenLo()),
      (v, f) -> f.token(v.tokenHi(), v.tokenLo()))),
  /** Revoke one device of the user, or all. */
  REVOKE_DEVICE(0x0c, Direction.REQUEST, Answer.EMPTY, new FrameMapping<>(Frame.RevokeDevice.class,
      type -> new RevokeDeviceFlyweight(),
      f -> new Frame.RevokeDevice(f.requestId(), f.tokenHi(), f.tokenLo(), f.deviceId()),
      (v, f) -> f.token(v.tokenHi(), v.tokenLo()).deviceId(v.deviceId()))),
  /** Send a message with the sender's idempotency key. */
  SEND_KEYED(0x0d, Direction.REQUEST, Answer.SEND_KEYED, new FrameMapping<>(Frame.SendKeyed.class,
      type -> new SendKeyedFlyweight(),
      f -> new Frame.SendKeyed(f.requestId(), f.tokenHi(), f.tokenLo(), f.key(), f.recipient(), f.body()),
      (v, f) -> f.token(v.tokenHi(), v.tokenLo()).key(v.key()).recipient(v.recipient()).body(v.body()))),
  // Rooms (docs/protocol.md section 19).
  /** Create a room. */
  ROOM_CREATE(0x10, Direction.REQUEST, Answer.ROOM, new FrameMapping<>(Frame.RoomCreate.class,
      type -> new RoomCreateFlyweight(),
      f -> new Frame.RoomCreate(f.requestId(), f.tokenHi(), f.tokenLo(), f.title()),
      (v, f) -> f.token(v.tokenHi(), v.tokenLo()).title(v.title()))),
  /** Add a member to a room. */
  ROOM_ADD(0x11, Direction.REQUEST, Answer.EMPTY, new FrameMapping<>(Frame.RoomAdd.class,
      RoomRequestFlyweight::new,
      f -> new Frame.RoomAdd(f.requestId(), f.tokenHi(), f.tokenLo(), f.roomId(), f.name()),
      (v, f) -> f.token(v.tokenHi(), v.tokenLo()).room(v.roomId()).name(v.member()))),
  /** Remove a member from a room, or leave it. */
  ROOM_REMOVE(0x12, Direction.REQUEST, Answer.EMPTY, new FrameMapping<>(Frame.RoomRemove.class,
      RoomRequestFlyweight::new,
      f -> new Frame.RoomRemove(f.requestId(), f.tokenHi(), f.tokenLo(), f.roomId(), f.name()),
      (v, f) -> f.token(v.tokenHi(), v.tokenLo()).room(v.roomId()).name(v.member()))),
  /** Rename a room. */
  ROOM_RENAME(0x13, Direction.REQUEST, Answer.EMPTY, new FrameMapping<>(Frame.RoomRename.class,
      RoomRequestFlyweight::new,
      f -> new Frame.RoomRename(f.requestId(), f.tokenHi(), f.tokenLo(), f.roomId(), f.text()),
      (v, f) -> f.token(v.tokenHi(), v.tokenLo()).room(v.roomId()).text(v.title()))),
  /** List the caller's rooms. */
  ROOM_LIST(0x14, Direction.REQUEST, Answer.ROOM_LIST, new FrameMapping<>(Frame.RoomList.class,
      type -> new RoomListFlyweight(),
      f -> new Frame.RoomList(f.requestId(), f.tokenHi(), f.tokenLo(), f.cursor()),
      (v, f) -> f.token(v.tokenHi(), v.tokenLo()).cursor(v.cursor()))),
  /** List a room's members. */
  ROOM_MEMBERS(0x15, Direction.REQUEST, Answer.ROOM_MEMBERS, new FrameMapping<>(Frame.RoomMembers.class,
      RoomRequestFlyweight::new,
      f -> new Frame.RoomMembers(f.requestId(), f.tokenHi(), f.tokenLo(), f.roomId(), f.name()),
      (v, f) -> f.token(v.tokenHi(), v.tokenLo()).room(v.roomId()).name(v.cursor()))),
  /** Send a message to a room. */
  ROOM_SEND(0x16, Direction.REQUEST, Answer.ROOM_SEND, new FrameMapping<>(Frame.RoomSend.class,
      RoomRequestFlyweight::new,
      f -> new Frame.RoomSend(f.requestId(), f.tokenHi(), f.tokenLo(), f.roomId(), f.text()),
      (v, f) -> f.token(v.tokenHi(), v.tokenLo()).room(v.roomId()).text(v.body()))),
  /** Read a page of a room's history. */
  ROOM_HISTORY(0x17, Direction.REQUEST, Answer.ROOM_HISTORY, new FrameMapping<>(Frame.RoomHistory.class,
      type -> new RoomHistoryFlyweight(),
      f -> new Frame.RoomHistory(f.requestId(), f.tokenHi(), f.tokenLo(), f.roomId(), f.unreadOnly(),
          f.after(), f.cursor(), f.pageLimit()),
      (v, f) -> f.token(v.tokenHi(), v.tokenLo())
          .query(v.roomId(), v.unreadOnly(), v.after(), v.cursor(), v.limit()))),
  /** Move the caller's read marker in a room. */
  ROOM_MARK_READ(0x18, Direction.REQUEST, Answer.EMPTY, new FrameMapping<>(Frame.RoomMarkRead.class,
      RoomRequestFlyweight::new,
      f -> new Frame.RoomMarkRead(f.requestId(), f.tokenHi(), f.tokenLo(), f.roomId(), f.messageId()),
      (v, f) -> f.token(v.tokenHi(), v.tokenLo()).room(v.roomId()).messageId(v.upToMessageId()))),
  // Contacts and blocks (docs/protocol.md section 20).
  /** Add {@code user} to the caller's contacts. */
  CONTACT_ADD(0x19, Direction.REQUEST, Answer.EMPTY, new FrameMapping<>(Frame.ContactAdd.class,
      NameRequestFlyweight::new,
      f -> new Frame.ContactAdd(f.requestId(), f.tokenHi(), f.tokenLo(), f.name()),
      (v, f) -> f.token(v.tokenHi(), v.tokenLo()).name(v.user()))),
  /** Remove {@code user} from the caller's contacts. */
  CONTACT_REMOVE(0x1a, Direction.REQUEST, Answer.EMPTY, new FrameMapping<>(Frame.ContactRemove.class,
      NameRequestFlyweight::new,
      f -> new Frame.ContactRemove(f.requestId(), f.tokenHi(), f.tokenLo(), f.name()),
      (v, f) -> f.token(v.tokenHi(), v.tokenLo()).name(v.user()))),
  /** A page of the caller's contacts with names after {@code cursor} (null = first page). */
  CONTACT_LIST(0x1b, Direction.REQUEST, Answer.CONTACT_LIST, new FrameMapping<>(Frame.ContactList.class,
      NameRequestFlyweight::new,
      f -> new Frame.ContactList(f.requestId(), f.tokenHi(), f.tokenLo(), f.name()),
      (v, f) -> f.token(v.tokenHi(), v.tokenLo()).name(v.cursor()))),
  /** Block {@code user}. */
  BLOCK(0x1c, Direction.REQUEST, Answer.EMPTY, new FrameMapping<>(Frame.Block.class,
      NameRequestFlyweight::new,
      f -> new Frame.Block(f.requestId(), f.tokenHi(), f.tokenLo(), f.name()),
      (v, f) -> f.token(v.tokenHi(), v.tokenLo()).name(v.user()))),
  /** Unblock {@code user}. */
  UNBLOCK(0x1d, Direction.REQUEST, Answer.EMPTY, new FrameMapping<>(Frame.Unblock.class,
      NameRequestFlyweight::new,
      f -> new Frame.Unblock(f.requestId(), f.tokenHi(), f.tokenLo(), f.name()),
      (v, f) -> f.token(v.tokenHi(), v.tokenLo()).name(v.user()))),
  /** A page of the users the caller blocks, after {@code cursor} (null = first page). */
  BLOCK_LIST(0x1e, Direction.REQUEST, Answer.BLOCK_LIST, new FrameMapping<>(Frame.BlockList.class,
      NameRequestFlyweight::new,
      f -> new Frame.BlockList(f.requestId(), f.tokenHi(), f.tokenLo(), f.name()),
      (v, f) -> f.token(v.tokenHi(), v.tokenLo()).name(v.cursor()))),
  // Presence (docs/protocol.md section 21).
  /** Hide the caller's presence from their contacts, or show it again. */
  PRESENCE_HIDE(0x1f, Direction.REQUEST, Answer.EMPTY, new FrameMapping<>(Frame.PresenceHide.class,
      type -> new PresenceHideFlyweight(),
      f -> new Frame.PresenceHide(f.requestId(), f.tokenHi(), f.tokenLo(), f.hidden()),
      (v, f) -> f.token(v.tokenHi(), v.tokenLo()).hidden(v.hidden()))),
  // Account deletion and export (docs/protocol.md section 22).
  /** Delete the session's account, proven with its password. */
  ACCOUNT_DELETE(0x20, Direction.REQUEST, Answer.EMPTY, new FrameMapping<>(Frame.AccountDelete.class,
      type -> new AccountDeleteFlyweight(),
      f -> new Frame.AccountDelete(f.requestId(), f.tokenHi(), f.tokenLo(), f.password()),
      (v, f) -> f.token(v.tokenHi(), v.tokenLo()).password(v.password()))),
  /** The session's account: its name and when it was created. */
  ACCOUNT_INFO(0x21, Direction.REQUEST, Answer.ACCOUNT, new FrameMapping<>(Frame.AccountInfo.class,
      TokenFlyweight::new,
      f -> new Frame.AccountInfo(f.requestId(), f.tokenHi(), f.tokenLo()),
      (v, f) -> f.token(v.tokenHi(), v.tokenLo()))),
  // Long messages (docs/protocol.md section 23).
  /** One part of a long message. */
  SEND_PART(0x22, Direction.REQUEST, Answer.SEND_PART, new FrameMapping<>(Frame.SendPart.class,
      type -> new SendPartFlyweight(),
      f -> new Frame.SendPart(f.requestId(), f.tokenHi(), f.tokenLo(), f.key(), f.recipient(), f.totalLength(),
          f.partIndex(), f.part()),
      (v, f) -> f.token(v.tokenHi(), v.tokenLo()).key(v.key()).recipient(v.recipient())
          .part(v.totalLength(), v.partIndex(), v.part(), 0, v.part().length))),
  /** Ask for one part of a stored long message. */
  MESSAGE_PART(0x23, Direction.REQUEST, Answer.MESSAGE_PART, new FrameMapping<>(Frame.MessagePart.class,
      type -> new MessagePartFlyweight(),
      f -> new Frame.MessagePart(f.requestId(), f.tokenHi(), f.tokenLo(), f.messageId(), f.partIndex()),
      (v, f) -> f.token(v.tokenHi(), v.tokenLo()).part(v.messageId(), v.partIndex()))),
  /** Read a page of history with long messages as stubs. */
  HISTORY_LONG(0x24, Direction.REQUEST, Answer.HISTORY_LONG, new FrameMapping<>(Frame.HistoryLong.class,
      HistoryFlyweight::new,
      f -> new Frame.HistoryLong(f.requestId(), f.tokenHi(), f.tokenLo(), f.peer(), f.unreadOnly(),
          f.after(), f.cursor(), f.pageLimit()),
      (v, f) -> f.token(v.tokenHi(), v.tokenLo()).peer(v.peer())
          .query(v.unreadOnly(), v.after(), v.cursor(), v.limit()))),
  // Batched acknowledgements (docs/protocol.md section 24).
  /** Name the optional parts of the protocol the client understands. */
  FEATURES(0x25, Direction.REQUEST, Answer.EMPTY, new FrameMapping<>(Frame.Features.class,
      type -> new FeaturesFlyweight(),
      f -> new Frame.Features(f.requestId(), f.tokenHi(), f.tokenLo(), f.features()),
      (v, f) -> f.token(v.tokenHi(), v.tokenLo()).features(v.features()))),
  /** Acknowledge many pushes at once; never answered. */
  PUSH_ACKS(0x26, Direction.ACK, Answer.NONE, new FrameMapping<>(Frame.PushAcks.class,
      type -> new PushAcksFlyweight(),
      f -> {
        List<Long> ids = new ArrayList<>(f.count());
        for (int i = 0; i < f.count(); i++) {
          ids.add(f.pushId(i));
        }
        return new Frame.PushAcks(f.requestId(), f.tokenHi(), f.tokenLo(), ids);
      },
      (v, f) -> {
        f.token(v.tokenHi(), v.tokenLo());
        for (long id : v.pushIds()) {
          f.addPushId(id);
        }
      })),
  // Peer to peer (docs/protocol.md section 25).
  /** Ask to be introduced to a mutual contact's devices, or answer an introduction. */
  PEER_CONNECT(0x27, Direction.REQUEST, Answer.EMPTY, new FrameMapping<>(Frame.PeerConnect.class,
      type -> new PeerConnectFlyweight(),
      f -> new Frame.PeerConnect(f.requestId(), f.tokenHi(), f.tokenLo(), f.linkId(), f.peer(), f.staticKey(),
          f.direct(), f.candidates()),
      (v, f) -> f.token(v.tokenHi(), v.tokenLo())
          .connect(v.linkId(), v.peer(), v.staticKey(), v.direct(), v.candidates()))),
  /** A peer packet for the other end of a link, through the server; never answered. */
  RELAY(0x28, Direction.ACK, Answer.NONE, new FrameMapping<>(Frame.Relay.class,
      type -> new RelayFlyweight(),
      f -> new Frame.Relay(f.requestId(), f.tokenHi(), f.tokenLo(), f.linkId(), f.payload()),
      (v, f) -> f.token(v.tokenHi(), v.tokenLo()).relay(v.linkId(), java.nio.ByteBuffer.wrap(v.payload())))),
  /** The success answer to a request; its layout is the request's {@link #answer()}. */
  OK(0x80, Direction.ANSWER, Answer.NONE, null),
  /** The failure answer to a request. */
  ERROR(0x81, Direction.ANSWER, Answer.NONE, new FrameMapping<>(Frame.Error.class,
      type -> new ErrorFlyweight(),
      f -> {
        List<Integer> versions = new ArrayList<>(f.versionCount());
        for (int i = 0; i < f.versionCount(); i++) {
          versions.add(f.version(i));
        }
        return new Frame.Error(f.requestId(), f.errorCode(), f.retryAfterMillis(), versions);
      },
      (v, f) -> {
        f.error(v.errorCode(), v.retryAfterMillis());
        for (int version : v.versions()) {
          f.addVersion(version);
        }
      })),
  /** The server pushes a new message to a recipient's session. */
  PUSH_MESSAGE(0x82, Direction.PUSH, Answer.NONE, new FrameMapping<>(Frame.PushMessage.class,
      type -> new PushMessageFlyweight(),
      f -> new Frame.PushMessage(f.requestId(), f.messageId(), f.sentAtMillis(), f.sender(), f.body()),
      (v, f) -> f.message(v.messageId(), v.sentAtMillis()).sender(v.sender()).body(v.body()))),
  /** The server tells a sender's session that a message was delivered or read. */
  PUSH_STATE(0x83, Direction.PUSH, Answer.NONE, new FrameMapping<>(Frame.PushState.class,
      type -> new PushStateFlyweight(),
      f -> new Frame.PushState(f.requestId(), f.messageId(), f.state(), f.recipient()),
      (v, f) -> f.state(v.messageId(), v.state()).recipient(v.recipient()))),
  /** The server pushes a new room message to a member's session. */
  PUSH_ROOM_MESSAGE(0x86, Direction.PUSH, Answer.NONE, new FrameMapping<>(Frame.PushRoomMessage.class,
      type -> new PushRoomMessageFlyweight(),
      f -> new Frame.PushRoomMessage(f.requestId(), f.roomId(), f.messageId(), f.sentAtMillis(), f.sender(), f.body()),
      (v, f) -> f.message(v.roomId(), v.messageId(), v.sentAtMillis()).from(v.sender(), v.body()))),
  /** The server tells a member's session that someone read a room up to a message. */
  PUSH_ROOM_READ(0x87, Direction.PUSH, Answer.NONE, new FrameMapping<>(Frame.PushRoomRead.class,
      type -> new PushRoomReadFlyweight(),
      f -> new Frame.PushRoomRead(f.requestId(), f.roomId(), f.upToMessageId(), f.reader()),
      (v, f) -> f.read(v.roomId(), v.upToMessageId(), v.reader()))),
  /** The server tells a session that a mutual contact came online or went offline. */
  PUSH_PRESENCE(0x88, Direction.PUSH, Answer.NONE, new FrameMapping<>(Frame.PushPresence.class,
      type -> new PushPresenceFlyweight(),
      f -> new Frame.PushPresence(f.requestId(), f.presence(), f.lastSeenMillis(), f.contact()),
      (v, f) -> f.presence(v.presence(), v.lastSeenMillis(), v.contact()))),
  /** The server tells a recipient's session that a long message arrived (its parts to fetch). */
  PUSH_LONG_MESSAGE(0x89, Direction.PUSH, Answer.NONE, new FrameMapping<>(Frame.PushLongMessage.class,
      type -> new PushLongMessageFlyweight(),
      f -> new Frame.PushLongMessage(f.requestId(), f.messageId(), f.sentAtMillis(), f.sender(), f.totalLength()),
      (v, f) -> f.message(v.messageId(), v.sentAtMillis(), v.sender(), v.totalLength()))),
  /** The server tells a sender's session that many messages were delivered or read. */
  PUSH_STATES(0x8a, Direction.PUSH, Answer.NONE, new FrameMapping<>(Frame.PushStates.class,
      type -> new PushStatesFlyweight(),
      f -> {
        List<Frame.StateEntry> entries = new ArrayList<>(f.count());
        for (int e = f.firstEntry(), i = 0; i < f.count(); e = f.nextEntry(e), i++) {
          entries.add(new Frame.StateEntry(f.messageId(e), f.state(e), f.recipient(e)));
        }
        return new Frame.PushStates(f.requestId(), entries);
      },
      (v, f) -> {
        for (Frame.StateEntry e : v.entries()) {
          f.addState(e.messageId(), e.state(), e.recipient());
        }
      })),
  /** The server introduces a mutual contact's device to a session, vouching for its key. */
  PUSH_PEER(0x8b, Direction.PUSH, Answer.NONE, new FrameMapping<>(Frame.PushPeer.class,
      type -> new PushPeerFlyweight(),
      f -> new Frame.PushPeer(f.requestId(), f.linkId(), f.role(), f.peer(), f.deviceId(), f.staticKey(),
          f.direct(), f.candidates()),
      (v, f) -> f.peer(v.linkId(), v.role(), v.peer(), v.deviceId(), v.staticKey(), v.direct(), v.candidates()))),
  /** A peer packet forwarded from the other end of a link; unlike a push, never acknowledged. */
  RELAYED(0x8c, Direction.PUSH, Answer.NONE, new FrameMapping<>(Frame.Relayed.class,
      type -> new RelayedFlyweight(),
      f -> new Frame.Relayed(f.requestId(), f.linkId(), f.payload()),
      (v, f) -> f.relayed(v.linkId(), java.nio.ByteBuffer.wrap(v.payload()), 0, v.payload().length)));

  /** Who sends a frame type and what comes back. */
  public enum Direction {
    /** Client to server, answered by exactly one OK or ERROR. */
    REQUEST,
    /** Client to server, never answered: the acknowledgement of a push, or a packet to relay. */
    ACK,
    /** Server to client: the answer to a request. */
    ANSWER,
    /** Server to client, acknowledged by the client's PUSH_ACK (all but RELAYED, which is not). */
    PUSH
  }

  /** The layouts of OK answers, each a flyweight of its own; a request names the one it gets. */
  public enum Answer {
    /** No payload ({@link EmptyOkFlyweight}). */
    EMPTY(new FrameMapping<>(Frame.OkEmpty.class, type -> new EmptyOkFlyweight(),
        f -> new Frame.OkEmpty(f.requestId(), f.inReplyTo()),
        (v, f) -> f.inReplyTo(FrameType.ofRequest(v.inReplyTo())))),
    /** A session token and the keepalive ({@link LoginOkFlyweight}). */
    LOGIN(new FrameMapping<>(Frame.OkLogin.class, type -> new LoginOkFlyweight(),
        f -> new Frame.OkLogin(f.requestId(), f.tokenHi(), f.tokenLo(), f.keepaliveMillis()),
        (v, f) -> f.inReplyTo(FrameType.LOGIN).session(v.tokenHi(), v.tokenLo(), v.keepaliveMillis()))),
    /** A stored message's id and time ({@link SendOkFlyweight}). */
    SEND(new FrameMapping<>(Frame.OkSend.class, type -> new SendOkFlyweight(),
        f -> new Frame.OkSend(f.requestId(), f.messageId(), f.sentAtMillis()),
        (v, f) -> f.inReplyTo(FrameType.SEND).stored(v.messageId(), v.sentAtMillis()))),
    /** A page of history ({@link HistoryOkFlyweight}). */
    HISTORY(new FrameMapping<>(Frame.OkHistory.class, type -> new HistoryOkFlyweight(),
        f -> {
          List<org.p2pchat.api.ChatMessage> messages = new ArrayList<>(f.count());
          for (int i = 0; i < f.count(); i++) {
            messages.add(f.message(i));
          }
          return new Frame.OkHistory(f.requestId(), f.nextCursor(), messages);
        },
        (v, f) -> {
          f.inReplyTo(FrameType.HISTORY);
          for (org.p2pchat.api.ChatMessage m : v.messages()) {
            if (!f.tryAdd(m)) {
              throw new IllegalArgumentException("a page of " + v.messages().size()
                  + " messages does not fit one datagram");
            }
          }
          f.nextCursor(v.nextCursor());
        })),
    /** A session and a device credential ({@link DeviceLoginOkFlyweight}). */
    DEVICE_LOGIN(new FrameMapping<>(Frame.OkDeviceLogin.class, type -> new DeviceLoginOkFlyweight(),
        f -> new Frame.OkDeviceLogin(f.requestId(), f.tokenHi(), f.tokenLo(), f.keepaliveMillis(),
            f.deviceId(), f.secret()),
        (v, f) -> f.inReplyTo(FrameType.LOGIN_DEVICE)
            .session(v.tokenHi(), v.tokenLo(), v.keepaliveMillis(), v.deviceId(), v.secret()))),
    /** A resumed session: LOGIN's fields ({@link LoginOkFlyweight}). */
    RESUME(new FrameMapping<>(Frame.OkResume.class, type -> new LoginOkFlyweight(FrameType.RESUME.answer()),
        f -> new Frame.OkResume(f.requestId(), f.tokenHi(), f.tokenLo(), f.keepaliveMillis()),
        (v, f) -> f.inReplyTo(FrameType.RESUME).session(v.tokenHi(), v.tokenLo(), v.keepaliveMillis()))),
    /** The user's devices ({@link DevicesOkFlyweight}). */
    DEVICES(new FrameMapping<>(Frame.OkDevices.class, type -> new DevicesOkFlyweight(),
        f -> {
          List<Frame.DeviceEntry> devices = new ArrayList<>(f.count());
          for (int i = 0; i < f.count(); i++) {
            devices.add(new Frame.DeviceEntry(f.deviceId(i), f.createdAtMillis(i), f.lastUsedAtMillis(i),
                f.current(i), f.deviceName(i)));
          }
          return new Frame.OkDevices(f.requestId(), devices);
        },
        (v, f) -> {
          f.inReplyTo(FrameType.DEVICES);
          for (Frame.DeviceEntry d : v.devices()) {
            f.add(d.deviceId(), d.createdAtMillis(), d.lastUsedAtMillis(), d.current(), d.name());
          }
        })),
    /** A stored message's id and time: SEND's fields ({@link SendOkFlyweight}). */
    SEND_KEYED(new FrameMapping<>(Frame.OkSendKeyed.class, type -> new SendOkFlyweight(FrameType.SEND_KEYED.answer()),
        f -> new Frame.OkSendKeyed(f.requestId(), f.messageId(), f.sentAtMillis()),
        (v, f) -> f.inReplyTo(FrameType.SEND_KEYED).stored(v.messageId(), v.sentAtMillis()))),
    /** A new room's id ({@link RoomOkFlyweight}). */
    ROOM(new FrameMapping<>(Frame.OkRoom.class, type -> new RoomOkFlyweight(),
        f -> new Frame.OkRoom(f.requestId(), f.roomId()),
        (v, f) -> f.inReplyTo(FrameType.ROOM_CREATE).room(v.roomId()))),
    /** A stored room message's id and time ({@link SendOkFlyweight}'s layout). */
    ROOM_SEND(new FrameMapping<>(Frame.OkRoomSend.class, type -> SendOkFlyweight.forRoomSend(),
        f -> new Frame.OkRoomSend(f.requestId(), f.messageId(), f.sentAtMillis()),
        (v, f) -> f.inReplyTo(FrameType.ROOM_SEND).stored(v.messageId(), v.sentAtMillis()))),
    /** A page of rooms ({@link RoomListOkFlyweight}). */
    ROOM_LIST(new FrameMapping<>(Frame.OkRoomList.class, type -> new RoomListOkFlyweight(),
        f -> {
          List<org.p2pchat.api.Room> rooms = new ArrayList<>(f.count());
          for (int i = 0; i < f.count(); i++) {
            rooms.add(f.room(i));
          }
          return new Frame.OkRoomList(f.requestId(), f.nextCursor(), rooms);
        },
        (v, f) -> {
          f.inReplyTo(FrameType.ROOM_LIST);
          for (org.p2pchat.api.Room r : v.rooms()) {
            if (!f.tryAdd(r)) {
              throw new IllegalArgumentException("a page of " + v.rooms().size() + " rooms does not fit one datagram");
            }
          }
          f.nextCursor(v.nextCursor());
        })),
    /** A page of members ({@link RoomMembersOkFlyweight}). */
    ROOM_MEMBERS(new FrameMapping<>(Frame.OkRoomMembers.class, type -> new RoomMembersOkFlyweight(),
        f -> {
          List<org.p2pchat.api.RoomMember> members = new ArrayList<>(f.count());
          for (int i = 0; i < f.count(); i++) {
            members.add(f.member(i));
          }
          return new Frame.OkRoomMembers(f.requestId(), members, f.nextCursor());
        },
        (v, f) -> {
          f.inReplyTo(FrameType.ROOM_MEMBERS);
          for (org.p2pchat.api.RoomMember m : v.members()) {
            if (!f.tryAdd(m)) {
              throw new IllegalArgumentException("a page of " + v.members().size() + " members does not fit one datagram");
            }
          }
          f.nextCursor(v.nextCursor());
        })),
    /** A page of a room's history ({@link RoomHistoryOkFlyweight}). */
    ROOM_HISTORY(new FrameMapping<>(Frame.OkRoomHistory.class, type -> new RoomHistoryOkFlyweight(),
        f -> {
          List<Frame.RoomEntry> entries = new ArrayList<>(f.count());
          for (int i = 0; i < f.count(); i++) {
            entries.add(f.entry(i));
          }
          return new Frame.OkRoomHistory(f.requestId(), f.nextCursor(), entries);
        },
        (v, f) -> {
          f.inReplyTo(FrameType.ROOM_HISTORY);
          for (Frame.RoomEntry e : v.entries()) {
            if (!f.tryAdd(e)) {
              throw new IllegalArgumentException("a page of " + v.entries().size() + " messages does not fit one datagram");
            }
          }
          f.nextCursor(v.nextCursor());
        })),
    /** A page of contacts ({@link ContactListOkFlyweight}). */
    CONTACT_LIST(new FrameMapping<>(Frame.OkContactList.class, type -> ContactListOkFlyweight.contacts(),
        f -> {
          List<org.p2pchat.api.Contact> contacts = new ArrayList<>(f.count());
          for (int i = 0; i < f.count(); i++) {
            contacts.add(f.contact(i));
          }
          return new Frame.OkContactList(f.requestId(), contacts, f.nextCursor());
        },
        (v, f) -> {
          f.inReplyTo(FrameType.CONTACT_LIST);
          for (org.p2pchat.api.Contact c : v.contacts()) {
            if (!f.tryAdd(c)) {
              throw new IllegalArgumentException("a page of " + v.contacts().size() + " contacts does not fit one datagram");
            }
          }
          f.nextCursor(v.nextCursor());
        })),
    /** A page of blocked users ({@link ContactListOkFlyweight}, names only). */
    BLOCK_LIST(new FrameMapping<>(Frame.OkBlockList.class, type -> ContactListOkFlyweight.blocks(),
        f -> {
          List<String> names = new ArrayList<>(f.count());
          for (int i = 0; i < f.count(); i++) {
            names.add(f.name(i));
          }
          return new Frame.OkBlockList(f.requestId(), names, f.nextCursor());
        },
        (v, f) -> {
          f.inReplyTo(FrameType.BLOCK_LIST);
          for (String n : v.names()) {
            if (!f.tryAdd(n)) {
              throw new IllegalArgumentException("a page of " + v.names().size() + " names does not fit one datagram");
            }
          }
          f.nextCursor(v.nextCursor());
        })),
    /** The session's account ({@link AccountOkFlyweight}). */
    ACCOUNT(new FrameMapping<>(Frame.OkAccount.class, type -> new AccountOkFlyweight(),
        f -> new Frame.OkAccount(f.requestId(), f.createdAtMillis(), f.name()),
        (v, f) -> f.inReplyTo(FrameType.ACCOUNT_INFO).account(v.createdAtMillis(), v.name()))),
    /** A long message's id and time, or "part held" ({@link SendPartOkFlyweight}). */
    SEND_PART(new FrameMapping<>(Frame.OkSendPart.class, type -> new SendPartOkFlyweight(),
        f -> new Frame.OkSendPart(f.requestId(), f.messageId(), f.sentAtMillis()),
        (v, f) -> f.inReplyTo(FrameType.SEND_PART).stored(v.messageId(), v.sentAtMillis()))),
    /** One part of a long message ({@link MessagePartOkFlyweight}). */
    MESSAGE_PART(new FrameMapping<>(Frame.OkMessagePart.class, type -> new MessagePartOkFlyweight(),
        f -> new Frame.OkMessagePart(f.requestId(), f.messageId(), f.partIndex(), f.part()),
        (v, f) -> f.inReplyTo(FrameType.MESSAGE_PART).part(v.messageId(), v.partIndex(), v.part(), 0,
            v.part().length))),
    /** A page of history with long messages as stubs ({@link LongHistoryOkFlyweight}). */
    HISTORY_LONG(new FrameMapping<>(Frame.OkHistoryLong.class, type -> new LongHistoryOkFlyweight(),
        f -> {
          List<Frame.LongEntry> entries = new ArrayList<>(f.count());
          for (int i = 0; i < f.count(); i++) {
            entries.add(f.entry(i));
          }
          return new Frame.OkHistoryLong(f.requestId(), f.nextCursor(), entries);
        },
        (v, f) -> {
          f.inReplyTo(FrameType.HISTORY_LONG);
          for (Frame.LongEntry e : v.entries()) {
            if (!f.tryAdd(e)) {
              throw new IllegalArgumentException("a page of " + v.entries().size() + " entries does not fit one datagram");
            }
          }
          f.nextCursor(v.nextCursor());
        })),
    /** Not a request: never answered OK. */
    NONE(null);

    private final FrameMapping<?, ?> mapping;

    Answer(FrameMapping<?, ?> mapping) {
      this.mapping = mapping;
    }

    /** The object-level codec of OKs of this layout; null for {@link #NONE}. */
    public FrameMapping<?, ?> mapping() {
      return mapping;
    }
  }

  private static final FrameType[] BY_CODE = new FrameType[256];

  static {
    for (FrameType t : values()) {
      BY_CODE[t.code] = t;
    }
  }

  private final int code;
  private final Direction direction;
  private final Answer answer;
  private final FrameMapping<?, ?> mapping;

  FrameType(int code, Direction direction, Answer answer, FrameMapping<?, ?> mapping) {
    this.code = code;
    this.direction = direction;
    this.answer = answer;
    this.mapping = mapping;
    if (mapping != null) {
      mapping.bind(this);
    }
  }

  /** The number in byte 3 of the header. */
  public int code() {
    return code;
  }

  /** Who sends it and what comes back. */
  public Direction direction() {
    return direction;
  }

  /** The layout of the OK that answers it; {@link Answer#NONE} unless it is a request. */
  public Answer answer() {
    return answer;
  }

  /**
   * The object-level codec of this frame type; null for {@link #OK}, whose layout is the
   * answered request's {@link #answer()}.
   */
  public FrameMapping<?, ?> mapping() {
    return mapping;
  }

  /** The frame type numbered {@code code}, or null when protocol v1 has none. */
  public static FrameType ofCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }

  /** Whether {@code code} is a frame type of protocol v1. */
  public static boolean isKnown(int code) {
    return ofCode(code) != null;
  }

  /**
   * Whether {@code code} lies in the range of frames that travel from server to client (0x80
   * and above), whether or not v1 defines it.
   */
  public static boolean isFromServer(int code) {
    return code >= 0x80;
  }

  /** The frame type's name, for logs; {@code "0x.."} for unknown types. */
  public static String name(int code) {
    FrameType t = ofCode(code);
    return t != null ? t.name() : String.format("0x%02x", code);
  }

  /**
   * The request numbered {@code code}.
   *
   * @throws IllegalArgumentException when {@code code} is not a request type
   */
  public static FrameType ofRequest(int code) {
    FrameType t = ofCode(code);
    if (t == null || t.direction != Direction.REQUEST) {
      throw new IllegalArgumentException(name(code) + " is not a request");
    }
    return t;
  }
}
