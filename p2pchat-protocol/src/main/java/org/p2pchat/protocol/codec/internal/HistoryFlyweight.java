package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.codec.DecodeException.Reason;

/**
 * HISTORY: the client asks for a page of its messages.
 *
 * <pre>
 * offset size  field
 *      0   13  header, type 0x05
 *     13   16  session token
 *     29  1+n  peer: u8 length n, 0 = all peers, else 3..32 bytes of user name
 *   30+n    1  options: bit 0 unread only, bit 1 direction AFTER (else BEFORE), others 0
 *   31+n    8  cursor: u64 message id, 0 = start; the top bit must be 0
 *   39+n    1  limit: 1..100 entries
 * total 40+n bytes
 * </pre>
 *
 * <p>When writing: {@link #peer}, then {@link #query}.
 */
public final class HistoryFlyweight extends SessionFlyweight<HistoryFlyweight> {
  /** Offset of the peer field. */
  public static final int PEER_OFFSET = FIELDS_OFFSET;
  /** Option bit: only unread messages. */
  public static final int OPTION_UNREAD_ONLY = 0x01;
  /** Option bit: messages after the cursor (else before it). */
  public static final int OPTION_AFTER = 0x02;
  /** The largest page a client may ask for. */
  public static final int MAX_LIMIT = 100;
  /** Bytes after the peer field: options, cursor, limit. */
  private static final int TAIL_BYTES = 1 + 8 + 1;

  private int optionsAt;

  /** A flyweight for HISTORY frames. */
  public HistoryFlyweight() {
    super(FrameType.HISTORY.code());
  }

  /** A flyweight for frames of another type with this layout ({@code HISTORY_LONG}). */
  public HistoryFlyweight(FrameType type) {
    super(type.code());
  }

  @Override
  protected int decodeRequest(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    Wire.need(at, 1, end, "peer");
    int options = Wire.u8(frame, at) == 0 ? at + 1 : Wire.checkName(frame, at, end, "peer");
    Wire.need(options, TAIL_BYTES, end, "options, cursor and limit");
    if ((Wire.u8(frame, options) & ~(OPTION_UNREAD_ONLY | OPTION_AFTER)) != 0) {
      throw new DecodeException(Reason.BAD_VALUE, "unknown option bits");
    }
    if (Wire.u64(frame, options + 1) < 0) {
      throw new DecodeException(Reason.BAD_VALUE, "cursor has its top bit set");
    }
    int pageLimit = Wire.u8(frame, options + 9);
    if (pageLimit < 1 || pageLimit > MAX_LIMIT) {
      throw new DecodeException(Reason.BAD_VALUE, "limit " + pageLimit + " is outside 1..100");
    }
    optionsAt = options;
    return options + TAIL_BYTES;
  }

  /** The peer's user name as sent, or null for all peers. */
  public String peer() {
    int at = offset + PEER_OFFSET;
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
  public int pageLimit() {
    return Wire.u8(buffer, optionsAt + 9);
  }

  /**
   * Writes the peer, after the token.
   *
   * @param peerOrNull a user name, or null for all peers
   * @return this flyweight
   * @throws IllegalArgumentException for a name outside the alphabet or length
   */
  public HistoryFlyweight peer(CharSequence peerOrNull) {
    if (peerOrNull == null) {
      Wire.ensureRoom(buffer, limit, 1);
      limit = Wire.putU8(buffer, limit, 0);
    } else {
      limit = Wire.putName(buffer, limit, peerOrNull, "peer");
    }
    return this;
  }

  /**
   * Writes the options, cursor and limit, after the peer.
   *
   * @param cursor a message id, or 0 for the start; 0 to 2^63-1
   * @param pageLimit 1 to 100 entries
   * @return this flyweight
   * @throws IllegalArgumentException for a value outside its range
   */
  public HistoryFlyweight query(boolean unreadOnly, boolean after, long cursor, int pageLimit) {
    if (cursor < 0) {
      throw new IllegalArgumentException("cursor must be 0 to 2^63-1: " + cursor);
    }
    if (pageLimit < 1 || pageLimit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1 to 100: " + pageLimit);
    }
    Wire.ensureRoom(buffer, limit, TAIL_BYTES);
    int options = (unreadOnly ? OPTION_UNREAD_ONLY : 0) | (after ? OPTION_AFTER : 0);
    int at = Wire.putU8(buffer, limit, options);
    at = Wire.putU64(buffer, at, cursor);
    limit = Wire.putU8(buffer, at, pageLimit);
    return this;
  }
}
