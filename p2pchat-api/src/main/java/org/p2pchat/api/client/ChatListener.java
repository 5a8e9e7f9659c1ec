package org.p2pchat.api.client;

import java.time.Instant;
import java.util.Optional;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.UserName;

/**
 * Hears what the server pushes to a logged-in client. Called on one client thread, one call at
 * a time, never concurrently; a slow listener delays the next call, not the network.
 */
public interface ChatListener {

  /**
   * A message addressed to this user arrived. Each message is reported once, as it arrives: a
   * message whose push was lost and sent again may come after a newer one of the same sender,
   * so a view that keeps a conversation in order places each message by its
   * {@link ChatMessage#id() id}.
   *
   * @param message the message, as stored
   */
  void onMessage(ChatMessage message);

  /**
   * A message this user sent moved to a later state (delivered or read).
   *
   * @param messageId the message's id
   * @param recipient to whom it was sent
   * @param state its new state
   */
  default void onStateChanged(long messageId, UserName recipient, DeliveryState state) {}

  /**
   * A message arrived in a room this user belongs to (sent by another member, or by this user
   * from another device). Each is reported once.
   *
   * @param message the message, as stored (its read count is 0)
   */
  default void onRoomMessage(org.p2pchat.api.RoomMessage message) {}

  /**
   * A member of a room read it up to a message, covering messages this user sent there.
   *
   * @param roomId the room
   * @param reader who read
   * @param upToMessageId the reader's new read marker
   */
  default void onRoomRead(long roomId, UserName reader, long upToMessageId) {}

  /**
   * A mutual contact came online or went offline (docs/protocol.md section 21). Pushed by the
   * server when it changes, coalesced (at most one change per contact per interval, 2 s by
   * default, the latest state), and only between mutual contacts; a contact who hides their
   * presence looks offline. A push can be lost: {@link ContactClient#list()} is the truth.
   *
   * @param contact whose presence changed
   * @param presence {@link org.p2pchat.api.Contact.Presence#ONLINE} or
   *     {@link org.p2pchat.api.Contact.Presence#OFFLINE}
   * @param lastSeen when online: when the server saw the contact come online; when offline:
   *     when it last heard from them; empty when unknown
   */
  default void onPresenceChanged(UserName contact, org.p2pchat.api.Contact.Presence presence,
      Optional<Instant> lastSeen) {}

  /**
   * The session ended without a logout: it expired, or the server stopped answering. The
   * client must log in again to receive pushes.
   *
   * @param cause why, such as {@code NOT_LOGGED_IN} for an expired session or {@code TIMEOUT}
   */
  default void onSessionLost(ChatException cause) {}

  /**
   * The client's connection changed state: it went {@link ConnectionState#ONLINE}, lost its
   * session and is {@link ConnectionState#RECONNECTING} (with the time of its next try), is
   * {@link ConnectionState#OFFLINE}, or its credential was revoked.
   *
   * @param state the new state
   * @param nextAttempt when RECONNECTING, when the client tries next; else empty
   */
  default void onConnectionStateChanged(ConnectionState state, Optional<Instant> nextAttempt) {}

  /**
   * The path to a contact's device changed ({@link PeerClient}): a channel came up, went direct,
   * fell back to the relay when the direct path died, or closed.
   *
   * @param contact the contact
   * @param deviceId the contact's device (0 for a device that logged in with the password only)
   * @param path the path now
   */
  default void onPeerPathChanged(UserName contact, long deviceId, PeerPath path) {}

  /**
   * The server vouched for a key of a contact's device other than the one this client saw for
   * that device before: the contact reinstalled, or someone (the server among them) stands in
   * between. Shown as SSH shows a changed host key; the channel goes on with the new key, as the
   * server vouches for it, and the new key is remembered.
   *
   * @param contact the contact
   * @param deviceId the device
   * @param oldFingerprint the key seen before ({@code SHA256:} and base64, as OpenSSH prints keys)
   * @param newFingerprint the key now
   */
  default void onPeerKeyChanged(UserName contact, long deviceId, String oldFingerprint, String newFingerprint) {}

  /**
   * A contact's device offers a file. Answer now or later with {@link IncomingFile#accept} or
   * {@link IncomingFile#refuse}; by default the offer is refused, so that an application that
   * takes no files never receives one.
   *
   * @param file the offer
   */
  default void onFileOffered(IncomingFile file) {
    file.refuse();
  }

  /**
   * A file moved on: bytes acknowledged by the contact (sending) or received in order
   * (receiving). Reported at most once per 1% of the file or 100 ms.
   *
   * @param transfer the file
   * @param doneBytes how many of its bytes are across
   */
  default void onFileProgress(FileTransfer transfer, long doneBytes) {}

  /**
   * A file arrived whole and matched the SHA-256 its sender offered.
   *
   * @param transfer the file
   * @param file where it is now
   * @param sha256 its SHA-256, hex
   */
  default void onFileReceived(FileTransfer transfer, java.nio.file.Path file, String sha256) {}

  /**
   * A file coming in did not arrive: cancelled, refused, or its bytes did not match their hash
   * (then the partial file is deleted).
   *
   * @param transfer the file
   * @param reason why, in words
   */
  default void onFileFailed(FileTransfer transfer, String reason) {}
}
