package org.p2pchat.protocol.server.internal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.p2pchat.api.Contact;
import org.p2pchat.api.store.ContactStore;
import org.p2pchat.api.store.ContactStore.StoredContact;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.codec.internal.ContactListOkFlyweight;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.NameRequestFlyweight;

/**
 * CONTACT_LIST and BLOCK_LIST: a page of a list after the cursor. Contacts carry presence only
 * when mutual (docs/protocol.md section 20), read from the session table on the loop: online when
 * a session was heard from within the online window, last seen the latest time any was heard.
 */
final class ContactListHandler implements RequestHandler<NameRequestFlyweight> {
  private final ContactStore contacts;
  private final SessionTable sessions;
  private final long onlineWindowMillis;
  private final boolean blocks;
  private final ContactListOkFlyweight listOk;

  /** @param blocks true for BLOCK_LIST, false for CONTACT_LIST */
  ContactListHandler(ContactStore contacts, SessionTable sessions, ServerConfig config, boolean blocks) {
    this.contacts = contacts;
    this.sessions = sessions;
    this.onlineWindowMillis = config.onlineWindow().toMillis();
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
      x.completeLater(contacts.contacts(session.user),
          (ex, list) -> answer(ex, list.stream().map(c -> presence(c, ex.now())).toList(), cursor));
    }
  }

  /** What the list's owner may see of a contact, now (on the loop). */
  private Contact presence(StoredContact c, long now) {
    if (!c.mutual()) {
      return new Contact(c.name(), Contact.Presence.UNKNOWN, Optional.empty());
    }
    long lastHeard = 0;
    for (Session s : sessions.online(c.name(), now, Long.MAX_VALUE)) { // every live session
      lastHeard = Math.max(lastHeard, s.lastHeardMillis);
    }
    boolean online = lastHeard > 0 && now - lastHeard <= onlineWindowMillis;
    return new Contact(c.name(), online ? Contact.Presence.ONLINE : Contact.Presence.OFFLINE,
        lastHeard == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(lastHeard)));
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
