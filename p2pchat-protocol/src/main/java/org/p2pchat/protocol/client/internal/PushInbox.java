package org.p2pchat.protocol.client.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.ProtocolLimits;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatListener;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.PushAcksFlyweight;
import org.p2pchat.protocol.codec.internal.PushLongMessageFlyweight;
import org.p2pchat.protocol.codec.internal.PushMessageFlyweight;
import org.p2pchat.protocol.codec.internal.PushStateFlyweight;
import org.p2pchat.protocol.codec.internal.PushStatesFlyweight;
import org.p2pchat.protocol.codec.internal.TokenFlyweight;
import org.p2pchat.protocol.internal.EventLoop;

/**
 * What the server pushes to the session: each new message and each state change handed to the
 * listener once (the server retransmits until acknowledged, so duplicates are the rule) and
 * every push acknowledged. Messages are shown as they arrive: a retransmitted push may come
 * after a newer message of the same sender, and it is shown then rather than held back or left
 * for history, since a chat user would rather see a late message than never see it live (and
 * its sender would never see it delivered). Loop-confined.
 */
final class PushInbox {
  /** How many pushed message ids and states are remembered to drop duplicates. */
  private static final int REMEMBERED_PUSHES = 4096;
  /** How many copies of one long message's push wait for its fetch to be acknowledged. */
  private static final int MAX_COPIES_WAITING = 16;
  /** Direct copies remembered until their push comes: more than a burst between two pushes. */
  private static final int REMEMBERED_DIRECT_COPIES = 4096;

  private final EventLoop loop;
  private final InetSocketAddress server;
  private final ClientSession session;
  private final ChatListener listener;
  private final Events events;
  private final PushMessageFlyweight pushMessage = new PushMessageFlyweight();
  private final PushStateFlyweight pushState = new PushStateFlyweight();
  private final PushLongMessageFlyweight pushLong = new PushLongMessageFlyweight();
  /** The long messages being fetched, with the push ids to acknowledge once they are whole. */
  private final Map<Long, List<Long>> fetching = new HashMap<>();
  private LongMessages longMessages;
  private final TokenFlyweight pushAck = new TokenFlyweight(FrameType.PUSH_ACK);
  private final PushAcksFlyweight pushAcks = new PushAcksFlyweight();
  private final PushStatesFlyweight pushStates = new PushStatesFlyweight();
  /** Push ids to acknowledge after this loop pass, in one PUSH_ACKS (batched acknowledgements). */
  private long[] acksToSend = new long[PushAcksFlyweight.MAX_IDS];
  private int acksWaiting;
  private final Runnable sendAcks = this::sendAcks;
  private final ByteBuffer out = ByteBuffer.allocate(ProtocolLimits.MAX_DATAGRAM_BYTES);
  private final Map<Long, Boolean> seenMessages = new LinkedHashMap<>() {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
      if (size() <= REMEMBERED_PUSHES) {
        return false;
      }
      forgottenUpTo = Math.max(forgottenUpTo, eldest.getKey());
      return true;
    }
  };
  /**
   * The greatest message id the inbox has shown and forgotten since: a push of an id at or
   * below it may be one shown long ago, so it is not shown again (history has it). This keeps
   * "never twice" exact with bounded memory.
   */
  private long forgottenUpTo;
  /** The greatest message id taken in, by push or catch-up. */
  private long newestId;
  private final Map<String, Boolean> seenStates = boundedMap();
  /** A message shown from its direct copy: who sent the copy, and what it said. */
  private record DirectCopy(UserName sender, String body) {}

  /** Messages shown from their direct copy, by id. */
  private final Map<Long, DirectCopy> directCopies = new LinkedHashMap<>() {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, DirectCopy> eldest) {
      return size() > REMEMBERED_DIRECT_COPIES;
    }
  };

  PushInbox(EventLoop loop, InetSocketAddress server, ClientSession session, ChatListener listener,
      Events events) {
    this.loop = loop;
    this.server = server;
    this.session = session;
    this.listener = listener;
    this.events = events;
  }

  /** Fetches the parts of pushed long messages with {@code parts}. */
  void fetchWith(LongMessages parts) {
    this.longMessages = parts;
  }

  /**
   * A long message arrived (docs/protocol.md section 23): fetches its parts, then takes it in
   * by the rules of a push and acknowledges it (every copy of the push that came meanwhile). A
   * fetch that fails leaves the push unacknowledged: the server pushes again, history has it.
   */
  void onPushLongMessage(ByteBuffer frame) throws DecodeException {
    pushLong.wrap(frame);
    if (!session.isOpen() || longMessages == null) {
      return;
    }
    long messageId = pushLong.messageId();
    long pushId = pushLong.requestId();
    if (seenMessages.containsKey(messageId)) {
      acknowledge(pushId);
      return;
    }
    if (messageId <= forgottenUpTo) {
      return;
    }
    UserName sender = UserName.of(pushLong.sender());
    List<Long> pushIds = fetching.get(messageId);
    if (pushIds != null) {
      if (pushIds.size() < MAX_COPIES_WAITING) {
        pushIds.add(pushId);
      }
      return;
    }
    long sentAt = pushLong.sentAtMillis();
    CompletableFuture<String> body = longMessages.fetch(messageId, pushLong.totalLength());
    if (body == null) {
      return; // too many fetches under way: the server pushes again
    }
    List<Long> acks = new ArrayList<>();
    acks.add(pushId);
    fetching.put(messageId, acks);
    long generation = session.generation();
    body.whenComplete((text, failure) -> loop.execute(() -> {
      List<Long> toAck = fetching.remove(messageId);
      if (failure != null || !session.isOpen() || session.generation() != generation) {
        return;
      }
      if (!seenMessages.containsKey(messageId)) {
        // Shown even when a newer message of the same sender came meanwhile (the late-push rule)
        ChatMessage message = ChatMessage.builder().id(messageId).sender(sender).recipient(session.user())
            .body(text).sentAt(Instant.ofEpochMilli(sentAt)).state(DeliveryState.DELIVERED).build();
        seenMessages.put(messageId, Boolean.TRUE);
        newestId = Math.max(newestId, messageId);
        events.run(() -> listener.onMessage(message));
      }
      for (long id : toAck) {
        acknowledge(id);
      }
    }));
  }

  void onPushMessage(ByteBuffer frame) throws DecodeException {
    pushMessage.wrap(frame);
    if (!session.isOpen()) {
      return; // not ours to acknowledge: the server retries, then history has it
    }
    long messageId = pushMessage.messageId();
    if (seenMessages.containsKey(messageId)) {
      acknowledge(pushMessage.requestId()); // our earlier ack was lost
      return;
    }
    if (messageId <= forgottenUpTo) {
      return; // perhaps shown before we forgot it: left unacknowledged, history has it
    }
    UserName sender = UserName.of(pushMessage.sender());
    ChatMessage message = ChatMessage.builder()
        .id(messageId)
        .sender(sender)
        .recipient(session.user())
        .body(pushMessage.body())
        .sentAt(Instant.ofEpochMilli(pushMessage.sentAtMillis()))
        .state(DeliveryState.DELIVERED)
        .build();
    seenMessages.put(messageId, Boolean.TRUE);
    newestId = Math.max(newestId, messageId);
    acknowledge(pushMessage.requestId());
    if (!shownFromDirectCopy(messageId, sender, message.body())) {
      events.run(() -> listener.onMessage(message));
    }
  }

  /**
   * Whether the message was shown already from its direct copy, sent by {@code sender}'s device
   * with this very body. A copy that said something else than the server stored is overruled:
   * the stored message is shown too, as history will have it.
   */
  private boolean shownFromDirectCopy(long messageId, UserName sender, String body) {
    DirectCopy copy = directCopies.remove(messageId);
    return copy != null && copy.sender().equals(sender) && copy.body().equals(body);
  }

  /**
   * Takes in a message that catch-up read from history after a reconnect, by the same rules as
   * a push: shown once; one a push showed already is skipped.
   */
  void offerFromHistory(ChatMessage message) {
    long messageId = message.id();
    newestId = Math.max(newestId, messageId);
    if (seenMessages.containsKey(messageId) || messageId <= forgottenUpTo) {
      return;
    }
    seenMessages.put(messageId, Boolean.TRUE);
    if (!shownFromDirectCopy(messageId, message.sender(), message.body())) {
      events.run(() -> listener.onMessage(message));
    }
  }

  /** The greatest message id pushed to or caught up by this client; 0 before any. */
  long newestId() {
    return newestId;
  }

  void onPushState(ByteBuffer frame) throws DecodeException {
    pushState.wrap(frame);
    if (!session.isOpen()) {
      return;
    }
    acknowledge(pushState.requestId());
    stateChanged(pushState.messageId(), DeliveryState.of(pushState.state()), pushState.recipient());
  }

  /**
   * PUSH_STATES: each entry taken in as a PUSH_STATE of its own would be, the frame acknowledged
   * once.
   */
  void onPushStates(ByteBuffer frame) throws DecodeException {
    pushStates.wrap(frame);
    if (!session.isOpen()) {
      return;
    }
    acknowledge(pushStates.requestId());
    for (int e = pushStates.firstEntry(), i = 0; i < pushStates.count(); e = pushStates.nextEntry(e), i++) {
      stateChanged(pushStates.messageId(e), DeliveryState.of(pushStates.state(e)), pushStates.recipient(e));
    }
  }

  private void stateChanged(long messageId, DeliveryState state, String recipientName) {
    if (seenStates.put(messageId + ":" + state, Boolean.TRUE) != null) {
      return;
    }
    UserName recipient = UserName.of(recipientName);
    events.run(() -> listener.onStateChanged(messageId, recipient, state));
  }

  /** Acknowledges a push that is not a message's (PUSH_PEER), by the session's rules like the others. */
  void acknowledgeOther(long pushId) {
    acknowledge(pushId);
  }

  /**
   * A message's direct copy from the sender's device (docs/protocol.md section 25): shown now
   * unless its push came first. The push that follows is then taken as a copy, but only when it
   * names the same sender and body: a contact's device can vouch for its own messages, never
   * hide another's by claiming its id, nor show what the server did not store.
   */
  void onDirectMessage(ChatMessage message) {
    long id = message.id();
    if (seenMessages.containsKey(id) || id <= forgottenUpTo || directCopies.containsKey(id)) {
      return;
    }
    directCopies.put(id, new DirectCopy(message.sender(), message.body()));
    events.run(() -> listener.onMessage(message));
  }

  /**
   * Acknowledges a push: at once, or, once the session agreed on batched acknowledgements, with
   * the other pushes of this loop pass in one PUSH_ACKS sent after the pass.
   */
  private void acknowledge(long pushId) {
    if (!session.batchedAcks()) {
      out.clear();
      pushAck.encode(out, pushId).token(session.tokenHi(), session.tokenLo()).finish();
      out.flip();
      loop.send(out, server);
      return;
    }
    if (acksWaiting == 0) {
      loop.execute(sendAcks); // runs after the datagrams of this pass
    } else if (acksWaiting == acksToSend.length) {
      acksToSend = Arrays.copyOf(acksToSend, 2 * acksWaiting);
    }
    acksToSend[acksWaiting++] = pushId;
  }

  private void sendAcks() {
    try {
      sendAcksWaiting();
    } finally {
      acksWaiting = 0; // a send that throws must not leave acks that no later pass sends
    }
  }

  private void sendAcksWaiting() {
    if (session.isOpen()) {
      int i = 0;
      while (i < acksWaiting) {
        out.clear();
        if (acksWaiting - i == 1) {
          pushAck.encode(out, acksToSend[i++]).token(session.tokenHi(), session.tokenLo()).finish();
        } else {
          pushAcks.encode(out, 0).token(session.tokenHi(), session.tokenLo());
          for (int n = 0; n < PushAcksFlyweight.MAX_IDS && i < acksWaiting; n++) {
            pushAcks.addPushId(acksToSend[i++]);
          }
          pushAcks.finish();
        }
        out.flip();
        loop.send(out, server);
      }
    }
  }

  /** How many message ids, states and long-message fetches the inbox holds: a snapshot for tests. */
  record Footprint(int messages, int states, int fetching) {}

  Footprint footprint() {
    return new Footprint(seenMessages.size(), seenStates.size(), fetching.size());
  }

  private static <K, V> Map<K, V> boundedMap() {
    return new LinkedHashMap<>() {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > REMEMBERED_PUSHES;
      }
    };
  }
}
