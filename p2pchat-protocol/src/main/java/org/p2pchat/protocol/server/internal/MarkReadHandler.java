package org.p2pchat.protocol.server.internal;

import java.util.ArrayList;
import java.util.List;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.MarkReadFlyweight;

/**
 * MARK_READ: marks messages addressed to the user read, answers OK once durable, then tells
 * each message's sender. Ids the user did not receive are ignored.
 */
final class MarkReadHandler implements RequestHandler<MarkReadFlyweight> {
  private final ChatStore store;
  private final Pushes pushes;
  private final Exchange.Completion<List<ChatMessage>> marked = this::marked;

  MarkReadHandler(ChatStore store, Pushes pushes) {
    this.store = store;
    this.pushes = pushes;
  }

  @Override
  public void handle(MarkReadFlyweight request, Exchange x) {
    if (x.replayedInSession(request)) {
      return;
    }
    Session session = x.session(request);
    if (session == null || !x.admitted()) {
      return;
    }
    List<Long> ids = new ArrayList<>(request.count());
    for (int i = 0; i < request.count(); i++) {
      ids.add(request.messageId(i));
    }
    x.completeLater(store.markRead(session.user, ids), marked);
  }

  private void marked(Exchange x, List<ChatMessage> changed) {
    x.replyEmptyOk(FrameType.MARK_READ);
    pushes.pushStates(changed, DeliveryState.READ);
  }
}
