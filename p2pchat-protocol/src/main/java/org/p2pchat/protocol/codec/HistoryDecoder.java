package org.p2pchat.protocol.codec;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.codec.DecodeException.Reason;

/**
 * Reads a HISTORY frame in place: the client asks for a page of its messages.
 *
 * <pre>
 * offset size  field
 *      0   13  header, type 0x05
 *     13   16  session token (hi, then lo)
 *     29  1+n  peer: u8 length n, 0 = all peers, else 3..32 bytes of user name
 *   30+n    1  options: bit 0 unread only, bit 1 direction AFTER (else BEFORE), others 0
 *   31+n    8  cursor: u64 message id, 0 = start; the top bit must be 0
 *   39+n    1  limit: 1..100 entries
 * total 40+n bytes
 * </pre>
 *
 * <p>A flyweight: {@link #wrap} validates the whole frame and the getters read straight from
 * the buffer, valid until its bytes change. Reusable; not thread-safe (one per thread).
 */
public final class HistoryDecoder {
  /** Offset of the session token. */
  public static final int TOKEN_OFFSET = FrameHeader.LENGTH;
  /** Offset of the peer field. */
  public static final int PEER_OFFSET = TOKEN_OFFSET + Wire.TOKEN_BYTES;
  /** Option bit: only unread messages. */
  public static final int OPTION_UNREAD_ONLY = 0x01;
  /** Option bit: messages after the cursor (else before it). */
  public static final int OPTION_AFTER = 0x02;
  /** The largest page a client may ask for. */
  public static final int MAX_LIMIT = 100;
  /** Bytes after the peer field: options, cursor, limit. */
  static final int TAIL_BYTES = 1 + 8 + 1;

  private ByteBuffer buffer;
  private int base;
  private int optionsAt;

  /** A decoder to {@link #wrap} frames with. */
  public HistoryDecoder() {}

  /**
   * Validates the frame between {@code frame}'s position and limit and points the getters at
   * it. Does not move the position and allocates nothing.
   *
   * @return this decoder
   * @throws DecodeException when the frame is malformed or not a HISTORY (UNKNOWN_FRAME_TYPE)
   */
  public HistoryDecoder wrap(ByteBuffer frame) throws DecodeException {
    int at = FrameHeader.expect(frame, FrameType.HISTORY);
    int end = frame.limit();
    Wire.need(at, Wire.TOKEN_BYTES + 1, end, "token and peer");
    int peer = at + Wire.TOKEN_BYTES;
    int options = Wire.u8(frame, peer) == 0 ? peer + 1 : Wire.checkName(frame, peer, end, "peer");
    Wire.need(options, TAIL_BYTES, end, "options, cursor and limit");
    if ((Wire.u8(frame, options) & ~(OPTION_UNREAD_ONLY | OPTION_AFTER)) != 0) {
      throw new DecodeException(Reason.BAD_VALUE, "unknown option bits");
    }
    if (Wire.u64(frame, options + 1) < 0) {
      throw new DecodeException(Reason.BAD_VALUE, "cursor has its top bit set");
    }
    int limit = Wire.u8(frame, options + 9);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new DecodeException(Reason.BAD_VALUE, "limit " + limit + " is outside 1..100");
    }
    Wire.requireEnd(options + TAIL_BYTES, end);
    buffer = frame;
    base = frame.position();
    optionsAt = options;
    return this;
  }

  /** The request id. */
  public long requestId() {
    return Wire.u64(buffer, base + FrameHeader.REQUEST_ID_OFFSET);
  }

  /** The first 8 bytes of the session token. */
  public long tokenHi() {
    return Wire.u64(buffer, base + TOKEN_OFFSET);
  }

  /** The last 8 bytes of the session token. */
  public long tokenLo() {
    return Wire.u64(buffer, base + TOKEN_OFFSET + 8);
  }

  /** The peer's user name as sent, or null for all peers. */
  public String peer() {
    int at = base + PEER_OFFSET;
    return Wire.u8(buffer, at) == 0 ? null : Wire.string8(buffer, at);
  }

  /** Whether only unread messages are asked for. */
  public boolean unreadOnly() {
    return (Wire.u8(buffer, optionsAt) & OPTION_UNREAD_ONLY) != 0;
  }

  /** Whether the page lies after the cursor (true) or before it (false). */
  public boolean after() {
    return (Wire.u8(buffer, optionsAt) & OPTION_AFTER) != 0;
  }

  /** The cursor, a message id; 0 for the start (newest for BEFORE, oldest for AFTER). */
  public long cursor() {
    return Wire.u64(buffer, optionsAt + 1);
  }

  /** The largest number of entries wanted, 1 to 100. */
  public int limit() {
    return Wire.u8(buffer, optionsAt + 9);
  }
}
