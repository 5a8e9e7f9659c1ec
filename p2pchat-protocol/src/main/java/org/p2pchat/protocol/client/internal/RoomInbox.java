package org.p2pchat.protocol.client.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.p2pchat.api.ProtocolLimits;
import org.p2pchat.api.RoomMessage;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatListener;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.PushRoomMessageFlyweight;
import org.p2pchat.protocol.codec.internal.PushRoomReadFlyweight;
import org.p2pchat.protocol.codec.internal.TokenFlyweight;
import org.p2pchat.protocol.internal.EventLoop;

/**
 * The room pushes of the session: each room message and read marker handed to the listener
 * once (retransmitted pushes are acknowledged again, not shown again), every push acknowledged.
 * What it remembers to drop duplicates is bounded. Loop-confined.
 */
final class RoomInbox {
  /** How many pushed room message ids and read markers are remembered to drop duplicates. */
  private static final int REMEMBERED_PUSHES = 4096;

  private final EventLoop loop;
  private final InetSocketAddress server;
  private final ClientSession session;
  private final ChatListener listener;
  private final Events events;
  private final PushRoomMessageFlyweight pushMessage = new PushRoomMessageFlyweight();
  private final PushRoomReadFlyweight pushRead = new PushRoomReadFlyweight();
  private final org.p2pchat.protocol.codec.internal.PushPresenceFlyweight pushPresence =
      new org.p2pchat.protocol.codec.internal.PushPresenceFlyweight();
  /** Push ids of presence pushes taken in, to acknowledge a retransmission without showing it twice. */
  private final Map<Long, Boolean> seenPresence = bounded();
  private final TokenFlyweight pushAck = new TokenFlyweight(FrameType.PUSH_ACK);
  private final ByteBuffer out = ByteBuffer.allocate(ProtocolLimits.MAX_DATAGRAM_BYTES);
  private final Map<Long, Boolean> seenMessages = bounded();
  private final Map<String, Boolean> seenReads = bounded();

  RoomInbox(EventLoop loop, InetSocketAddress server, ClientSession session, ChatListener listener, Events events) {
    this.loop = loop;
    this.server = server;
    this.session = session;
    this.listener = listener;
    this.events = events;
  }

  void onPushRoomMessage(ByteBuffer frame) throws DecodeException {
    pushMessage.wrap(frame);
    if (!session.isOpen()) {
      return;
    }
    acknowledge(pushMessage.requestId());
    if (seenMessages.put(pushMessage.messageId(), Boolean.TRUE) != null) {
      return;
    }
    RoomMessage m = new RoomMessage(pushMessage.roomId(), pushMessage.messageId(),
        UserName.of(pushMessage.sender()), pushMessage.body(), Instant.ofEpochMilli(pushMessage.sentAtMillis()), 0);
    events.run(() -> listener.onRoomMessage(m));
  }

  void onPushRoomRead(ByteBuffer frame) throws DecodeException {
    pushRead.wrap(frame);
    if (!session.isOpen()) {
      return;
    }
    acknowledge(pushRead.requestId());
    long room = pushRead.roomId();
    long upTo = pushRead.upToMessageId();
    String reader = pushRead.reader();
    if (seenReads.put(room + ":" + reader + ":" + upTo, Boolean.TRUE) != null) {
      return;
    }
    UserName who = UserName.of(reader);
    events.run(() -> listener.onRoomRead(room, who, upTo));
  }

  /**
   * PUSH_PRESENCE (docs/protocol.md section 21): a mutual contact came online or went offline.
   * A retransmission has the same push id: acknowledged again, shown once.
   */
  void onPushPresence(ByteBuffer frame) throws DecodeException {
    pushPresence.wrap(frame);
    if (!session.isOpen()) {
      return;
    }
    long pushId = pushPresence.requestId();
    acknowledge(pushId);
    if (seenPresence.put(pushId, Boolean.TRUE) != null) {
      return;
    }
    UserName who = UserName.of(pushPresence.contact());
    org.p2pchat.api.Contact.Presence presence = org.p2pchat.api.Contact.Presence.of(pushPresence.presence());
    long seen = pushPresence.lastSeenMillis();
    java.util.Optional<Instant> lastSeen = seen == 0 ? java.util.Optional.empty() : java.util.Optional.of(Instant.ofEpochMilli(seen));
    events.run(() -> listener.onPresenceChanged(who, presence, lastSeen));
  }

  /** How many ids and markers are remembered: a snapshot for tests. */
  int remembered() {
    return seenMessages.size() + seenReads.size() + seenPresence.size();
  }

  private void acknowledge(long pushId) {
    out.clear();
    pushAck.encode(out, pushId).token(session.tokenHi(), session.tokenLo()).finish();
    out.flip();
    loop.send(out, server);
  }

  private static <K> Map<K, Boolean> bounded() {
    return new LinkedHashMap<>() {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<K, Boolean> eldest) {
        return size() > REMEMBERED_PUSHES;
      }
    };
  }
}
