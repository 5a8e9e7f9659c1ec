package org.p2pchat.api.client;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.p2pchat.api.UserName;

/**
 * Channels between this device and the online devices of a mutual contact
 * ({@link ChatClient#peers()}, docs/protocol.md section 25). The server introduces the two
 * devices and vouches for their keys; they try to reach each other directly (both probe at
 * once, which opens most home NATs) and otherwise talk through the server's relay. Either way
 * the channel is end to end encrypted and authenticated by both devices' keys.
 *
 * <p>While a channel is up, the messages this user sends to the contact also travel over it,
 * after the server stored them (so history stays complete on the server for every device):
 * the contact sees them as soon as either copy arrives, once.
 *
 * <p>Privacy: a client built with direct connections off never sends its addresses to anyone
 * nor answers from them, and uses the relay only. Thread-safe.
 */
public interface PeerClient {

  /**
   * Asks the server to introduce this device to the contact's online devices and opens a
   * channel to them.
   *
   * @param contact a mutual contact (each has the other in their contact list)
   * @return completes with the path of the first channel up: {@link PeerPath#DIRECT} as soon as a
   *     direct path works, {@link PeerPath#RELAYED} when none does within a few seconds; fails
   *     with {@code PEER_UNAVAILABLE} when the contact is not mutual, hides their presence or has
   *     no device online, or with {@code TIMEOUT} when no device answered
   */
  CompletableFuture<PeerPath> connect(UserName contact);

  /**
   * {@return the best path to the contact's devices now: DIRECT when one channel is direct,
   * RELAYED when channels are up but none is direct, empty when there is none}
   *
   * @param contact whom
   */
  Optional<PeerPath> path(UserName contact);

  /**
   * Sends a file to one online device of the contact: directly when a direct path exists, else
   * through the server's relay (whose bandwidth the server bounds). Chunked and flow-controlled
   * (no more in flight than the path carries), checked end to end with SHA-256, resumed where it
   * stopped after a break; progress is reported by {@link ChatListener#onFileProgress}. The
   * server stores no file: a contact with no device online gets none (the call fails at once
   * with {@code PEER_UNAVAILABLE}), and should send again once they are back.
   *
   * @param contact a mutual contact
   * @param file a regular, readable file
   * @return completes with the file's SHA-256 (hex) once the contact's device received it whole
   *     and checked it; fails with {@code PEER_UNAVAILABLE}, {@code TIMEOUT}, or
   *     {@code FILE_NOT_DELIVERED} (refused, too large, broken off) with the reason
   */
  default CompletableFuture<String> sendFile(UserName contact, java.nio.file.Path file) {
    return CompletableFuture.failedFuture(new org.p2pchat.api.ChatException(
        org.p2pchat.api.ErrorCode.INVALID_REQUEST, "this client sends no files"));
  }
}
