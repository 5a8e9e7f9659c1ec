package org.p2pchat.protocol.server.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.p2pchat.api.ProtocolLimits;
import org.p2pchat.api.RoomMessage;
import org.p2pchat.api.UserName;
import org.p2pchat.api.server.PushBus;
import org.p2pchat.api.store.RoomStore.RoomDelivery;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.codec.internal.PushRoomMessageFlyweight;
import org.p2pchat.protocol.codec.internal.PushRoomReadFlyweight;
import org.p2pchat.protocol.internal.EventLoop;

/**
 * The fan-out of room pushes (docs/protocol.md section 19): a room message to every online
 * session of every member but the sending session, a read marker to the online sessions of the
 * senders it covers. Each frame is encoded once; the targets of one message are bounded
 * ({@link #MAX_SESSIONS_PER_MESSAGE}) and pushed in slices ({@link #SLICE}) of loop tasks, so a
 * large room never holds the loop; each push is one of {@link Pushes}' (retransmitted, bounded by
 * {@code maxPendingPushes}, skipped past the bound: history has it). A message stored here is
 * also published on the {@link PushBus}, for the members' sessions on other nodes. Owned by the
 * loop.
 */
final class RoomPushes {
  /** The most sessions one room message is pushed to: 256 members, two devices each on average. */
  static final int MAX_SESSIONS_PER_MESSAGE = 512;
  /** The pushes started per loop task. */
  static final int SLICE = 64;

  private final EventLoop loop;
  private final SessionTable sessions;
  private final Pushes pushes;
  private final PushBus bus;
  private final long onlineWindowMillis;
  private final ByteBuffer out = ByteBuffer.allocate(ProtocolLimits.MAX_DATAGRAM_BYTES);
  private final PushRoomMessageFlyweight pushMessage = new PushRoomMessageFlyweight();
  private final PushRoomReadFlyweight pushRead = new PushRoomReadFlyweight();

  RoomPushes(EventLoop loop, SessionTable sessions, Pushes pushes, PushBus bus, ServerConfig config) {
    this.loop = loop;
    this.sessions = sessions;
    this.pushes = pushes;
    this.bus = bus;
    this.onlineWindowMillis = config.onlineWindow().toMillis();
  }

  /**
   * Pushes a room message stored here to its members' online sessions, except {@code from},
   * here and on the other nodes.
   */
  void message(RoomDelivery delivery, Session from) {
    messageHere(delivery, from);
    RoomMessage m = delivery.message();
    bus.roomMessageStored(m.roomId(), m.id(), m.sender());
  }

  /** Whether any of {@code members} has an online session on this node. */
  boolean anyOnlineHere(List<UserName> members) {
    long now = loop.now();
    for (UserName member : members) {
      if (!sessions.online(member, now, onlineWindowMillis).isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** Pushes a stored room message to its members' online sessions on this node, except {@code from}. */
  void messageHere(RoomDelivery delivery, Session from) {
    RoomMessage m = delivery.message();
    out.clear();
    pushMessage.encode(out, 0).message(m.roomId(), m.id(), m.sentAt().toEpochMilli())
        .from(m.sender().value(), m.body()).finish();
    byte[] frame = copyOut();
    List<Session> targets = new ArrayList<>();
    long now = loop.now();
    for (UserName member : delivery.members()) {
      for (Session s : sessions.online(member, now, onlineWindowMillis)) {
        if (s != from && targets.size() < MAX_SESSIONS_PER_MESSAGE) {
          targets.add(s);
        }
      }
    }
    pushSlice(frame, targets, 0);
  }

  /** Tells the online sessions of {@code senders} that {@code reader} read the room up to {@code upTo}. */
  void read(long roomId, UserName reader, long upTo, List<UserName> senders) {
    out.clear();
    pushRead.encode(out, 0).read(roomId, upTo, reader.value()).finish();
    byte[] frame = copyOut();
    List<Session> targets = new ArrayList<>();
    long now = loop.now();
    for (UserName sender : senders) {
      for (Session s : sessions.online(sender, now, onlineWindowMillis)) {
        if (targets.size() < MAX_SESSIONS_PER_MESSAGE) {
          targets.add(s);
        }
      }
    }
    pushSlice(frame, targets, 0);
  }

  private void pushSlice(byte[] frame, List<Session> targets, int from) {
    int to = Math.min(targets.size(), from + SLICE);
    for (int i = from; i < to; i++) {
      Session s = targets.get(i);
      if (!s.closed && !pushes.pushFrame(s, frame)) {
        return; // the bound on pending pushes: the rest find it in history
      }
    }
    if (to < targets.size()) {
      loop.execute(() -> pushSlice(frame, targets, to));
    }
  }

  private byte[] copyOut() {
    out.flip();
    byte[] copy = new byte[out.remaining()];
    out.get(copy);
    return copy;
  }
}
