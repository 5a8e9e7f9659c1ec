package org.p2pchat.protocol.server.internal;

import java.util.concurrent.CompletableFuture;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.ContactStore;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.NameRequestFlyweight;

/**
 * CONTACT_ADD, CONTACT_REMOVE, BLOCK and UNBLOCK: one change of a list, answered OK once durable;
 * an add that makes two users mutual contacts shows each to the other at once ({@link Presence}).
 */
final class ContactChangeHandler implements RequestHandler<NameRequestFlyweight> {
  private final ContactStore contacts;
  private final FrameType type;
  private final Presence presence;

  /** @param type CONTACT_ADD, CONTACT_REMOVE, BLOCK or UNBLOCK */
  ContactChangeHandler(ContactStore contacts, FrameType type, Presence presence) {
    this.contacts = contacts;
    this.type = type;
    this.presence = presence;
  }

  @Override
  public void handle(NameRequestFlyweight request, Exchange x) {
    if (x.replayedInSession(request)) {
      return;
    }
    Session session = x.session(request);
    if (session == null || !x.admitted()) {
      return;
    }
    UserName other = UserName.of(request.name());
    CompletableFuture<Void> work = switch (type) {
      case CONTACT_ADD -> contacts.addContact(session.user, other);
      case CONTACT_REMOVE -> contacts.removeContact(session.user, other);
      case BLOCK -> contacts.block(session.user, other);
      case UNBLOCK -> contacts.unblock(session.user, other);
      default -> throw new IllegalStateException(type + " is no list change");
    };
    x.completeLater(work, (ex, nothing) -> changed(ex, session.user, other));
  }

  private void changed(Exchange x, UserName user, UserName other) {
    x.replyEmptyOk(type);
    if (type == FrameType.CONTACT_ADD) {
      presence.contactAdded(user, other);
    }
  }
}
