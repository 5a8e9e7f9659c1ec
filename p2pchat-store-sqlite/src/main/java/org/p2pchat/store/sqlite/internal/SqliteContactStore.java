package org.p2pchat.store.sqlite.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.ContactStore;

/**
 * The contact and block lists of a SQLite store, as {@link SqliteRoomStore}. The names each user
 * blocks are remembered ({@link BlockedNames}) so that the check before a send rarely needs a
 * reader thread; that is sound because this store writes every block of its database (a SQLite
 * database has one server). Thread-safe.
 */
public final class SqliteContactStore implements ContactStore {
  /** How many users' block lists are remembered at most. */
  private static final int MAX_REMEMBERED_BLOCKERS = 100_000;
  private final GroupCommitWriter writer;
  private final ReaderPool readers;
  private final BooleanSupplier closed;
  private final BlockedNames blockedNames = new BlockedNames(MAX_REMEMBERED_BLOCKERS);

  /** The lists of the store whose writer, readers and closed flag these are. */
  public SqliteContactStore(GroupCommitWriter writer, ReaderPool readers, BooleanSupplier closed) {
    this.writer = writer;
    this.readers = readers;
    this.closed = closed;
  }

  @Override
  public CompletableFuture<Void> addContact(UserName owner, UserName contact) {
    return write(h -> {
      ContactSql.add(h, "contacts", owner, contact);
      return null;
    });
  }

  @Override
  public CompletableFuture<Void> removeContact(UserName owner, UserName contact) {
    return write(h -> {
      ContactSql.remove(h, "contacts", owner, contact);
      return null;
    });
  }

  @Override
  public CompletableFuture<List<StoredContact>> contacts(UserName owner) {
    return read(h -> ContactSql.contacts(h, owner));
  }

  @Override
  public CompletableFuture<Void> block(UserName owner, UserName blocked) {
    CompletableFuture<Void> written = write(h -> {
      ContactSql.add(h, "blocks", owner, blocked);
      return null;
    });
    // Forgotten before the caller hears of the block, so no later send passes on a stale set.
    return written.whenComplete((v, failure) -> blockedNames.changed(owner));
  }

  @Override
  public CompletableFuture<Void> unblock(UserName owner, UserName blocked) {
    CompletableFuture<Void> written = write(h -> {
      ContactSql.remove(h, "blocks", owner, blocked);
      return null;
    });
    // Not needed for soundness (a name in the set is checked in the database), but it keeps the
    // unblocked user's sends on the fast path.
    return written.whenComplete((v, failure) -> blockedNames.changed(owner));
  }

  @Override
  public CompletableFuture<List<UserName>> blocked(UserName owner) {
    return read(h -> ContactSql.blocked(h, owner));
  }

  @Override
  public CompletableFuture<Boolean> isBlocked(UserName owner, UserName other) {
    if (!closed.getAsBoolean() && blockedNames.surelyNotBlocked(owner, other)) {
      return CompletableFuture.completedFuture(Boolean.FALSE); // the common case, on the caller's thread
    }
    return onReader(r -> {
      long changesBefore = blockedNames.changes();
      List<UserName> names = ContactSql.blocked(r.handle(), owner);
      blockedNames.loaded(owner, names, changesBefore);
      // A name in the set may be a deleted account, or its name taken again: the database decides.
      return names.stream().anyMatch(n -> n.value().equalsIgnoreCase(other.value())) && r.isBlocked(owner, other);
    });
  }

  @Override
  public CompletableFuture<Void> hidePresence(UserName user, boolean hidden) {
    return write(h -> {
      ContactSql.hidePresence(h, user, hidden);
      return null;
    });
  }

  @Override
  public CompletableFuture<Boolean> presenceHidden(UserName user) {
    return read(h -> ContactSql.presenceHidden(h, user));
  }

  @Override
  public CompletableFuture<java.util.Set<UserName>> contactsHidingPresence(UserName owner) {
    return read(h -> ContactSql.contactsHidingPresence(h, owner));
  }

  private <T> CompletableFuture<T> write(Function<Handle, T> work) {
    if (closed.getAsBoolean()) {
      return CompletableFuture.failedFuture(new ChatException(ErrorCode.CLOSED, "the store is closed"));
    }
    return writer.submit(new WriteTask<T>() {
      @Override
      T apply(WriterSession session) {
        return work.apply(session.handle());
      }
    });
  }

  private <T> CompletableFuture<T> read(Function<Handle, T> work) {
    return onReader(r -> work.apply(r.handle()));
  }

  private <T> CompletableFuture<T> onReader(Function<Reads, T> work) {
    if (closed.getAsBoolean()) {
      return CompletableFuture.failedFuture(new ChatException(ErrorCode.CLOSED, "the store is closed"));
    }
    return readers.submit(work);
  }
}
