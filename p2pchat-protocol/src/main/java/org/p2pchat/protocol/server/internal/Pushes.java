package org.p2pchat.protocol.server.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.ProtocolLimits;
import org.p2pchat.api.UserName;
import org.p2pchat.api.server.PushBus;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.ServerMetrics;
import org.p2pchat.protocol.codec.internal.HeaderFlyweight;
import org.p2pchat.protocol.codec.internal.PushLongMessageFlyweight;
import org.p2pchat.protocol.codec.internal.PushMessageFlyweight;
import org.p2pchat.protocol.codec.internal.PushStateFlyweight;
import org.p2pchat.protocol.codec.internal.PushStatesFlyweight;
import org.p2pchat.protocol.internal.EventLoop;
import org.p2pchat.protocol.internal.Retransmission;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's pushes: a new message to each online session of its recipient, a new state to
 * each online session of its sender, the unread messages to a session that starts or comes
 * back, each retransmitted with backoff until its PUSH_ACK or given up. A push is an accelerator above the store, which holds every message: beyond the
 * bound on pending pushes a push is simply not sent, and nothing is lost. Owned by the loop.
 */
final class Pushes {
  /** A push awaiting its PUSH_ACK. */
  final class Pending extends Retransmission {
    final long pushId;
    final Session session;
    final ChatMessage message;
    /** True for PUSH_MESSAGE (an ack marks it delivered), false for every other push. */
    final boolean isMessage;
    private final byte[] frame;

    Pending(long pushId, Session session, ChatMessage message, boolean isMessage, byte[] frame) {
      super(loop);
      this.pushId = pushId;
      this.session = session;
      this.message = message;
      this.isMessage = isMessage;
      this.frame = frame;
    }

    @Override
    protected void transmit() {
      metrics.pushSent(attempts() > 1);
      loop.send(ByteBuffer.wrap(frame), session.address);
    }

    @Override
    protected long timeoutMillis(int attempts, long nowMillis) {
      return initialTimeoutMillis << Math.min(attempts - 1, 16);
    }

    @Override
    protected boolean exhausted(long nowMillis) {
      return attempts() >= maxAttempts || session.closed;
    }

    @Override
    protected void onGiveUp() {
      byId.remove(pushId); // the message stays unread in history
      metrics.pushGivenUp();
    }
  }

  /** The unread messages a returning session is pushed: one page, oldest first. */
  private static final HistoryQuery UNREAD_OLDEST_FIRST = HistoryQuery.builder()
      .unreadOnly(true).direction(HistoryQuery.Direction.AFTER).cursor(0).limit(100).build();
  private static final Logger log = LoggerFactory.getLogger(Pushes.class);

  private final EventLoop loop;
  private final SessionTable sessions;
  private final ChatStore store;
  private final ServerMetrics metrics;
  private final PushBus bus;
  private final Map<Long, Pending> byId = new HashMap<>();
  private final int maxPending;
  private final long initialTimeoutMillis;
  private final int maxAttempts;
  private final long onlineWindowMillis;
  private final ByteBuffer out = ByteBuffer.allocate(ProtocolLimits.MAX_DATAGRAM_BYTES);
  private final PushMessageFlyweight pushMessage = new PushMessageFlyweight();
  private final PushStateFlyweight pushState = new PushStateFlyweight();
  private final PushStatesFlyweight pushStates = new PushStatesFlyweight();
  private final PushLongMessageFlyweight pushLongMessage = new PushLongMessageFlyweight();
  private long nextPushId = 1;
  /** The states of this loop pass for sessions that take PUSH_STATES, in order. */
  private final Map<Session, List<StateToPush>> statesToPush = new LinkedHashMap<>();
  private final Runnable flushStates = this::flushStates;

  Pushes(EventLoop loop, SessionTable sessions, ChatStore store, ServerConfig config, ServerMetrics metrics) {
    this(loop, sessions, store, PushBus.NONE, config, metrics);
  }

  Pushes(EventLoop loop, SessionTable sessions, ChatStore store, ServerConfig config) {
    this(loop, sessions, store, PushBus.NONE, config, ServerMetrics.NONE);
  }

  Pushes(EventLoop loop, SessionTable sessions, ChatStore store, PushBus bus, ServerConfig config,
      ServerMetrics metrics) {
    this.loop = loop;
    this.bus = bus;
    this.metrics = metrics;
    this.sessions = sessions;
    this.store = store;
    this.maxPending = config.maxPendingPushes();
    this.initialTimeoutMillis = config.pushInitialTimeout().toMillis();
    this.maxAttempts = config.pushAttempts();
    this.onlineWindowMillis = config.onlineWindow().toMillis();
  }

  /** Pushes a stored message to each online session of its recipient, here and on the other nodes. */
  void pushMessage(ChatMessage m) {
    pushMessageHere(m);
    bus.messageStored(m.id(), m.recipient());
  }

  /** Pushes a stored message to each online session of its recipient on this node. */
  void pushMessageHere(ChatMessage m) {
    for (Session target : sessions.online(m.recipient(), loop.now(), onlineWindowMillis)) {
      pushMessageTo(target, m);
    }
  }

  /**
   * Pushes the messages no device of the user took in yet (unread and undelivered) to a session
   * that just started or came back after a silence longer than the online window, oldest first,
   * from one history page of unread messages: what it missed while no push could reach it. The
   * rest stays in history, where a client looks after a gap. Delivered messages are not pushed
   * again: another device (or this one, before the gap) has them, and a device that logs in over
   * and over must not be sent the same backlog each time.
   */
  void pushUnread(Session target) {
    store.history(target.user, UNREAD_OLDEST_FIRST).whenComplete((page, failure) -> {
      if (failure != null) {
        log.debug("reading unread messages for a returning session failed: {}", failure.toString());
        return;
      }
      loop.execute(() -> {
        for (ChatMessage m : page.messages()) {
          if (target.closed) {
            return;
          }
          if (m.recipient().equals(target.user) && m.state() == DeliveryState.STORED) {
            pushMessageTo(target, m);
          }
        }
      });
    });
  }

  private void pushMessageTo(Session target, ChatMessage m) {
    if (isFull()) {
      return;
    }
    long pushId = nextPushId++;
    out.clear();
    int length = ProtocolLimits.utf8Length(m.body());
    if (length > ProtocolLimits.MAX_BODY_BYTES) {
      // A long message: the recipient fetches its parts (docs/protocol.md section 23).
      pushLongMessage.encode(out, pushId).message(m.id(), m.sentAt().toEpochMilli(), m.sender().value(), length)
          .finish();
    } else {
      pushMessage.encode(out, pushId).message(m.id(), m.sentAt().toEpochMilli())
          .sender(m.sender().value()).body(m.body()).finish();
    }
    start(new Pending(pushId, target, m, true, copyOut()));
  }

  /**
   * Tells each online session of the messages' senders, here and on the other nodes, that they
   * reached {@code state}. A session whose client understands PUSH_STATES gets the states of one
   * loop pass together, many to a datagram, after the pass: the store completes a group commit's
   * delivery marks as separate tasks, so a pass often holds many. Any other session gets a
   * PUSH_STATE each, at once.
   */
  void pushStates(List<ChatMessage> changed, DeliveryState state) {
    for (ChatMessage m : changed) {
      for (Session target : sessions.online(m.sender(), loop.now(), onlineWindowMillis)) {
        if (target.batchedAcks) {
          if (statesToPush.isEmpty()) {
            loop.execute(flushStates); // runs after the tasks of this pass
          }
          statesToPush.computeIfAbsent(target, t -> new ArrayList<>()).add(new StateToPush(m, state));
        } else {
          pushStateTo(target, m, state);
        }
      }
      bus.stateChanged(m.id(), m.sender(), state);
    }
  }

  /** A state waiting for the end of the loop pass, to go in a PUSH_STATES. */
  private record StateToPush(ChatMessage message, DeliveryState state) {}

  private void flushStates() {
    // Taken out first, so that a push that throws cannot leave states behind that no flush ever
    // sends (a flush is queued only when none are waiting).
    List<Map.Entry<Session, List<StateToPush>>> batches = new ArrayList<>(statesToPush.entrySet());
    statesToPush.clear();
    for (Map.Entry<Session, List<StateToPush>> b : batches) {
      pushStatesTo(b.getKey(), b.getValue());
    }
  }

  /** Tells each online session of a message's sender on this node that it reached {@code state}. */
  void pushStateHere(ChatMessage m, DeliveryState state) {
    for (Session target : sessions.online(m.sender(), loop.now(), onlineWindowMillis)) {
      pushStateTo(target, m, state);
    }
  }

  private void pushStateTo(Session target, ChatMessage m, DeliveryState state) {
    if (isFull()) {
      return;
    }
    long pushId = nextPushId++;
    out.clear();
    pushState.encode(out, pushId).state(m.id(), state.code()).recipient(m.recipient().value())
        .finish();
    start(new Pending(pushId, target, m, false, copyOut()));
  }

  /** PUSH_STATES to one session, as many frames as the states need (PUSH_STATE for a lone one). */
  private void pushStatesTo(Session target, List<StateToPush> states) {
    if (target.closed) {
      return;
    }
    if (states.size() == 1) {
      pushStateTo(target, states.get(0).message(), states.get(0).state());
      return;
    }
    int i = 0;
    while (i < states.size() && !isFull()) {
      long pushId = nextPushId++;
      out.clear();
      pushStates.encode(out, pushId);
      do {
        StateToPush s = states.get(i++);
        pushStates.addState(s.message().id(), s.state().code(), s.message().recipient().value());
      } while (i < states.size() && pushStates.hasRoomFor(states.get(i).message().recipient().value()));
      pushStates.finish();
      start(new Pending(pushId, target, null, false, copyOut()));
    }
  }

  /**
   * Pushes a frame encoded elsewhere (the room pushes of {@link RoomPushes}): a copy of
   * {@code frame} with a fresh push id as its request id, retransmitted like any push.
   *
   * @return false, pushing nothing, when the bound on pending pushes is reached
   */
  boolean pushFrame(Session target, byte[] frame) {
    if (isFull()) {
      return false;
    }
    long pushId = nextPushId++;
    byte[] copy = frame.clone();
    ByteBuffer.wrap(copy).putLong(HeaderFlyweight.REQUEST_ID_OFFSET, pushId);
    start(new Pending(pushId, target, null, false, copy));
    return true;
  }

  /**
   * The push that {@code session} acknowledged, no longer retransmitted; or null when the id is
   * unknown or was pushed to another session.
   */
  Pending acknowledged(long pushId, Session session) {
    Pending p = byId.get(pushId);
    if (p == null || p.session != session) {
      return null;
    }
    byId.remove(pushId);
    p.stop();
    return p;
  }

  /** Whether {@code user} has a session here worth pushing to. */
  boolean isOnlineHere(UserName user) {
    return !sessions.online(user, loop.now(), onlineWindowMillis).isEmpty();
  }

  /** Pushes what they missed to every session here that is online (after the bus lost events). */
  void pushUnreadToAll() {
    for (Session s : sessions.all()) {
      if (loop.now() - s.lastHeardMillis <= onlineWindowMillis) {
        pushUnread(s);
      }
    }
  }

  int size() {
    return byId.size();
  }

  private boolean isFull() {
    return byId.size() >= maxPending;
  }

  private void start(Pending push) {
    byId.put(push.pushId, push);
    push.start();
  }

  private byte[] copyOut() {
    out.flip();
    byte[] copy = new byte[out.remaining()];
    out.get(copy);
    return copy;
  }
}
