package org.p2pchat.protocol.server.internal;

import java.time.Instant;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.api.store.NewMessage;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.LongParts;
import org.p2pchat.protocol.codec.internal.SendPartFlyweight;
import org.p2pchat.protocol.codec.internal.SendPartOkFlyweight;

/**
 * SEND_PART (docs/protocol.md section 23): holds each part of a long message in
 * {@link LongSends} and answers it "held"; the part that makes the message whole is answered
 * only once the message is durable, with its id, and the message is stored once per (sender,
 * idempotency key) as SEND_KEYED stores it, then pushed.
 */
final class SendPartHandler implements RequestHandler<SendPartFlyweight> {
  private final ChatStore store;
  private final Pushes pushes;
  private final LongSends sends;
  private final LongBodies bodies;
  private final SendPartOkFlyweight ok = new SendPartOkFlyweight();
  private final Exchange.Completion<ChatMessage> stored = this::stored;

  SendPartHandler(ChatStore store, Pushes pushes, LongSends sends, LongBodies bodies) {
    this.store = store;
    this.pushes = pushes;
    this.sends = sends;
    this.bodies = bodies;
  }

  @Override
  public void handle(SendPartFlyweight request, Exchange x) {
    if (x.replayedInSession(request)) {
      return;
    }
    Session session = x.session(request);
    if (session == null || !x.admitted()) {
      return;
    }
    LongSends.Assembly whole;
    try {
      whole = sends.offer(session, request, x.now());
    } catch (ChatException e) {
      if (e.code() == ErrorCode.TOO_MANY_PARTIAL_SENDS) {
        x.fail(e.code(), LongSends.RETRY_AFTER_MILLIS); // not cached: room may free up
      } else {
        x.replyError(e.code());
      }
      return;
    }
    if (whole == null) {
      ok.encode(x.answer(), x.requestId()).inReplyTo(FrameType.SEND_PART).held().finish();
      x.reply();
      return;
    }
    String body;
    try {
      body = LongParts.decode(whole.body);
    } catch (DecodeException e) {
      x.replyError(ErrorCode.BAD_PART);
      return;
    }
    NewMessage message = NewMessage.of(session.user, whole.recipient, body, Instant.ofEpochMilli(x.now()));
    x.completeLater(ContactRoutes.unlessBlocked(store, whole.recipient, session.user,
        () -> store.devices().appendOnce(message, whole.key)), stored);
  }

  private void stored(Exchange x, ChatMessage m) {
    ok.encode(x.answer(), x.requestId()).inReplyTo(FrameType.SEND_PART)
        .stored(m.id(), m.sentAt().toEpochMilli()).finish();
    x.reply();
    bodies.put(m);
    if (m.state() == DeliveryState.STORED) {
      pushes.pushMessage(m);
    }
  }
}
