package org.p2pchat.protocol.server.internal;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.p2pchat.api.UserName;
import org.p2pchat.api.Contact;
import org.p2pchat.api.store.ContactStore;
import org.p2pchat.api.store.ContactStore.StoredContact;
import org.p2pchat.protocol.codec.internal.ContactListOkFlyweight;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.NameRequestFlyweight;

/**
 * CONTACT_LIST and BLOCK_LIST: a page of a list after the cursor. Contacts carry presence only
 * when mutual (docs/protocol.md section 20), as {@link Presence} sees it on the loop: from this
 * node's sessions (online when one was heard from within the online window, last seen the latest
 * time any was heard), else from what the other nodes published; a contact who hides looks
 * offline (section 21). Two store reads, concurrent: the list, and who on it hides.
 */
final class ContactListHandler implements RequestHandler<NameRequestFlyweight> {
  private final ContactStore contacts;
  private final Presence presence;
  private final boolean blocks;
  private final ContactListOkFlyweight listOk;

  /** @param blocks true for BLOCK_LIST, false for CONTACT_LIST */
  ContactListHandler(ContactStore contacts, Presence presence, boolean blocks) {
    this.contacts = contacts;
    this.presence = presence;
    this.blocks = blocks;
    this.listOk = blocks ? ContactListOkFlyweight.blocks() : ContactListOkFlyweight.contacts();
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
    String cursor = request.name();
    if (blocks) {
      x.completeLater(contacts.blocked(session.user), (ex, names) -> answer(ex, names.stream()
          .map(n -> new Contact(n, Contact.Presence.UNKNOWN, Optional.empty())).toList(), cursor));
    } else {
      CompletableFuture<Set<UserName>> hiding = contacts.contactsHidingPresence(session.user);
      x.completeLater(contacts.contacts(session.user).thenCombine(hiding, Listed::new),
          (ex, listed) -> answer(ex, listed.contacts().stream().map(c -> presence(c, listed.hiding(), ex.now())).toList(),
              cursor));
    }
  }

  /** A contact list and who on it hides their presence. */
  private record Listed(List<StoredContact> contacts, Set<UserName> hiding) {}

  /** What the list's owner may see of a contact, now (on the loop). */
  private Contact presence(StoredContact c, Set<UserName> hiding, long now) {
    if (!c.mutual()) {
      return new Contact(c.name(), Contact.Presence.UNKNOWN, Optional.empty());
    }
    return presence.contact(c.name(), hiding.contains(c.name()), now);
  }

  private void answer(Exchange x, List<Contact> all, String cursor) {
    listOk.encode(x.answer(), x.requestId()).inReplyTo(blocks ? FrameType.BLOCK_LIST : FrameType.CONTACT_LIST);
    int i = 0;
    while (i < all.size() && cursor != null && all.get(i).name().value().compareTo(cursor) <= 0) {
      i++;
    }
    String last = null;
    while (i < all.size()) {
      Contact c = all.get(i);
      if (!listOk.tryAdd(c)) {
        break;
      }
      last = c.name().value();
      i++;
    }
    listOk.nextCursor(i < all.size() ? last : null).finish();
    x.replyUnbounded();
  }
}
