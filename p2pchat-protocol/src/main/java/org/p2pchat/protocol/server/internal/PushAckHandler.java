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
import org.p2pchat.protocol.codec.internal.TokenFlyweight;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PUSH_ACK: stops a push's retransmission; the first acknowledgement of a message marks it
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
    Session session = sessions.find(request.tokenHi(), request.tokenLo(), x.now());
    if (session == null) {
      return;
    }
    session.heardFrom(x.from(), x.now());
    Pushes.Pending push = pushes.acknowledged(request.requestId(), session);
    if (push == null || !push.isMessage) {
      return;
    }
    if (acked.isEmpty()) {
      loop.execute(flush); // runs after the datagrams of this pass
    }
    acked.computeIfAbsent(session.user, u -> new ArrayList<>()).add(push.message.id());
  }

  private void flush() {
    for (Map.Entry<UserName, List<Long>> e : acked.entrySet()) {
      List<Long> ids = e.getValue();
      store.markDelivered(e.getKey(), ids).whenComplete((changed, failure) -> {
        if (failure != null) {
          log.warn("marking {} messages delivered failed: {}", ids.size(), failure.toString());
          return;
        }
        if (!changed.isEmpty()) {
          loop.execute(() -> {
            for (ChatMessage m : changed) {
              pushes.pushState(m, DeliveryState.DELIVERED);
            }
          });
        }
      });
    }
    acked.clear();
  }
}
