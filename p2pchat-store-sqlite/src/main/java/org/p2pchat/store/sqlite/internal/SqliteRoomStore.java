package org.p2pchat.store.sqlite.internal;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.Room;
import org.p2pchat.api.RoomHistoryPage;
import org.p2pchat.api.RoomLimits;
import org.p2pchat.api.RoomMember;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.RoomStore;

/**
 * The rooms of a SQLite store: writes through its group-commit writer (a room message is one
 * row in the batch's transaction), reads on its reader connections. Thread-safe.
 */
public final class SqliteRoomStore implements RoomStore {
  private final GroupCommitWriter writer;
  private final ReaderPool readers;
  private final BooleanSupplier closed;

  /** The rooms of the store whose writer, readers and closed flag these are. */
  public SqliteRoomStore(GroupCommitWriter writer, ReaderPool readers, BooleanSupplier closed) {
    this.writer = writer;
    this.readers = readers;
    this.closed = closed;
  }

  @Override
  public CompletableFuture<Room> createRoom(UserName owner, String title, Instant createdAt) {
    Objects.requireNonNull(owner, "owner");
    RoomLimits.checkTitle(title);
    return write(h -> RoomSql.create(h, owner, title, createdAt));
  }

  @Override
  public CompletableFuture<Void> addMember(long roomId, UserName actor, UserName member) {
    return write(h -> {
      RoomSql.add(h, roomId, actor, member);
      return null;
    });
  }

  @Override
  public CompletableFuture<Void> removeMember(long roomId, UserName actor, UserName member) {
    return write(h -> {
      RoomSql.remove(h, roomId, actor, member);
      return null;
    });
  }

  @Override
  public CompletableFuture<Void> rename(long roomId, UserName actor, String title) {
    RoomLimits.checkTitle(title);
    return write(h -> {
      RoomSql.rename(h, roomId, actor, title);
      return null;
    });
  }

  @Override
  public CompletableFuture<List<Room>> rooms(UserName member, long afterRoomId, int limit) {
    return read(h -> RoomSql.rooms(h, member, afterRoomId, limit));
  }

  @Override
  public CompletableFuture<List<RoomMember>> members(long roomId, UserName reader) {
    return read(h -> RoomSql.members(h, roomId, reader));
  }

  @Override
  public CompletableFuture<RoomDelivery> appendToRoom(long roomId, UserName sender, String body, Instant sentAt) {
    return write(h -> RoomSql.append(h, roomId, sender, body, sentAt));
  }

  @Override
  public CompletableFuture<RoomHistoryPage> roomHistory(long roomId, UserName reader, HistoryQuery query) {
    if (query.peer().isPresent()) {
      throw new IllegalArgumentException("a room history query names no peer");
    }
    return read(h -> RoomSql.history(h, roomId, reader, query));
  }

  @Override
  public CompletableFuture<List<UserName>> markRoomRead(long roomId, UserName reader, long upToMessageId) {
    return write(h -> RoomSql.markRead(h, roomId, reader, upToMessageId));
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
    if (closed.getAsBoolean()) {
      return CompletableFuture.failedFuture(new ChatException(ErrorCode.CLOSED, "the store is closed"));
    }
    return readers.submit(r -> work.apply(r.handle()));
  }
}
