package org.p2pchat.protocol.server.internal;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.RoomMember;
import org.p2pchat.api.RoomMessage;
import org.p2pchat.api.UserName;
import org.p2pchat.api.server.PushBus;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.api.store.RoomStore;
import org.p2pchat.api.store.RoomStore.RoomDelivery;
import org.p2pchat.protocol.internal.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Another node's events, pushed to this node's sessions. An event names a message by id; a node
 * that holds an online session of the user concerned reads the message from the store (one
 * indexed row) and pushes it as if it had stored it itself, and a node without such a session
 * does nothing. Nothing is re-published, so an event crosses the bus once. Called on the bus's
 * thread; all protocol state is touched on the loop.
 *
 * <p>The reads run concurrently but their pushes go out in the order the events came, as a
 * node's own pushes do, so a client sees each sender's messages in order unless a push is lost
 * and sent again: a read that finished early waits for those before it. Reads
 * beyond {@link #MAX_READS} in flight are not started: the push is skipped, history has it.
 *
 * <p>A room message takes two reads: the room's members (to see whether any is online here;
 * if none is, that is all) and then the message, read as its sender (a member when it was
 * stored).
 */
final class ClusterPushes implements PushBus.Listener {
  private static final Logger log = LoggerFactory.getLogger(ClusterPushes.class);
  /** The most reads in flight, bounding what a burst of events from other nodes can queue. */
  static final int MAX_READS = 10_000;

  /**
   * A read in flight, in event order: it completes with the push to make, or null for none.
   * Loop-confined.
   */
  private final ArrayDeque<CompletableFuture<Runnable>> inOrder = new ArrayDeque<>();

  private final EventLoop loop;
  private final ChatStore store;
  private final Pushes pushes;
  /** The node's room pushes; null when the store keeps no rooms. */
  private final RoomPushes roomPushes;
  /** The node's presence; null when the store keeps no contacts. */
  private final Presence presence;
  private final SessionTable sessions;

  ClusterPushes(EventLoop loop, ChatStore store, Pushes pushes, RoomPushes roomPushes, Presence presence,
      SessionTable sessions) {
    this.loop = loop;
    this.store = store;
    this.pushes = pushes;
    this.roomPushes = roomPushes;
    this.presence = presence;
    this.sessions = sessions;
  }

  @Override
  public void onAccountDeleted(UserName user) {
    loop.execute(() -> sessions.closeUser(user)); // docs/protocol.md section 22
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
    if (presence != null) {
      presence.gap();
    }
  }

  @Override
  public void onPresenceChanged(UserName user, boolean online, long lastSeenMillis) {
    if (presence != null) {
      presence.remoteChanged(user, online, lastSeenMillis);
    }
  }

  @Override
  public void onRoomMessageStored(long roomId, long messageId, UserName sender) {
    if (roomPushes == null) {
      return;
    }
    loop.execute(() -> {
      if (inOrder.size() >= MAX_READS) {
        return;
      }
      RoomStore rooms = store.rooms();
      CompletableFuture<Runnable> push = rooms.members(roomId, sender).thenCompose(members -> {
        List<UserName> names = members.stream().map(RoomMember::name).toList();
        return onLoop(() -> roomPushes.anyOnlineHere(names)).thenCompose(any -> !any
            ? CompletableFuture.<Runnable>completedFuture(null)
            : rooms.roomHistory(roomId, sender, one(messageId)).thenApply(page -> {
              List<RoomMessage> got = page.messages();
              if (got.isEmpty() || got.get(0).id() != messageId) {
                return null;
              }
              RoomDelivery delivery = new RoomDelivery(got.get(0), names);
              return () -> roomPushes.messageHere(delivery, null);
            }));
      });
      queue(push, messageId);
    });
  }

  /**
   * Reads message {@code id} of {@code user}'s history and hands it to {@code then} on the loop,
   * after every earlier read's message. On the loop.
   */
  private void read(UserName user, long id, Consumer<ChatMessage> then) {
    if (inOrder.size() >= MAX_READS) {
      return;
    }
    CompletableFuture<Runnable> push = store.history(user, one(id)).thenApply(page ->
        !page.messages().isEmpty() && page.messages().get(0).id() == id ? () -> then.accept(page.messages().get(0)) : null);
    queue(push, id);
  }

  /** The query of one message by id: the first after {@code id - 1}. */
  private static HistoryQuery one(long id) {
    return HistoryQuery.builder().direction(HistoryQuery.Direction.AFTER).cursor(id - 1).limit(1).build();
  }

  /** Runs {@code what} on the loop and completes with its answer. */
  private CompletableFuture<Boolean> onLoop(BooleanSupplier what) {
    CompletableFuture<Boolean> answer = new CompletableFuture<>();
    loop.execute(() -> answer.complete(what.getAsBoolean()));
    return answer;
  }

  /** Queues a read's push behind the earlier ones; a failed read pushes nothing. On the loop. */
  private void queue(CompletableFuture<Runnable> read, long messageId) {
    CompletableFuture<Runnable> push = read.handle((p, failure) -> {
      if (failure != null) {
        log.debug("reading message {} for a push from another node failed: {}", messageId, failure.toString());
        return null;
      }
      return p;
    });
    inOrder.add(push);
    push.whenComplete((p, failure) -> loop.execute(this::drain));
  }

  /** Makes the pushes read, in event order, up to the first read still in flight. On the loop. */
  private void drain() {
    while (!inOrder.isEmpty() && inOrder.peek().isDone()) {
      Runnable push = inOrder.poll().getNow(null);
      if (push != null) {
        push.run();
      }
    }
  }
}
