package org.p2pchat.protocol.server.internal;

import org.p2pchat.api.store.ContactStore;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.PresenceHideFlyweight;

/**
 * PRESENCE_HIDE: stores whether the caller hides their presence, answers OK once durable, then
 * has {@link Presence} tell their contacts what they may now see (docs/protocol.md section 21).
 */
final class PresenceHideHandler implements RequestHandler<PresenceHideFlyweight> {
  private final ContactStore contacts;
  private final Presence presence;

  PresenceHideHandler(ContactStore contacts, Presence presence) {
    this.contacts = contacts;
    this.presence = presence;
  }

  @Override
  public void handle(PresenceHideFlyweight request, Exchange x) {
    if (x.replayedInSession(request)) {
      return;
    }
    Session session = x.session(request);
    if (session == null || !x.admitted()) {
      return;
    }
    x.completeLater(contacts.hidePresence(session.user, request.hidden()), (ex, nothing) -> {
      ex.replyEmptyOk(FrameType.PRESENCE_HIDE);
      presence.hidingChanged(session.user);
    });
  }
}
