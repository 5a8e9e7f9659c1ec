package org.p2pchat.protocol.codec;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.UserName;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.HistoryOkFlyweight;

/** Random valid frames of every type, from a seeded {@link Random}, for round-trip tests. */
final class RandomFrames {
  private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  private static final String NAME_CHARS = LETTERS + "0123456789_-";
  /** The frame types of section 17 (devices), made by {@link #deviceFrame}. */
  private static final int DEVICE_FRAME_TYPES = 10;
  /** The room, contact, block and presence frames of sections 19 to 21, made by {@link #roomFrame}. */
  private static final int ROOM_FRAME_TYPES = 16 + 8 + 2;
  /** The account frames of section 22, made by {@link #accountFrame}. */
  private static final int ACCOUNT_FRAME_TYPES = 4;
  /** The long-message frames of section 23, made by {@link #longFrame}. */
  private static final int LONG_FRAME_TYPES = 7;
  /** The batched-acknowledgement frames of section 24, made by {@link #batchFrame}. */
  private static final int BATCH_FRAME_TYPES = 3;
  /** The peer-to-peer frames of section 25, made by {@link #peerFrame}. */
  private static final int PEER_FRAME_TYPES = 4;
  private static final int FRAME_TYPES = 15 + DEVICE_FRAME_TYPES + ROOM_FRAME_TYPES + ACCOUNT_FRAME_TYPES
      + LONG_FRAME_TYPES + BATCH_FRAME_TYPES + PEER_FRAME_TYPES;
  /** The requests answered by an OK without payload, from the table of frame types. */
  private static final int[] EMPTY_OK_REQUESTS = Arrays.stream(FrameType.values())
      .filter(t -> t.answer() == FrameType.Answer.EMPTY).mapToInt(FrameType::code).toArray();

  private final Random random;

  RandomFrames(long seed) {
    random = new Random(seed);
  }

  Frame next() {
    long rid = random.nextLong();
    long hi = random.nextLong();
    long lo = random.nextLong();
    int pick = random.nextInt(FRAME_TYPES);
    if (pick >= FRAME_TYPES - PEER_FRAME_TYPES) {
      return peerFrame(pick - (FRAME_TYPES - PEER_FRAME_TYPES), rid, hi, lo);
    }
    if (pick >= FRAME_TYPES - PEER_FRAME_TYPES - BATCH_FRAME_TYPES) {
      return batchFrame(pick - (FRAME_TYPES - PEER_FRAME_TYPES - BATCH_FRAME_TYPES), rid, hi, lo);
    }
    if (pick >= 15 + DEVICE_FRAME_TYPES + ROOM_FRAME_TYPES) {
      int rest = pick - 15 - DEVICE_FRAME_TYPES - ROOM_FRAME_TYPES;
      return rest >= ACCOUNT_FRAME_TYPES ? longFrame(rest - ACCOUNT_FRAME_TYPES, rid, hi, lo)
          : accountFrame(rest, rid, hi, lo);
    }
    if (pick >= 15 + DEVICE_FRAME_TYPES) {
      return roomFrame(pick - 15 - DEVICE_FRAME_TYPES, rid, hi, lo);
    }
    if (pick >= 15) {
      return deviceFrame(pick - 15, rid, hi, lo);
    }
    switch (pick) {
      case 0: return new Frame.Register(rid, name(), text(1 + random.nextInt(128)));
      case 1: return new Frame.Login(rid, name(), text(1 + random.nextInt(128)));
      case 2: return new Frame.Logout(rid, hi, lo);
      case 3: return new Frame.Send(rid, hi, lo, name(), text(1 + random.nextInt(1000)));
      case 4: return new Frame.History(rid, hi, lo, random.nextBoolean() ? null : name(),
          random.nextBoolean(), random.nextBoolean(), random.nextLong() & Long.MAX_VALUE,
          1 + random.nextInt(100));
      case 5: return new Frame.Ping(rid, hi, lo);
      case 6: {
        List<Long> ids = new ArrayList<>();
        for (int i = 1 + random.nextInt(64); i > 0; i--) {
          ids.add(messageId());
        }
        return new Frame.MarkRead(rid, hi, lo, ids);
      }
      case 7: return new Frame.PushAck(rid, hi, lo);
      case 8: return new Frame.OkEmpty(rid,
          EMPTY_OK_REQUESTS[random.nextInt(EMPTY_OK_REQUESTS.length)]);
      case 9: return new Frame.OkLogin(rid, hi, lo, random.nextLong() & 0xffff_ffffL);
      case 10: return new Frame.OkSend(rid, messageId(), random.nextLong());
      case 11: return historyPage(rid);
      case 12: {
        List<Integer> versions = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
          versions.add(random.nextInt(256));
        }
        return new Frame.Error(rid, random.nextInt(65536), random.nextLong() & 0xffff_ffffL,
            versions);
      }
      case 13: return new Frame.PushMessage(rid, messageId(), random.nextLong(), name(),
          text(1 + random.nextInt(1000)));
      default: return new Frame.PushState(rid, messageId(), 2 + random.nextInt(2), name());
    }
  }

  private Frame deviceFrame(int pick, long rid, long hi, long lo) {
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    long device = messageId();
    switch (pick) {
      case 0: return new Frame.LoginDevice(rid, name(), text(1 + random.nextInt(128)), text(1 + random.nextInt(64)));
      case 1: return new Frame.Resume(rid, device, secret);
      case 2: return new Frame.Devices(rid, hi, lo);
      case 3: return new Frame.RevokeDevice(rid, hi, lo, random.nextBoolean() ? 0 : device);
      case 4: return new Frame.SendKeyed(rid, hi, lo, random.nextLong(), name(), text(1 + random.nextInt(1000)));
      case 5: return new Frame.OkDeviceLogin(rid, hi, lo, random.nextLong() & 0xffff_ffffL, device, secret);
      case 6: return new Frame.OkResume(rid, hi, lo, random.nextLong() & 0xffff_ffffL);
      case 7: {
        List<Frame.DeviceEntry> devices = new ArrayList<>();
        for (int i = random.nextInt(11); i > 0; i--) {
          devices.add(new Frame.DeviceEntry(messageId(), random.nextLong(), random.nextLong(),
              random.nextBoolean(), text(1 + random.nextInt(64))));
        }
        return new Frame.OkDevices(rid, devices);
      }
      case 8: return new Frame.OkSendKeyed(rid, messageId(), random.nextLong());
      default: return new Frame.OkEmpty(rid, FrameType.REVOKE_DEVICE.code());
    }
  }

  private Frame roomFrame(int pick, long rid, long hi, long lo) {
    long room = messageId();
    switch (pick) {
      case 0: return new Frame.RoomCreate(rid, hi, lo, title());
      case 1: return new Frame.RoomAdd(rid, hi, lo, room, name());
      case 2: return new Frame.RoomRemove(rid, hi, lo, room, name());
      case 3: return new Frame.RoomRename(rid, hi, lo, room, title());
      case 4: return new Frame.RoomList(rid, hi, lo, random.nextLong() & Long.MAX_VALUE);
      case 5: return new Frame.RoomMembers(rid, hi, lo, room, random.nextBoolean() ? null : name());
      case 6: return new Frame.RoomSend(rid, hi, lo, room, text(1 + random.nextInt(1000)));
      case 7: return new Frame.RoomHistory(rid, hi, lo, room, random.nextBoolean(), random.nextBoolean(),
          random.nextLong() & Long.MAX_VALUE, 1 + random.nextInt(100));
      case 8: return new Frame.RoomMarkRead(rid, hi, lo, room, messageId());
      case 9: return new Frame.OkRoom(rid, room);
      case 10: return new Frame.OkRoomSend(rid, messageId(), random.nextLong());
      case 11: {
        List<org.p2pchat.api.Room> rooms = new ArrayList<>();
        for (int i = random.nextInt(17); i > 0; i--) {
          rooms.add(new org.p2pchat.api.Room(messageId(), text(1 + random.nextInt(20)), org.p2pchat.api.UserName.of(name()),
              random.nextInt(257)));
        }
        return new Frame.OkRoomList(rid, random.nextLong() & Long.MAX_VALUE, rooms);
      }
      case 12: {
        List<org.p2pchat.api.RoomMember> members = new ArrayList<>();
        for (int i = random.nextInt(25); i > 0; i--) {
          members.add(new org.p2pchat.api.RoomMember(org.p2pchat.api.UserName.of(name()),
              random.nextLong() & Long.MAX_VALUE));
        }
        return new Frame.OkRoomMembers(rid, members, random.nextBoolean() ? null : name());
      }
      case 13: {
        List<Frame.RoomEntry> entries = new ArrayList<>();
        int size = org.p2pchat.protocol.codec.internal.RoomHistoryOkFlyweight.ENTRIES_OFFSET;
        for (int i = random.nextInt(20); i > 0; i--) {
          String sender = name();
          String body = text(1 + random.nextInt(60));
          size += 18 + 1 + sender.length() + 2 + org.p2pchat.api.ProtocolLimits.utf8Length(body);
          if (size > 1200) {
            break;
          }
          entries.add(new Frame.RoomEntry(messageId(), random.nextLong(), random.nextInt(65536), sender, body));
        }
        return new Frame.OkRoomHistory(rid, random.nextLong() & Long.MAX_VALUE, entries);
      }
      case 14: return new Frame.PushRoomMessage(rid, room, messageId(), random.nextLong(), name(),
          text(1 + random.nextInt(1000)));
      case 15: return new Frame.PushRoomRead(rid, room, messageId(), name());
      case 16: return new Frame.ContactAdd(rid, hi, lo, name());
      case 17: return new Frame.ContactRemove(rid, hi, lo, name());
      case 18: return new Frame.ContactList(rid, hi, lo, random.nextBoolean() ? null : name());
      case 19: return new Frame.Block(rid, hi, lo, name());
      case 20: return new Frame.Unblock(rid, hi, lo, name());
      case 21: return new Frame.BlockList(rid, hi, lo, random.nextBoolean() ? null : name());
      case 22: {
        List<org.p2pchat.api.Contact> contacts = new ArrayList<>();
        for (int i = random.nextInt(25); i > 0; i--) {
          long seen = random.nextLong() & Long.MAX_VALUE;
          contacts.add(new org.p2pchat.api.Contact(org.p2pchat.api.UserName.of(name()),
              org.p2pchat.api.Contact.Presence.of(random.nextInt(3)),
              seen == 0 ? java.util.Optional.empty() : java.util.Optional.of(java.time.Instant.ofEpochMilli(seen))));
        }
        return new Frame.OkContactList(rid, contacts, random.nextBoolean() ? null : name());
      }
      case 23: return new Frame.PresenceHide(rid, hi, lo, random.nextBoolean());
      case 24: return new Frame.PushPresence(rid, 1 + random.nextInt(2), random.nextLong() & Long.MAX_VALUE, name());
      default: {
        List<String> names = new ArrayList<>();
        for (int i = random.nextInt(33); i > 0; i--) {
          names.add(name());
        }
        return new Frame.OkBlockList(rid, names, random.nextBoolean() ? null : name());
      }
    }
  }

  private Frame longFrame(int pick, long rid, long hi, long lo) {
    int total = 1001 + random.nextInt(65_536 - 1000);
    int parts = (total + 999) / 1000;
    int index = random.nextInt(parts);
    byte[] part = new byte[Math.min(1000, total - index * 1000)];
    random.nextBytes(part); // raw bytes: a part may cut a character
    switch (pick) {
      case 0: return new Frame.SendPart(rid, hi, lo, random.nextLong(), name(), total, index, part);
      case 1: return random.nextBoolean() ? new Frame.OkSendPart(rid, 0, 0)
          : new Frame.OkSendPart(rid, messageId(), random.nextLong());
      case 2: return new Frame.MessagePart(rid, hi, lo, messageId(), random.nextInt(66));
      case 3: return new Frame.OkMessagePart(rid, messageId(), index, part);
      case 4: return new Frame.HistoryLong(rid, hi, lo, random.nextBoolean() ? null : name(),
          random.nextBoolean(), random.nextBoolean(), random.nextLong() & Long.MAX_VALUE, 1 + random.nextInt(100));
      case 5: {
        List<Frame.LongEntry> entries = new ArrayList<>();
        int size = org.p2pchat.protocol.codec.internal.LongHistoryOkFlyweight.ENTRIES_OFFSET;
        for (int i = random.nextInt(20); i > 0; i--) {
          String sender = name();
          String recipient = name();
          boolean stub = random.nextBoolean();
          String body = stub ? null : text(1 + random.nextInt(60));
          int length = stub ? 1001 + random.nextInt(65_536 - 1000) : org.p2pchat.api.ProtocolLimits.utf8Length(body);
          size += 23 + sender.length() + recipient.length() + (stub ? 0 : length);
          if (size > 1200) {
            break;
          }
          entries.add(new Frame.LongEntry(messageId(), random.nextLong(), 1 + random.nextInt(3), sender, recipient,
              length, body));
        }
        return new Frame.OkHistoryLong(rid, random.nextLong() & Long.MAX_VALUE, entries);
      }
      default: return new Frame.PushLongMessage(rid, messageId(), random.nextLong(), name(), total);
    }
  }

  private Frame peerFrame(int pick, long rid, long hi, long lo) {
    byte[] key = new byte[32];
    random.nextBytes(key);
    boolean direct = random.nextBoolean();
    List<java.net.InetSocketAddress> candidates = new ArrayList<>();
    for (int i = direct ? random.nextInt(9) : 0; i > 0; i--) {
      byte[] ip = new byte[random.nextBoolean() ? 4 : 16];
      random.nextBytes(ip);
      try {
        candidates.add(new java.net.InetSocketAddress(java.net.InetAddress.getByAddress(ip), 1 + random.nextInt(65535)));
      } catch (java.net.UnknownHostException e) {
        throw new AssertionError(e);
      }
    }
    long link = random.nextLong() & Long.MAX_VALUE;
    byte[] packet = new byte[1 + random.nextInt(1161)];
    random.nextBytes(packet);
    switch (pick) {
      case 0: return new Frame.PeerConnect(rid, hi, lo, link, name(), key, direct, candidates);
      case 1: return new Frame.Relay(rid, hi, lo, Math.max(1, link), packet);
      case 2: return new Frame.PushPeer(rid, Math.max(1, link), 1 + random.nextInt(2), name(),
          random.nextLong() & Long.MAX_VALUE, key, direct, candidates);
      default: return new Frame.Relayed(rid, Math.max(1, link), packet);
    }
  }

  private Frame batchFrame(int pick, long rid, long hi, long lo) {
    switch (pick) {
      case 0: return new Frame.Features(rid, hi, lo, random.nextInt(2));
      case 1: {
        List<Long> ids = new ArrayList<>();
        for (int i = 1 + random.nextInt(128); i > 0; i--) {
          ids.add(random.nextLong());
        }
        return new Frame.PushAcks(rid, hi, lo, ids);
      }
      default: {
        List<Frame.StateEntry> entries = new ArrayList<>();
        int size = org.p2pchat.protocol.codec.internal.PushStatesFlyweight.ENTRIES_OFFSET;
        for (int i = 1 + random.nextInt(64); i > 0; i--) {
          String recipient = name();
          size += 10 + recipient.length();
          if (size > 1200) {
            break;
          }
          entries.add(new Frame.StateEntry(messageId(), 2 + random.nextInt(2), recipient));
        }
        return new Frame.PushStates(rid, entries);
      }
    }
  }

  private Frame accountFrame(int pick, long rid, long hi, long lo) {
    switch (pick) {
      case 0: return new Frame.AccountDelete(rid, hi, lo, text(1 + random.nextInt(128)));
      case 1: return new Frame.AccountInfo(rid, hi, lo);
      case 2: return new Frame.OkEmpty(rid, FrameType.ACCOUNT_DELETE.code());
      default: return new Frame.OkAccount(rid, random.nextLong() & Long.MAX_VALUE, name());
    }
  }

  /** A title: 1 to 64 bytes of UTF-8. */
  private String title() {
    while (true) {
      String t = text(1 + random.nextInt(40));
      if (org.p2pchat.api.ProtocolLimits.utf8Length(t) <= 64) {
        return t;
      }
    }
  }

  /**
   * The next random frame of value type {@code type}.
   *
   * @throws IllegalArgumentException when this generator makes no frames of that type
   */
  <T extends Frame> T next(Class<T> type) {
    for (int i = 0; i < 100 * FRAME_TYPES; i++) {
      Frame f = next();
      if (type.isInstance(f)) {
        return type.cast(f);
      }
    }
    throw new IllegalArgumentException("RandomFrames makes no " + type.getSimpleName());
  }

  private Frame.OkHistory historyPage(long rid) {
    List<ChatMessage> page = new ArrayList<>();
    int size = HistoryOkFlyweight.ENTRIES_OFFSET;
    int wanted = random.nextInt(101);
    while (page.size() < wanted) {
      ChatMessage m = ChatMessage.builder().id(messageId())
          .sentAt(Instant.ofEpochMilli(random.nextLong() >> 20))
          .state(DeliveryState.of(1 + random.nextInt(3)))
          .sender(UserName.of(name())).recipient(UserName.of(name()))
          .body(text(1 + random.nextInt(random.nextBoolean() ? 20 : 400))).build();
      int entry = 17 + 1 + m.sender().value().length() + 1 + m.recipient().value().length() + 2
          + m.body().getBytes(StandardCharsets.UTF_8).length;
      if (size + entry > 1200) {
        break;
      }
      size += entry;
      page.add(m);
    }
    return new Frame.OkHistory(rid, random.nextLong() & Long.MAX_VALUE, page);
  }

  long messageId() {
    long id = random.nextLong() & Long.MAX_VALUE;
    return id == 0 ? 1 : id;
  }

  String name() {
    int n = 3 + random.nextInt(30);
    StringBuilder s = new StringBuilder(n);
    s.append(LETTERS.charAt(random.nextInt(LETTERS.length())));
    while (s.length() < n) {
      s.append(NAME_CHARS.charAt(random.nextInt(NAME_CHARS.length())));
    }
    return s.toString();
  }

  /** A string of 1 to about {@code maxBytes} bytes of UTF-8 mixing 1-, 2-, 3- and 4-byte characters. */
  String text(int maxBytes) {
    StringBuilder s = new StringBuilder();
    int bytes = 0;
    while (true) {
      int cp;
      switch (random.nextInt(4)) {
        case 0: cp = 0x20 + random.nextInt(0x5f); break;
        case 1: cp = 0x80 + random.nextInt(0x780); break;
        case 2: cp = 0x800 + random.nextInt(0xd800 - 0x800); break;
        default: cp = 0x10000 + random.nextInt(0x100000); break;
      }
      int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (bytes + len > maxBytes) {
        return s.length() == 0 ? "x" : s.toString();
      }
      s.appendCodePoint(cp);
      bytes += len;
    }
  }
}
