package org.p2pchat.api.server;

import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.UserName;

/**
 * How the server nodes of a cluster tell each other what to push. A node pushes to the sessions
 * it holds itself; after it stored a message (or a message changed state) it also publishes the
 * event here, and every other node that holds a session of the user concerned reads the message
 * from the shared store and pushes it to that session. Events carry ids, never message bodies:
 * history in the store stays the source of truth, and a lost event only delays a push until the
 * client next reads its history.
 *
 * <p>A server alone uses {@link #NONE}. A bus on a database (PostgreSQL's {@code LISTEN/NOTIFY})
 * or a broker implements it for a cluster. Implementations are thread-safe; publishing never
 * blocks the caller (it is called on the server's event loop), and an event that cannot be
 * published (the bus is down, its queue is full) is dropped.
 */
public interface PushBus extends AutoCloseable {

  /** The bus of a server that is alone: publishes nowhere and hears nothing. */
  PushBus NONE = new PushBus() {
    @Override
    public void messageStored(long messageId, UserName recipient) {}

    @Override
    public void stateChanged(long messageId, UserName sender, DeliveryState state) {}

    @Override
    public void listen(Listener listener) {}

    @Override
    public void close() {}

    @Override
    public String toString() {
      return "PushBus.NONE";
    }
  };

  /**
   * Tells the other nodes that a message to {@code recipient} was stored (committed). Returns at
   * once.
   *
   * @param messageId the stored message's id
   * @param recipient its recipient, whose sessions on other nodes should be pushed the message
   */
  void messageStored(long messageId, UserName recipient);

  /**
   * Tells the other nodes that a message of {@code sender} reached {@code state}. Returns at once.
   *
   * @param messageId the message's id
   * @param sender its sender, whose sessions on other nodes should be told
   * @param state the state it reached (committed)
   */
  void stateChanged(long messageId, UserName sender, DeliveryState state);

  // ---------------------------------------------------------------- presence (docs/protocol.md section 21)
  // Default methods, so that a bus written before them still compiles; such a bus carries no
  // presence, and each node then knows only the presence of the sessions it holds.

  /**
   * Tells the other nodes that {@code user}'s presence, as their mutual contacts may see it,
   * changed on this node: their first session here came up ({@code online}), or their last
   * session here went away, or they hid or showed their presence. Carries what contacts may see
   * (a hidden user is published offline), never who the contacts are: each node reads those from
   * the shared store. Returns at once; by default publishes nothing.
   *
   * @param user whose presence changed
   * @param online whether the user has a session on the publishing node (false while hidden)
   * @param lastSeenMillis when the user was last seen, ms since the epoch; 0 when unknown
   */
  default void presenceChanged(UserName user, boolean online, long lastSeenMillis) {}

  /**
   * Tells the other nodes that {@code user} deleted their account (docs/protocol.md section 22):
   * they end the user's sessions they hold. Returns at once. By default nothing is published (a
   * bus written before account deletion): those sessions then end only when they expire.
   *
   * @param user the deleted account
   */
  default void accountDeleted(UserName user) {}

  // ---------------------------------------------------------------- rooms (docs/protocol.md section 19)

  /**
   * Tells the other nodes that {@code sender} stored a message in room {@code roomId}: each node
   * reads the room's members and the message from the shared store and pushes it to the
   * members' sessions it holds. Returns at once. By default nothing is published (a bus written
   * before rooms crossed nodes): members on other nodes then find the message in the room's
   * history.
   *
   * @param roomId the room
   * @param messageId the stored message's id
   * @param sender who sent it (a member when it was stored)
   */
  default void roomMessageStored(long roomId, long messageId, UserName sender) {}

  /**
   * Delivers the other nodes' events to {@code listener} from now on, on a thread of the bus, one
   * event at a time. Called once, by the server that uses the bus. Events this node published are
   * not delivered back to it.
   *
   * @param listener what to call for each event
   */
  void listen(Listener listener);

  /** Stops publishing and listening, and frees what the bus holds. Idempotent. */
  @Override
  void close();

  /** What a server does with another node's events. Called on the bus's thread; must not block. */
  interface Listener {
    /**
     * Another node stored a message to {@code recipient}.
     *
     * @param messageId the message's id
     * @param recipient its recipient
     */
    void onMessageStored(long messageId, UserName recipient);

    /**
     * A message of {@code sender} reached {@code state} on another node.
     *
     * @param messageId the message's id
     * @param sender its sender
     * @param state the state it reached
     */
    void onStateChanged(long messageId, UserName sender, DeliveryState state);

    /**
     * Events may have been missed (the bus lost its connection and has it again): sessions that
     * were online meanwhile should be pushed what they missed. By default nothing is done; the
     * clients find it in history.
     */
    default void onGap() {}

    /**
     * A user's presence changed on another node ({@link PushBus#presenceChanged}). By default
     * nothing is done: the node's contacts see only the presence of the sessions it holds.
     *
     * @param user whose presence changed
     * @param online whether the user has a session on that node (false while hidden)
     * @param lastSeenMillis when the user was last seen, ms since the epoch; 0 when unknown
     */
    default void onPresenceChanged(UserName user, boolean online, long lastSeenMillis) {}

    /**
     * {@code user} deleted their account on another node: end their sessions here. By default
     * nothing is done.
     *
     * @param user the deleted account
     */
    default void onAccountDeleted(UserName user) {}

    /**
     * {@code sender} stored a message in room {@code roomId} on another node
     * ({@link PushBus#roomMessageStored}). By default nothing is done: the members find it in
     * the room's history.
     *
     * @param roomId the room
     * @param messageId the message's id
     * @param sender who sent it
     */
    default void onRoomMessageStored(long roomId, long messageId, UserName sender) {}
  }
}
