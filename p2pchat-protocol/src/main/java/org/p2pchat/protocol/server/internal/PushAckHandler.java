package org.p2pchat.protocol.server.internal;

import java.util.List;
import java.util.concurrent.Executor;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.protocol.codec.internal.TokenFlyweight;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PUSH_ACK: stops a push's retransmission; the first acknowledgement of a message marks it
 * delivered and tells its sender. Never answered, so that a stranger learns nothing from it.
 */
final class PushAckHandler implements RequestHandler<TokenFlyweight> {
  private static final Logger log = LoggerFactory.getLogger(PushAckHandler.class);

  private final Executor loop;
  private final SessionTable sessions;
  private final Pushes pushes;
  private final ChatStore store;

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
    long id = push.message.id();
    store.markDelivered(session.user, List.of(id)).whenComplete((changed, failure) -> {
      if (failure != null) {
        log.warn("marking message {} delivered failed: {}", id, failure.toString());
        return;
      }
      loop.execute(() -> {
        for (ChatMessage m : changed) {
          pushes.pushState(m, DeliveryState.DELIVERED);
        }
      });
    });
  }
}
