package org.p2pchat.protocol.peer.internal;

/**
 * Why a transfer ended without success, with the stable u8 code it has in REFUSE, DONE and
 * CANCEL payloads. A code this version does not know decodes as {@link #UNKNOWN}.
 */
public enum TransferError {
  /** The receiving user said no. */
  REFUSED(1, "the other side refused the file"),
  /** The file is larger than the receiver takes. */
  TOO_LARGE(2, "the file is too large"),
  /** The receiver already has as many transfers from this peer as it takes at once. */
  TOO_MANY(3, "too many transfers at once, try again later"),
  /** The offered name is empty, not UTF-8, or nothing is left of it once sanitised. */
  BAD_NAME(4, "the file name is not usable"),
  /** The bytes received do not have the SHA-256 the offer announced. */
  HASH_MISMATCH(5, "the file arrived damaged (SHA-256 mismatch)"),
  /** A file could not be read or written. */
  IO_ERROR(6, "the file could not be read or written"),
  /** One side cancelled the transfer. */
  CANCELLED(7, "the transfer was cancelled"),
  /** The offer was not answered in time. */
  NOT_ANSWERED(8, "the offer was not answered"),
  /** A code this version does not know. */
  UNKNOWN(255, "the transfer failed");

  private final int code;
  private final String message;

  TransferError(int code, String message) {
    this.code = code;
    this.message = message;
  }

  /** The code on the wire, 1 to 255. */
  public int code() {
    return code;
  }

  /** A plain sentence for the user. */
  public String message() {
    return message;
  }

  /** The error with that code, {@link #UNKNOWN} for any other. */
  public static TransferError of(int code) {
    for (TransferError e : values()) {
      if (e.code == code) {
        return e;
      }
    }
    return UNKNOWN;
  }
}
