package org.p2pchat.protocol.server.internal;

import org.p2pchat.api.store.ChatStore;
import org.p2pchat.api.store.ContactStore;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.NameRequestFlyweight;

/** The routes of the contact and block requests (docs/protocol.md section 20). */
final class ContactRoutes {
  private ContactRoutes() {}

  /**
   * Routes the requests to their handlers, and sets up presence pushes (section 21); a store that
   * keeps no contacts gets no routes and no presence.
   *
   * @return the node's presence, or null when the store keeps no contacts
   */
  static Presence install(Dispatcher dispatcher, ChatStore store, org.p2pchat.protocol.internal.EventLoop loop,
      SessionTable sessions, Pushes pushes, org.p2pchat.api.server.PushBus bus, ServerConfig config, PeerLinks links) {
    ContactStore contacts;
    try {
      contacts = store.contacts();
    } catch (UnsupportedOperationException e) {
      return null;
    }
    Presence presence = new Presence(loop, sessions, pushes, contacts, bus, config);
    sessions.observe(presence);
    for (FrameType t : new FrameType[] {FrameType.CONTACT_ADD, FrameType.CONTACT_REMOVE, FrameType.BLOCK, FrameType.UNBLOCK}) {
      dispatcher.route(new NameRequestFlyweight(t), new ContactChangeHandler(contacts, t, presence, links));
    }
    dispatcher
        .route(new NameRequestFlyweight(FrameType.CONTACT_LIST), new ContactListHandler(contacts, presence, false))
        .route(new NameRequestFlyweight(FrameType.BLOCK_LIST), new ContactListHandler(contacts, presence, true))
        .route(new org.p2pchat.protocol.codec.internal.PresenceHideFlyweight(), new PresenceHideHandler(contacts, presence));
    return presence;
  }

  /**
   * The append of a message, unless its recipient blocks its sender: then BLOCKED, and nothing is
   * stored. One read of the store before the write; none for a store that keeps no blocks.
   */
  static <T> java.util.concurrent.CompletableFuture<T> unlessBlocked(ChatStore store, org.p2pchat.api.UserName recipient,
      org.p2pchat.api.UserName sender, java.util.function.Supplier<java.util.concurrent.CompletableFuture<T>> write) {
    ContactStore contacts;
    try {
      contacts = store.contacts();
    } catch (UnsupportedOperationException e) {
      return write.get();
    }
    return contacts.isBlocked(recipient, sender).thenCompose(blocked -> blocked
        ? java.util.concurrent.CompletableFuture.failedFuture(new org.p2pchat.api.ChatException(org.p2pchat.api.ErrorCode.BLOCKED))
        : write.get());
  }
}
