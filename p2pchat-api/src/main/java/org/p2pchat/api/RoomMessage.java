package org.p2pchat.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A message sent to a room, stored once for all its members. Room message ids are assigned by
 * the store, increase in the order messages were stored and are unique across all rooms of a
 * server (a sequence of their own, apart from the ids of one-to-one messages).
 *
 * @param roomId the room
 * @param id the message's id, greater than 0
 * @param sender who sent it
 * @param body the text, 1 to {@link ProtocolLimits#MAX_BODY_BYTES} bytes of UTF-8
 * @param sentAt when the server stored it, at millisecond precision
 * @param readCount how many members other than the sender have read it (their read marker is at
 *     or past it), when the message was read from the store; 0 in a push
 */
public record RoomMessage(long roomId, long id, UserName sender, String body, Instant sentAt, int readCount) {
  /**
   * Checks the values.
   *
   * @param roomId the room
   * @param id the message's id, greater than 0
   * @param sender who sent it
   * @param body the text
   * @param sentAt when the server stored it, at millisecond precision
   * @param readCount how many members other than the sender have read it
   * @throws IllegalArgumentException for ids below 1, a body out of bounds, a negative count
   */
  public RoomMessage {
    if (roomId <= 0 || id <= 0) {
      throw new IllegalArgumentException("room and message ids must be > 0: " + roomId + ", " + id);
    }
    Objects.requireNonNull(sender, "sender");
    ChatMessage.checkBody(body, ProtocolLimits.MAX_BODY_BYTES); // rooms keep one text field
    Objects.requireNonNull(sentAt, "sentAt");
    if (readCount < 0) {
      throw new IllegalArgumentException("read count must be >= 0: " + readCount);
    }
  }
}
