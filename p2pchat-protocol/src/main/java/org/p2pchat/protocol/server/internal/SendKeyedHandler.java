package org.p2pchat.protocol.server.internal;

import java.time.Instant;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.api.store.NewMessage;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.SendKeyedFlyweight;
import org.p2pchat.protocol.codec.internal.SendOkFlyweight;

/**
 * SEND_KEYED: SEND, stored at most once per (sender, idempotency key) by the store, so that a
 * resend in a later session answers the message stored the first time (docs/protocol.md 17.5).
 * A message stored before is pushed again only while no device took it in.
 */
final class SendKeyedHandler implements RequestHandler<SendKeyedFlyweight> {
  private final ChatStore store;
  private final Pushes pushes;
  private final SendOkFlyweight sendOk = new SendOkFlyweight(FrameType.Answer.SEND_KEYED);
  private final Exchange.Completion<ChatMessage> stored = this::stored;

  SendKeyedHandler(ChatStore store, Pushes pushes) {
    this.store = store;
    this.pushes = pushes;
  }

  @Override
  public void handle(SendKeyedFlyweight request, Exchange x) {
    if (x.replayedInSession(request)) {
      return;
    }
    Session session = x.session(request);
    if (session == null || !x.admitted()) {
      return;
    }
    NewMessage message = NewMessage.of(session.user, UserName.of(request.recipient()),
        request.body(), Instant.ofEpochMilli(x.now()));
    x.completeLater(store.devices().appendOnce(message, request.key()), stored);
  }

  private void stored(Exchange x, ChatMessage m) {
    sendOk.encode(x.answer(), x.requestId()).inReplyTo(FrameType.SEND_KEYED)
        .stored(m.id(), m.sentAt().toEpochMilli()).finish();
    x.reply();
    if (m.state() == DeliveryState.STORED) {
      pushes.pushMessage(m);
    }
  }
}
