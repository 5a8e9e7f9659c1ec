package org.p2pchat.protocol.server.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.protocol.codec.internal.PushAcksFlyweight;
import org.p2pchat.protocol.codec.internal.TokenFlyweight;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PUSH_ACK and PUSH_ACKS: stop a push's retransmission; the first acknowledgement of a message marks it
 * delivered and tells its sender. Never answered, so that a stranger learns nothing from it.
 *
 * <p>Acknowledgements are coalesced: those of one loop pass (every datagram one poll received)
 * become one {@code markDelivered} per recipient, run after the pass as a loop task, so a burst
 * of acks is one store write (which the store's group commit then shares with the appends of
 * the moment), not one write each.
 */
final class PushAckHandler implements RequestHandler<TokenFlyweight> {
  private static final Logger log = LoggerFactory.getLogger(PushAckHandler.class);

  private final Executor loop;
  private final SessionTable sessions;
  private final Pushes pushes;
  private final ChatStore store;
  /** Acknowledged message ids per recipient, since the last flush; in arrival order. */
  private final Map<UserName, List<Long>> acked = new LinkedHashMap<>();
  private final Runnable flush = this::flush;

  PushAckHandler(Executor loop, SessionTable sessions, Pushes pushes, ChatStore store) {
    this.loop = loop;
    this.sessions = sessions;
    this.pushes = pushes;
    this.store = store;
  }

  @Override
  public void handle(TokenFlyweight request, Exchange x) {
    Session session = heardFrom(request.tokenHi(), request.tokenLo(), x);
    if (session != null) {
      acknowledged(session, request.requestId());
    }
  }

  /** The handler of PUSH_ACKS: each of its push ids acknowledged as by a PUSH_ACK of its own. */
  RequestHandler<PushAcksFlyweight> batched() {
    return this::handleBatch;
  }

  private void handleBatch(PushAcksFlyweight request, Exchange x) {
    Session session = heardFrom(request.tokenHi(), request.tokenLo(), x);
    for (int i = 0; session != null && i < request.count(); i++) {
      acknowledged(session, request.pushId(i));
    }
  }

  /** The session of the token, now heard from at the datagram's address; null for an unknown token. */
  private Session heardFrom(long tokenHi, long tokenLo, Exchange x) {
    Session session = sessions.find(tokenHi, tokenLo, x.now());
    if (session != null) {
      session.heardFrom(x.from(), x.now());
    }
    return session;
  }

  private void acknowledged(Session session, long pushId) {
    Pushes.Pending push = pushes.acknowledged(pushId, session);
    if (push == null || !push.isMessage) {
      return;
    }
    if (acked.isEmpty()) {
      loop.execute(flush); // runs after the datagrams of this pass
    }
    acked.computeIfAbsent(session.user, u -> new ArrayList<>()).add(push.message.id());
  }

  private void flush() {
    // Taken out first, so that a mark that throws cannot leave acks behind that no flush ever
    // sends (a flush is queued only when none are waiting).
    List<Map.Entry<UserName, List<Long>>> batches = new ArrayList<>(acked.entrySet());
    acked.clear();
    for (Map.Entry<UserName, List<Long>> e : batches) {
      List<Long> ids = e.getValue();
      store.markDelivered(e.getKey(), ids).whenComplete((changed, failure) -> {
        if (failure != null) {
          log.warn("marking {} messages delivered failed: {}", ids.size(), failure.toString());
          return;
        }
        if (!changed.isEmpty()) {
          loop.execute(() -> pushes.pushStates(changed, DeliveryState.DELIVERED));
        }
      });
    }
  }
}
