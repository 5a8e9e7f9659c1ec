package org.p2pchat.api.store;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.Room;
import org.p2pchat.api.RoomHistoryPage;
import org.p2pchat.api.RoomMember;
import org.p2pchat.api.RoomMessage;
import org.p2pchat.api.UserName;

/**
 * The storage of rooms: a facet of {@link ChatStore} ({@link ChatStore#rooms()}), under the same
 * contract (asynchronous, durable before a write completes, thread-safe, failures as
 * {@link org.p2pchat.api.ChatException}).
 *
 * <p>Who may do what is the store's to check, inside the write, so that a check and its write
 * never race: only members read or send, only the owner adds others, removes others or renames.
 * A caller who is not a member is told {@code NO_SUCH_ROOM}, exactly as for a room that does not
 * exist. A member who leaves or is removed loses the room's history with the membership (the
 * copies their devices received stay theirs); the owner who leaves hands the room to the member
 * who joined earliest; the last member to leave deletes the room and its messages. The bounds
 * are {@link org.p2pchat.api.RoomLimits}'.
 */
public interface RoomStore {

  /**
   * Creates a room with its owner as the only member.
   *
   * @param owner who creates and owns it
   * @param title 1 to {@link org.p2pchat.api.RoomLimits#MAX_TITLE_BYTES} bytes of UTF-8
   * @param createdAt when
   * @return the room; fails with {@code TOO_MANY_ROOMS} when the owner is in as many rooms as a
   *     user may be, {@code UNKNOWN_RECIPIENT} when the owner does not exist
   */
  CompletableFuture<Room> createRoom(UserName owner, String title, Instant createdAt);

  /**
   * Adds a member; adding a member again changes nothing.
   *
   * @param roomId the room
   * @param actor who adds: the owner
   * @param member who is added
   * @return completes once durable; fails with {@code NO_SUCH_ROOM}, {@code NOT_ROOM_OWNER},
   *     {@code UNKNOWN_RECIPIENT} (no such member), {@code ROOM_FULL} or {@code TOO_MANY_ROOMS}
   *     (the member's rooms)
   */
  CompletableFuture<Void> addMember(long roomId, UserName actor, UserName member);

  /**
   * Removes a member: the owner removes anyone, a member removes themselves (leaves). Removing
   * someone who is not a member changes nothing.
   *
   * @param roomId the room
   * @param actor who removes
   * @param member who is removed
   * @return completes once durable; fails with {@code NO_SUCH_ROOM} or {@code NOT_ROOM_OWNER}
   */
  CompletableFuture<Void> removeMember(long roomId, UserName actor, UserName member);

  /**
   * Renames a room.
   *
   * @param roomId the room
   * @param actor who renames: the owner
   * @param title the new title
   * @return completes once durable; fails with {@code NO_SUCH_ROOM} or {@code NOT_ROOM_OWNER}
   */
  CompletableFuture<Void> rename(long roomId, UserName actor, String title);

  /**
   * The rooms a user belongs to, in increasing id order, from after a cursor.
   *
   * @param member whose rooms
   * @param afterRoomId only rooms with a greater id; 0 for the first page
   * @param limit at most this many, 1 or more
   * @return the rooms
   */
  CompletableFuture<List<Room>> rooms(UserName member, long afterRoomId, int limit);

  /**
   * The members of a room with their read markers, by name.
   *
   * @param roomId the room
   * @param reader who asks: a member
   * @return the members; fails with {@code NO_SUCH_ROOM}
   */
  CompletableFuture<List<RoomMember>> members(long roomId, UserName reader);

  /**
   * Appends a message to a room: one write whatever the room's size.
   *
   * @param roomId the room
   * @param sender who sends: a member
   * @param body the text
   * @param sentAt when the server accepted it
   * @return the stored message and the room's members as of that write; fails with
   *     {@code NO_SUCH_ROOM}
   */
  CompletableFuture<RoomDelivery> appendToRoom(long roomId, UserName sender, String body, Instant sentAt);

  /**
   * One page of a room's history, as {@link ChatStore#history} pages (same cursors). The query's
   * peer must be empty; unread-only means messages from other members above the reader's read
   * marker. Each message carries its read count.
   *
   * @param roomId the room
   * @param reader who reads: a member
   * @param query which page
   * @return the page; fails with {@code NO_SUCH_ROOM}
   */
  CompletableFuture<RoomHistoryPage> roomHistory(long roomId, UserName reader, HistoryQuery query);

  /**
   * Moves a member's read marker forward to {@code upToMessageId} (capped at the room's newest
   * message; a marker never moves back).
   *
   * @param roomId the room
   * @param reader whose marker
   * @param upToMessageId the newest message read
   * @return the senders, other than the reader, of the messages the move newly covers (to be told
   *     of it), by name; fails with {@code NO_SUCH_ROOM}
   */
  CompletableFuture<List<UserName>> markRoomRead(long roomId, UserName reader, long upToMessageId);

  /**
   * A stored room message and whom to push it to.
   *
   * @param message the stored message
   * @param members the room's members when it was stored, the sender included
   */
  record RoomDelivery(RoomMessage message, List<UserName> members) {
    /**
     * Copies the list.
     *
     * @param message the stored message
     * @param members the room's members when it was stored, the sender included
     */
    public RoomDelivery {
      members = List.copyOf(members);
    }
  }
}
