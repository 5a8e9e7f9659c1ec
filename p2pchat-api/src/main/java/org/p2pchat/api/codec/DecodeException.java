package org.p2pchat.api.codec;

import org.p2pchat.api.ChatException;
import org.p2pchat.api.ErrorCode;

/**
 * The one error a decoder raises for malformed input. It carries the {@link Reason} for tests
 * and logs, and the {@link ErrorCode} a server answers with.
 *
 * <p>It records no stack trace: hostile datagrams raise it at line rate, and the trace would
 * say nothing the reason does not.
 */
public final class DecodeException extends ChatException {
  private static final long serialVersionUID = 1L;

  /** What was wrong with the input. */
  public enum Reason {
    /** Fewer bytes than the frame's layout requires. */
    TRUNCATED(ErrorCode.MALFORMED_FRAME),
    /** More bytes than the maximum datagram size. */
    OVERSIZED(ErrorCode.MALFORMED_FRAME),
    /** The first two bytes are not the protocol's magic. */
    BAD_MAGIC(ErrorCode.MALFORMED_FRAME),
    /** A protocol version the decoder does not speak. */
    UNSUPPORTED_VERSION(ErrorCode.UNSUPPORTED_VERSION),
    /** A frame type this version does not define. */
    UNKNOWN_FRAME_TYPE(ErrorCode.MALFORMED_FRAME),
    /** Flag bits that this version reserves are set. */
    BAD_FLAGS(ErrorCode.MALFORMED_FRAME),
    /** A length prefix outside its field's bounds or beyond the datagram. */
    BAD_LENGTH(ErrorCode.MALFORMED_FRAME),
    /** A string that is not well-formed UTF-8. */
    BAD_UTF8(ErrorCode.MALFORMED_FRAME),
    /** A user name outside the alphabet or length. */
    BAD_USER_NAME(ErrorCode.INVALID_USER_NAME),
    /** A message body longer than the limit. */
    BODY_TOO_LONG(ErrorCode.BODY_TOO_LONG),
    /** A field value outside its documented range (an enum code, a count). */
    BAD_VALUE(ErrorCode.MALFORMED_FRAME),
    /** Bytes left over after the last field. */
    TRAILING_BYTES(ErrorCode.MALFORMED_FRAME);

    private final ErrorCode errorCode;

    Reason(ErrorCode errorCode) {
      this.errorCode = errorCode;
    }

    /** {@return the error code a server answers this malformation with} */
    public ErrorCode errorCode() {
      return errorCode;
    }
  }

  /** What was wrong with the input. */
  private final Reason reason;

  /**
   * A decode error for the given reason.
   *
   * @param reason what was wrong
   * @param detail a short description of where it was found
   */
  public DecodeException(Reason reason, String detail) {
    super(reason.errorCode(), reason + ": " + detail, false);
    this.reason = reason;
  }

  /** {@return what was wrong with the input} */
  public Reason reason() {
    return reason;
  }
}
