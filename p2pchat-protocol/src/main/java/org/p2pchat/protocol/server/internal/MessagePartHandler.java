package org.p2pchat.protocol.server.internal;

import java.util.Optional;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.LongParts;
import org.p2pchat.protocol.codec.internal.MessagePartFlyweight;
import org.p2pchat.protocol.codec.internal.MessagePartOkFlyweight;

/**
 * MESSAGE_PART (docs/protocol.md section 23): one part of a stored message the caller sent or
 * received, from {@link LongBodies} or else read from the store (the caller's history, so that
 * nobody reads another's messages). Answered to the session's proven address: the part is
 * larger than the request.
 */
final class MessagePartHandler implements RequestHandler<MessagePartFlyweight> {
  private final ChatStore store;
  private final LongBodies bodies;
  private final MessagePartOkFlyweight ok = new MessagePartOkFlyweight();

  MessagePartHandler(ChatStore store, LongBodies bodies) {
    this.store = store;
    this.bodies = bodies;
  }

  @Override
  public void handle(MessagePartFlyweight request, Exchange x) {
    if (x.replayedInSession(request)) {
      return;
    }
    Session session = x.session(request);
    if (session == null || !x.admitted()) {
      return;
    }
    long id = request.messageId();
    int index = request.partIndex();
    LongBodies.Body body = bodies.get(id);
    if (body != null) {
      if (body.isParty(session.user)) {
        answer(x, id, index, body);
      } else {
        x.replyError(ErrorCode.BAD_PART);
      }
      return;
    }
    // The oldest message after id - 1 that the caller sent or received: this one, if theirs.
    HistoryQuery query = HistoryQuery.builder().direction(HistoryQuery.Direction.AFTER).cursor(id - 1).limit(1)
        .build();
    x.completeLater(store.history(session.user, query).thenApply(page -> page.messages().stream()
        .filter(m -> m.id() == id).findFirst()), (ex, m) -> found(ex, m, id, index));
  }

  private void found(Exchange x, Optional<ChatMessage> message, long id, int index) {
    if (message.isEmpty()) {
      x.replyError(ErrorCode.BAD_PART);
      return;
    }
    answer(x, id, index, bodies.put(message.get()));
  }

  private void answer(Exchange x, long id, int index, LongBodies.Body body) {
    int total = body.utf8().length;
    if (index >= LongParts.count(total)) {
      x.replyError(ErrorCode.BAD_PART);
      return;
    }
    ok.encode(x.answer(), x.requestId()).inReplyTo(FrameType.MESSAGE_PART)
        .part(id, index, body.utf8(), index * LongParts.PART_BYTES, LongParts.length(total, index)).finish();
    x.replyUnbounded();
  }
}
