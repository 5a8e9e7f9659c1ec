package org.p2pchat.api;

import java.util.Optional;

/**
 * The stable error codes of p2pchat. The numeric {@link #code()} travels on the wire in an
 * ERROR frame (see {@code docs/protocol.md}) and never changes meaning; new codes may be added
 * in later versions, so a client must treat an unknown code like {@link #INTERNAL}.
 *
 * <p>Codes of 1000 and above are local to the client SDK and never sent on the wire.
 */
public enum ErrorCode {
  /** The datagram is not a well-formed frame of a version the receiver speaks. */
  MALFORMED_FRAME(1, "the request was malformed"),
  /** The frame's protocol version is not spoken by the server. */
  UNSUPPORTED_VERSION(2, "the server does not speak this protocol version"),
  /** Registration chose a user name that already exists (names are case-insensitive). */
  NAME_TAKEN(3, "that user name is taken"),
  /** Login failed: unknown user or wrong password; the two are deliberately indistinguishable. */
  INVALID_CREDENTIALS(4, "wrong user name or password"),
  /** The request needs a session and there is none: never logged in, logged out or expired. */
  NOT_LOGGED_IN(5, "you are not logged in (or your session expired)"),
  /** A message was addressed to a user that does not exist. */
  UNKNOWN_RECIPIENT(6, "there is no user of that name"),
  /**
   * A message body is longer than its limit: {@link ProtocolLimits#MAX_LONG_BODY_BYTES} for a
   * one-to-one message, {@link ProtocolLimits#MAX_BODY_BYTES} for one text field (a room message).
   */
  BODY_TOO_LONG(7, "that message is too long"),
  /** Too many attempts; the error carries when to retry. */
  RATE_LIMITED(8, "too many attempts, try again later"),
  /** The server is overloaded and shed the request; retry later. */
  SERVER_BUSY(9, "the server is busy, try again later"),
  /** The server failed in a way that is not the caller's fault. */
  INTERNAL(10, "the server had an internal error"),
  /** A user name outside the alphabet or length of {@link UserName}. */
  INVALID_USER_NAME(11, "that user name is not allowed (3-32 letters, digits, '_' or '-', starting with a letter)"),
  /** A password outside the accepted length (registration needs 8 to 128 bytes of UTF-8). */
  INVALID_PASSWORD(12, "that password is not allowed (8 to 128 characters)"),
  /** A device credential is unknown, revoked or wrong: log in with the password again. */
  CREDENTIAL_REVOKED(13, "this device was signed out; log in again"),
  /** A device that the user does not have was named. */
  UNKNOWN_DEVICE(14, "there is no such device"),
  /**
   * Login refused: the password matched, but an operator disabled the account (operations,
   * codes 50-59).
   */
  ACCOUNT_DISABLED(50, "this account is disabled; ask the server's operator"),
  /** No such room, or the caller is not a member of it (deliberately indistinguishable). */
  NO_SUCH_ROOM(20, "there is no such room, or you are not a member of it"),
  /** Only the room's owner may do that (add or remove others, rename). */
  NOT_ROOM_OWNER(21, "only the room's owner may do that"),
  /** The room holds {@link RoomLimits#MAX_MEMBERS} members already. */
  ROOM_FULL(22, "the room is full"),
  /** The user belongs to {@link RoomLimits#MAX_ROOMS_PER_USER} rooms already. */
  TOO_MANY_ROOMS(23, "too many rooms"),
  /** The recipient blocks the sender: the message or invitation was refused and not stored. */
  BLOCKED(24, "that user does not accept messages from you"),
  /** The contact list holds {@link ContactLimits#MAX_CONTACTS} users already. */
  TOO_MANY_CONTACTS(25, "too many contacts"),
  /** The block list holds {@link ContactLimits#MAX_BLOCKS} users already. */
  TOO_MANY_BLOCKS(26, "too many blocked users"),
  /**
   * A part of a long message does not fit it: a part that disagrees with the earlier parts of its
   * send, a whole that is not well-formed UTF-8, or a part asked for that does not exist.
   */
  BAD_PART(30, "a part of that long message is wrong or missing"),
  /** The server holds as many unfinished long messages as it allows; retry later. */
  TOO_MANY_PARTIAL_SENDS(31, "too many long messages are being sent at once, try again later"),
  /**
   * No introduction (docs/protocol.md section 25): the user is not a mutual contact, hides their
   * presence, or has no device online here (deliberately indistinguishable), or the link named
   * is not the caller's.
   */
  PEER_UNAVAILABLE(32, "that user cannot be reached directly now"),
  /** Client only: no answer arrived within the retry policy. */
  TIMEOUT(1000, "the server did not answer"),
  /** Client only: the client was closed before the operation completed. */
  CLOSED(1001, "the client is closed"),
  /** Client only: an argument of the call was not valid (null, out of range); nothing was sent. */
  INVALID_REQUEST(1002, "that request is not valid"),
  /** Client only: the queue of messages waiting for the connection to come back is full. */
  OUTBOX_FULL(1003, "too many messages are waiting to be sent"),
  /**
   * Client only: a file was not delivered ({@link org.p2pchat.api.client.PeerClient#sendFile}):
   * refused, too large for the contact, or broken off; the exception's message says which.
   */
  FILE_NOT_DELIVERED(1004, "the file was not delivered");

  private static final ErrorCode[] BY_WIRE_CODE = new ErrorCode[100];

  static {
    for (ErrorCode c : values()) {
      if (c.code < BY_WIRE_CODE.length) {
        BY_WIRE_CODE[c.code] = c;
      }
    }
  }

  private final int code;
  private final String sentence;

  ErrorCode(int code, String sentence) {
    this.code = code;
    this.sentence = sentence;
  }

  /**
   * {@return the stable numeric code} 1 to 999 may appear on the wire, 1000 and above are
   * client-local.
   */
  public int code() {
    return code;
  }

  /** {@return a plain sentence for people, such as {@code "that user name is taken"}} */
  public String sentence() {
    return sentence;
  }

  /** {@return whether this code can appear in an ERROR frame on the wire} */
  public boolean isWireCode() {
    return code < 1000;
  }

  /**
   * The error code with the given numeric value.
   *
   * @param code the numeric value, from the wire or from {@link #code()}
   * @return the code, or empty for a number this version does not know
   */
  public static Optional<ErrorCode> of(int code) {
    if (code >= 0 && code < BY_WIRE_CODE.length && BY_WIRE_CODE[code] != null) {
      return Optional.of(BY_WIRE_CODE[code]);
    }
    for (ErrorCode c : values()) {
      if (c.code == code) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
