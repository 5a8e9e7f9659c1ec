package org.p2pchat.protocol.client.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.p2pchat.api.Contact;
import org.p2pchat.api.ContactLimits;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ContactClient;
import org.p2pchat.protocol.codec.internal.ContactListOkFlyweight;
import org.p2pchat.protocol.codec.internal.EmptyOkFlyweight;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.NameRequestFlyweight;

/**
 * The contact and block requests of a {@link ClientEngine} (docs/protocol.md section 20), as
 * {@link RoomCalls}: encoded and read on the client's loop. Thread-safe (through the engine).
 */
final class ContactCalls implements ContactClient {
  private final RoomCalls.Sender sender;
  private final ClientSession session;
  private final NameRequestFlyweight add = new NameRequestFlyweight(FrameType.CONTACT_ADD);
  private final NameRequestFlyweight remove = new NameRequestFlyweight(FrameType.CONTACT_REMOVE);
  private final NameRequestFlyweight list = new NameRequestFlyweight(FrameType.CONTACT_LIST);
  private final NameRequestFlyweight block = new NameRequestFlyweight(FrameType.BLOCK);
  private final NameRequestFlyweight unblock = new NameRequestFlyweight(FrameType.UNBLOCK);
  private final NameRequestFlyweight blockList = new NameRequestFlyweight(FrameType.BLOCK_LIST);
  private final org.p2pchat.protocol.codec.internal.PresenceHideFlyweight hide =
      new org.p2pchat.protocol.codec.internal.PresenceHideFlyweight();
  private final EmptyOkFlyweight emptyOk = new EmptyOkFlyweight();
  private final ContactListOkFlyweight contactsOk = ContactListOkFlyweight.contacts();
  private final ContactListOkFlyweight blocksOk = ContactListOkFlyweight.blocks();
  private final Requests.AnswerReader<Void> emptyAnswer = frame -> {
    emptyOk.wrap(frame);
    return null;
  };

  /** Told (on any thread) when this user removed or blocked someone: their links end. */
  private final java.util.function.Consumer<UserName> parted;

  ContactCalls(RoomCalls.Sender sender, ClientSession session, java.util.function.Consumer<UserName> parted) {
    this.sender = sender;
    this.session = session;
    this.parted = parted;
  }

  private CompletableFuture<Void> change(FrameType type, NameRequestFlyweight f, UserName user) {
    return sender.request(type, (out, id) -> f.encode(out, id).token(session.tokenHi(), session.tokenLo())
        .name(user.value()).finish(), emptyAnswer);
  }

  @Override
  public CompletableFuture<Void> add(UserName contact) {
    return change(FrameType.CONTACT_ADD, add, contact);
  }

  @Override
  public CompletableFuture<Void> remove(UserName contact) {
    return change(FrameType.CONTACT_REMOVE, remove, contact).thenRun(() -> parted.accept(contact));
  }

  @Override
  public CompletableFuture<Void> block(UserName user) {
    return change(FrameType.BLOCK, block, user).thenRun(() -> parted.accept(user));
  }

  @Override
  public CompletableFuture<Void> unblock(UserName user) {
    return change(FrameType.UNBLOCK, unblock, user);
  }

  @Override
  public CompletableFuture<Void> hidePresence(boolean hidden) {
    return sender.request(FrameType.PRESENCE_HIDE, (out, id) -> hide.encode(out, id)
        .token(session.tokenHi(), session.tokenLo()).hidden(hidden).finish(), emptyAnswer);
  }

  @Override
  public CompletableFuture<List<Contact>> list() {
    return pages(FrameType.CONTACT_LIST, list, contactsOk, null, new ArrayList<>());
  }

  @Override
  public CompletableFuture<List<UserName>> blocked() {
    return pages(FrameType.BLOCK_LIST, blockList, blocksOk, null, new ArrayList<>())
        .thenApply(all -> all.stream().map(Contact::name).toList());
  }

  private CompletableFuture<List<Contact>> pages(FrameType type, NameRequestFlyweight request,
      ContactListOkFlyweight answer, String cursor, List<Contact> into) {
    CompletableFuture<String> page = sender.request(type, (out, id) -> request.encode(out, id)
        .token(session.tokenHi(), session.tokenLo()).name(cursor).finish(),
        frame -> {
          answer.wrap(frame);
          for (int i = 0; i < answer.count(); i++) {
            into.add(answer.contact(i));
          }
          String next = answer.nextCursor();
          return next == null ? "" : next;
        });
    // Bounded: a list holds at most 256 users.
    return page.thenCompose(next -> next.isEmpty() || into.size() > ContactLimits.MAX_CONTACTS
        ? CompletableFuture.completedFuture(List.copyOf(into)) : pages(type, request, answer, next, into));
  }
}
