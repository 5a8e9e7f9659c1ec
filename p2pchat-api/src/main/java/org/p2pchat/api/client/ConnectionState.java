package org.p2pchat.api.client;

/**
 * How a client stands with its server, as {@link ChatListener#onConnectionStateChanged} reports
 * it and {@link ChatClient#connectionState()} tells.
 */
public enum ConnectionState {
  /** Logged in and the server answers: sends go out at once. */
  ONLINE,
  /**
   * The session was lost (the server restarted or stopped answering, the network changed) and
   * the client is resuming it with its device credential, by itself, with backoff between tries;
   * sends wait in the outbox meanwhile.
   */
  RECONNECTING,
  /** No session and nothing to resume it with: log in. */
  OFFLINE,
  /** The device credential was revoked (or is unknown to the server): log in with the password. */
  CREDENTIAL_REVOKED
}
