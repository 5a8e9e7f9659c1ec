package org.p2pchat.api;

/**
 * The limits of wire protocol v1, as {@code docs/protocol.md} states them. Every number here is
 * normative: a peer that exceeds one is sent {@link ErrorCode#MALFORMED_FRAME} or silence.
 */
public final class ProtocolLimits {
  /**
   * The largest datagram either side sends or accepts, in bytes. 1200 bytes crosses any
   * Internet path without IP fragmentation (the QUIC minimum MTU argument).
   */
  public static final int MAX_DATAGRAM_BYTES = 1200;

  /**
   * The largest body of one {@code text} field in bytes of UTF-8: of a message sent in one
   * frame, of a room message, and of each part of a long message.
   */
  public static final int MAX_BODY_BYTES = 1000;

  /**
   * The largest one-to-one message body in bytes of UTF-8 (64 KiB): a body over
   * {@link #MAX_BODY_BYTES} travels as a long message, in parts of {@link #PART_BYTES}
   * ({@code docs/protocol.md} section 23).
   */
  public static final int MAX_LONG_BODY_BYTES = 65_536;

  /** The size in bytes of every part of a long message but its last, which holds the rest. */
  public static final int PART_BYTES = 1000;

  /** The shortest user name, in characters (all ASCII, so also bytes). */
  public static final int MIN_USER_NAME_LENGTH = 3;

  /** The longest user name, in characters (all ASCII, so also bytes). */
  public static final int MAX_USER_NAME_LENGTH = 32;

  /** The shortest password a registration accepts, in bytes of UTF-8. */
  public static final int MIN_PASSWORD_BYTES = 8;

  /** The longest password either registration or login accepts, in bytes of UTF-8. */
  public static final int MAX_PASSWORD_BYTES = 128;

  /** The length of a session token, in bytes (128 bits from a {@code SecureRandom}). */
  public static final int SESSION_TOKEN_BYTES = 16;

  /** The protocol version this release speaks. */
  public static final int PROTOCOL_VERSION = 1;

  private ProtocolLimits() {}

  /**
   * The number of bytes {@code text} takes in UTF-8, counted without encoding it: the one place
   * where the project turns characters into the bytes every limit above is stated in.
   *
   * @param text the characters to measure
   * @return their length in bytes of UTF-8
   * @throws IllegalArgumentException when {@code text} holds an unpaired surrogate, which has no
   *     UTF-8 form (the message names its index, never the text)
   */
  public static int utf8Length(CharSequence text) {
    int length = text.length();
    int i = 0;
    while (i < length && text.charAt(i) < 0x80) {
      i++; // the ASCII prefix, often all of it, in a tight loop
    }
    int bytes = i;
    for (; i < length; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        if (i + 1 >= length || !Character.isLowSurrogate(text.charAt(i + 1))) {
          throw new IllegalArgumentException("unpaired surrogate at index " + i);
        }
        i++;
        bytes += 4;
      } else if (Character.isLowSurrogate(c)) {
        throw new IllegalArgumentException("unpaired surrogate at index " + i);
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
