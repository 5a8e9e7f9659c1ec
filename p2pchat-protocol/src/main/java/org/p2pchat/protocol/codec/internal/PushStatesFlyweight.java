package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.ProtocolLimits;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.codec.DecodeException.Reason;

/**
 * PUSH_STATES: the server tells a sender's session that many messages were delivered or read,
 * as that many PUSH_STATEs would; acknowledged once, by its push id (docs/protocol.md section 24).
 *
 * <pre>
 * offset size  field
 *      0   13  header, type 0x8a, request id = push id chosen by the server
 *     13    1  count c, 1..64
 *     14       c entries, each:
 *                8  message id (1..2^63-1)
 *                1  state: 2 DELIVERED or 3 READ
 *              1+n  recipient: u8 length n (3..32), the user who received the message
 * </pre>
 *
 * <p>Entries are read in order: {@link #firstEntry}, then {@link #nextEntry} from each. When
 * writing: {@link #addState} once per entry while {@link #hasRoomFor} says it fits.
 */
public final class PushStatesFlyweight extends HeaderFlyweight<PushStatesFlyweight> {
  /** Offset of the count. */
  public static final int COUNT_OFFSET = LENGTH;
  /** Offset of the first entry. */
  public static final int ENTRIES_OFFSET = COUNT_OFFSET + 1;
  /** The most entries one frame carries. */
  public static final int MAX_ENTRIES = 64;

  /** A flyweight for PUSH_STATES frames. */
  public PushStatesFlyweight() {
    super(FrameType.PUSH_STATES.code());
  }

  @Override
  protected int decodeFields(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    Wire.need(at, 1, end, "count");
    int count = Wire.u8(frame, at);
    if (count < 1 || count > MAX_ENTRIES) {
      throw new DecodeException(Reason.BAD_VALUE, "count " + count + " is outside 1.." + MAX_ENTRIES);
    }
    int entry = at + 1;
    for (int i = 0; i < count; i++) {
      Wire.messageId(frame, entry, end, "message id");
      Wire.need(entry + 8, 1, end, "state");
      int state = Wire.u8(frame, entry + 8);
      if (state != 2 && state != 3) {
        throw new DecodeException(Reason.BAD_VALUE, "state " + state + " is not 2 or 3");
      }
      entry = Wire.checkName(frame, entry + 9, end, "recipient");
    }
    return entry;
  }

  /** How many entries the frame carries, 1 to 64. */
  public int count() {
    return Wire.u8(buffer, offset + COUNT_OFFSET);
  }

  /** Where the first entry starts. */
  public int firstEntry() {
    return offset + ENTRIES_OFFSET;
  }

  /** Where the entry after the one at {@code entry} starts. */
  public int nextEntry(int entry) {
    return entry + 9 + 1 + Wire.u8(buffer, entry + 9);
  }

  /** The message id of the entry at {@code entry}. */
  public long messageId(int entry) {
    return Wire.u64(buffer, entry);
  }

  /** The state of the entry at {@code entry}: 2 DELIVERED or 3 READ. */
  public int state(int entry) {
    return Wire.u8(buffer, entry + 8);
  }

  /** The recipient of the entry at {@code entry}. */
  public String recipient(int entry) {
    return Wire.string8(buffer, entry + 9);
  }

  /** Whether one more entry for {@code recipient} fits the frame and the datagram. */
  public boolean hasRoomFor(CharSequence recipient) {
    int count = limit <= offset + COUNT_OFFSET ? 0 : count();
    int end = count == 0 ? offset + ENTRIES_OFFSET : limit;
    return count < MAX_ENTRIES && end - offset + 10 + recipient.length() <= ProtocolLimits.MAX_DATAGRAM_BYTES;
  }

  /**
   * Appends an entry and counts it; the first call follows the header.
   *
   * @param messageId 1 to 2^63-1
   * @param state 2 DELIVERED or 3 READ
   * @param recipient the user who received the message
   * @return this flyweight
   * @throws IllegalArgumentException for a value outside its range, or a 65th entry
   */
  public PushStatesFlyweight addState(long messageId, int state, CharSequence recipient) {
    Wire.checkMessageId(messageId, "message id");
    if (state != 2 && state != 3) {
      throw new IllegalArgumentException("a pushed state is 2 (delivered) or 3 (read): " + state);
    }
    int count = limit <= offset + COUNT_OFFSET ? 0 : count();
    if (count == MAX_ENTRIES) {
      throw new IllegalArgumentException("a PUSH_STATES carries at most " + MAX_ENTRIES + " entries");
    }
    int at = count == 0 ? offset + ENTRIES_OFFSET : limit;
    Wire.ensureRoom(buffer, at, 9);
    Wire.putU64(buffer, at, messageId);
    Wire.putU8(buffer, at + 8, state);
    int end = Wire.putName(buffer, at + 9, recipient, "recipient");
    Wire.putU8(buffer, offset + COUNT_OFFSET, count + 1);
    limit = end;
    return this;
  }

  /**
   * Ends the frame.
   *
   * @throws IllegalStateException when no entry was written
   */
  @Override
  public int finish() {
    if (limit <= offset + COUNT_OFFSET) {
      throw new IllegalStateException("a PUSH_STATES carries at least one entry");
    }
    return super.finish();
  }
}
