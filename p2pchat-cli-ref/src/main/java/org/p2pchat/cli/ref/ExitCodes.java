package org.p2pchat.cli.ref;

import org.p2pchat.api.ErrorCode;

/** What the CLI's exit status means; listed in {@code --help} for scripts. */
public final class ExitCodes {
  /** Done. */
  public static final int OK = 0;
  /** A failure of the CLI itself (a bug). */
  public static final int UNEXPECTED = 1;
  /** A bad option or value, or no password available. */
  public static final int USAGE = 2;
  /** The server did not answer (down, wrong address, or the network). */
  public static final int UNREACHABLE = 3;
  /** Wrong user name or password, or the session ended. */
  public static final int LOGIN_FAILED = 4;
  /** The server refused the request: name taken, unknown recipient, too long, not allowed. */
  public static final int REFUSED = 5;
  /** The server asked to try again later (rate limited or busy). */
  public static final int TRY_LATER = 6;
  /** The server failed or speaks another protocol version. */
  public static final int SERVER_ERROR = 7;
  /** The server offered a key other than the one remembered or pinned for it: refused. */
  public static final int KEY_CHANGED = 8;

  /** The lines of {@code --help}'s exit code list. */
  static final String[] HELP = {
    "0:done",
    "1:the CLI failed unexpectedly",
    "2:bad option or value, or no password available",
    "3:the server did not answer",
    "4:wrong user name or password, or the session ended",
    "5:refused: name taken, no such user, message too long, name or password not allowed",
    "6:try again later: rate limited or server busy",
    "7:the server failed or speaks another protocol version",
    "8:the server's key is not the one remembered for it (a man in the middle?): refused"
  };

  private ExitCodes() {}

  /** The exit status for a failure with {@code code}. */
  public static int of(ErrorCode code) {
    switch (code) {
      case TIMEOUT:
        return UNREACHABLE;
      case INVALID_CREDENTIALS:
      case ACCOUNT_DISABLED:
      case NOT_LOGGED_IN:
      case CREDENTIAL_REVOKED:
        return LOGIN_FAILED;
      case INVALID_REQUEST:
        return USAGE;
      case OUTBOX_FULL:
        return TRY_LATER;
      case NAME_TAKEN:
      case UNKNOWN_RECIPIENT:
      case BODY_TOO_LONG:
      case INVALID_USER_NAME:
      case INVALID_PASSWORD:
      case UNKNOWN_DEVICE:
      case NO_SUCH_ROOM:
      case NOT_ROOM_OWNER:
      case ROOM_FULL:
      case TOO_MANY_ROOMS:
      case BLOCKED:
      case TOO_MANY_CONTACTS:
      case TOO_MANY_BLOCKS:
        return REFUSED;
      case RATE_LIMITED:
      case SERVER_BUSY:
        return TRY_LATER;
      default:
        return SERVER_ERROR;
    }
  }
}
