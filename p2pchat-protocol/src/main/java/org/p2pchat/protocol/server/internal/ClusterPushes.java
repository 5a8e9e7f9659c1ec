package org.p2pchat.protocol.server.internal;

import java.util.function.Consumer;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.UserName;
import org.p2pchat.api.server.PushBus;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.protocol.internal.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Another node's events, pushed to this node's sessions. An event names a message by id; a node
 * that holds an online session of the user concerned reads the message from the store (one
 * indexed row) and pushes it as if it had stored it itself, and a node without such a session
 * does nothing. Nothing is re-published, so an event crosses the bus once. Called on the bus's
 * thread; all protocol state is touched on the loop.
 */
final class ClusterPushes implements PushBus.Listener {
  private static final Logger log = LoggerFactory.getLogger(ClusterPushes.class);

  private final EventLoop loop;
  private final ChatStore store;
  private final Pushes pushes;

  ClusterPushes(EventLoop loop, ChatStore store, Pushes pushes) {
    this.loop = loop;
    this.store = store;
    this.pushes = pushes;
  }

  @Override
  public void onMessageStored(long messageId, UserName recipient) {
    loop.execute(() -> {
      if (pushes.isOnlineHere(recipient)) {
        read(recipient, messageId, pushes::pushMessageHere);
      }
    });
  }

  @Override
  public void onStateChanged(long messageId, UserName sender, DeliveryState state) {
    loop.execute(() -> {
      if (pushes.isOnlineHere(sender)) {
        read(sender, messageId, m -> pushes.pushStateHere(m, state));
      }
    });
  }

  @Override
  public void onGap() {
    loop.execute(pushes::pushUnreadToAll);
  }

  /** Reads message {@code id} of {@code user}'s history and hands it to {@code then} on the loop. */
  private void read(UserName user, long id, Consumer<ChatMessage> then) {
    HistoryQuery one = HistoryQuery.builder().direction(HistoryQuery.Direction.AFTER).cursor(id - 1).limit(1).build();
    store.history(user, one).whenComplete((page, failure) -> {
      if (failure != null) {
        log.debug("reading message {} for a push from another node failed: {}", id, failure.toString());
        return;
      }
      if (!page.messages().isEmpty() && page.messages().get(0).id() == id) {
        loop.execute(() -> then.accept(page.messages().get(0)));
      }
    });
  }
}
