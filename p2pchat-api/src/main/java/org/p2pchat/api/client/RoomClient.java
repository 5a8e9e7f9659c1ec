package org.p2pchat.api.client;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.Room;
import org.p2pchat.api.RoomHistoryPage;
import org.p2pchat.api.RoomMember;
import org.p2pchat.api.RoomMessage;
import org.p2pchat.api.UserName;

/**
 * The rooms of a logged-in user ({@link ChatClient#rooms()}): group conversations stored once on
 * the server and pushed to every online session of every member. Futures fail as
 * {@link ChatClient}'s do; room errors are {@code NO_SUCH_ROOM} (no such room, or not a member:
 * indistinguishable), {@code NOT_ROOM_OWNER}, {@code ROOM_FULL} and {@code TOO_MANY_ROOMS}.
 * New room messages and read markers arrive through {@link ChatListener#onRoomMessage} and
 * {@link ChatListener#onRoomRead}.
 *
 * <p>Thread-safe.
 */
public interface RoomClient {

  /**
   * Creates a room that this user owns.
   *
   * @param title 1 to {@link org.p2pchat.api.RoomLimits#MAX_TITLE_BYTES} bytes of UTF-8
   * @return the new room
   */
  CompletableFuture<Room> create(String title);

  /**
   * Adds a user to a room this user owns; the user is told by the server with their next room
   * message, and finds the room in {@link #list()}.
   *
   * @param roomId the room
   * @param member who to add
   * @return completes once stored
   */
  CompletableFuture<Void> add(long roomId, UserName member);

  /**
   * Removes a member from a room this user owns. The member stops receiving it at once and
   * loses access to its history on the server.
   *
   * @param roomId the room
   * @param member who to remove
   * @return completes once stored
   */
  CompletableFuture<Void> remove(long roomId, UserName member);

  /**
   * Leaves a room; an owner who leaves hands the room to the member who joined earliest.
   *
   * @param roomId the room
   * @return completes once stored
   */
  CompletableFuture<Void> leave(long roomId);

  /**
   * Renames a room this user owns.
   *
   * @param roomId the room
   * @param title the new title
   * @return completes once stored
   */
  CompletableFuture<Void> rename(long roomId, String title);

  /**
   * The rooms this user belongs to (every page, at most
   * {@link org.p2pchat.api.RoomLimits#MAX_ROOMS_PER_USER}).
   *
   * @return the rooms, in increasing id order
   */
  CompletableFuture<List<Room>> list();

  /**
   * A room's members with their read markers (every page).
   *
   * @param roomId the room
   * @return the members, by name
   */
  CompletableFuture<List<RoomMember>> members(long roomId);

  /**
   * Sends a message to a room. Completes once the server has stored it durably.
   *
   * @param roomId the room
   * @param body the text
   * @return the stored message
   */
  CompletableFuture<RoomMessage> send(long roomId, String body);

  /**
   * Reads a page of a room's history, with the cursors of {@link ChatClient#history}; the
   * query's peer must be empty.
   *
   * @param roomId the room
   * @param query which page
   * @return the page, each message with its read count
   * @throws IllegalArgumentException when the query names a peer
   */
  CompletableFuture<RoomHistoryPage> history(long roomId, HistoryQuery query);

  /**
   * Marks a room read up to a message; the senders of the messages it covers are told.
   *
   * @param roomId the room
   * @param upToMessageId the newest message read
   * @return completes once stored
   */
  CompletableFuture<Void> markRead(long roomId, long upToMessageId);
}
