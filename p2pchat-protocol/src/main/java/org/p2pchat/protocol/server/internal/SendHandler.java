package org.p2pchat.protocol.server.internal;

import java.time.Instant;
import java.util.List;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.api.store.NewMessage;
import org.p2pchat.protocol.ServerMetrics;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.SendFlyweight;
import org.p2pchat.protocol.codec.internal.SendOkFlyweight;

/**
 * SEND: appends the message to the store, answers OK with its id only once it is durable, then
 * pushes it to the recipient's online sessions.
 */
final class SendHandler implements RequestHandler<SendFlyweight> {
  private final ChatStore store;
  private final Pushes pushes;
  private final ServerMetrics metrics;
  private final SendOkFlyweight sendOk = new SendOkFlyweight();
  private final Exchange.Completion<List<ChatMessage>> stored = this::stored;

  SendHandler(ChatStore store, Pushes pushes, ServerMetrics metrics) {
    this.store = store;
    this.metrics = metrics;
    this.pushes = pushes;
  }

  @Override
  public void handle(SendFlyweight request, Exchange x) {
    if (x.replayedInSession(request)) {
      return;
    }
    Session session = x.session(request);
    if (session == null || !x.admitted()) {
      return;
    }
    NewMessage message = NewMessage.of(session.user, UserName.of(request.recipient()),
        request.body(), Instant.ofEpochMilli(x.now()));
    x.completeLater(store.append(List.of(message)), stored);
  }

  private void stored(Exchange x, List<ChatMessage> messages) {
    ChatMessage m = messages.get(0);
    sendOk.encode(x.answer(), x.requestId()).inReplyTo(FrameType.SEND)
        .stored(m.id(), m.sentAt().toEpochMilli()).finish();
    x.reply();
    metrics.sendAcknowledged();
    pushes.pushMessage(m);
  }
}
