package org.p2pchat.protocol.server.internal;

import java.util.concurrent.CompletableFuture;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.ContactStore;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.NameRequestFlyweight;

/**
 * CONTACT_ADD, CONTACT_REMOVE, BLOCK and UNBLOCK: one change of a list, answered OK once durable;
 * an add or an unblock that makes two users mutual contacts shows each to the other at once
 * ({@link Presence}); a removal or a block ends the peer links between the two.
 */
final class ContactChangeHandler implements RequestHandler<NameRequestFlyweight> {
  private final ContactStore contacts;
  private final FrameType type;
  private final Presence presence;
  private final PeerLinks links;

  /**
   * @param type CONTACT_ADD, CONTACT_REMOVE, BLOCK or UNBLOCK
   * @param links the peer links, which a removal or a block ends between the two
   */
  ContactChangeHandler(ContactStore contacts, FrameType type, Presence presence, PeerLinks links) {
    this.contacts = contacts;
    this.type = type;
    this.presence = presence;
    this.links = links;
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
    UserName user = session.user;
    // For CONTACT_ADD and UNBLOCK: whether this change may make the two mutual contacts (the
    // contact was not listed, or was blocked, before), read ahead of the write, so that a
    // repeated request pushes nothing.
    CompletableFuture<Boolean> work = switch (type) {
      case CONTACT_ADD -> contacts.contacts(user).thenCompose(list -> {
        boolean listed = list.stream().anyMatch(c -> c.name().equals(other));
        return contacts.addContact(user, other).thenApply(v -> !listed);
      });
      case CONTACT_REMOVE -> contacts.removeContact(user, other).thenApply(v -> false);
      case BLOCK -> contacts.block(user, other).thenApply(v -> false);
      case UNBLOCK -> contacts.isBlocked(user, other).thenCompose(was ->
          contacts.unblock(user, other).thenApply(v -> was));
      default -> throw new IllegalStateException(type + " is no list change");
    };
    x.completeLater(work, (ex, mayBeMutual) -> changed(ex, user, other, mayBeMutual));
  }

  private void changed(Exchange x, UserName user, UserName other, boolean mayBeMutual) {
    x.replyEmptyOk(type);
    if (type == FrameType.CONTACT_REMOVE || type == FrameType.BLOCK) {
      links.endBetween(user, other); // no longer mutual contacts: nothing more relayed between them
    }
    if (mayBeMutual) {
      presence.contactAdded(user, other); // shows each to the other if they are mutual now
    }
  }
}
