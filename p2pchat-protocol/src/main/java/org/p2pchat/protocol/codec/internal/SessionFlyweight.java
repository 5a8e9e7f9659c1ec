package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;

/**
 * The base of every request made within a session: the header, then the session token.
 *
 * <pre>
 * offset size field
 *      0   13 header
 *     13   16 session token (hi = bytes 13..20, lo = bytes 21..28)
 *     29      the request's own fields
 * </pre>
 *
 * <p>When writing, {@link #token} comes first, right after {@link #encode}.
 *
 * @param <F> the concrete flyweight
 */
public abstract class SessionFlyweight<F extends SessionFlyweight<F>> extends HeaderFlyweight<F> {
  /** Offset of the session token. */
  public static final int TOKEN_OFFSET = LENGTH;
  /** Offset of the first field after the token. */
  public static final int FIELDS_OFFSET = TOKEN_OFFSET + Wire.TOKEN_BYTES;

  /** @param type the frame type, a {@link FrameType#code()} */
  protected SessionFlyweight(int type) {
    super(type);
  }

  @Override
  protected final int decodeFields(ByteBuffer frame, int start, int at, int end)
      throws DecodeException {
    Wire.need(at, Wire.TOKEN_BYTES, end, "token");
    return decodeRequest(frame, start, at + Wire.TOKEN_BYTES, end);
  }

  /**
   * Validates the fields after the token, which start at {@code at}.
   *
   * @return the index after the last field, which must be the frame's end
   * @throws DecodeException when a field is malformed
   */
  protected abstract int decodeRequest(ByteBuffer frame, int start, int at, int end)
      throws DecodeException;

  /** The first 8 bytes of the session token. */
  public final long tokenHi() {
    return Wire.u64(buffer, offset + TOKEN_OFFSET);
  }

  /** The last 8 bytes of the session token. */
  public final long tokenLo() {
    return Wire.u64(buffer, offset + TOKEN_OFFSET + 8);
  }

  /**
   * Writes the session token, the first field after the header.
   *
   * @return this flyweight
   * @throws java.nio.BufferOverflowException when the buffer has too little room
   */
  public final F token(long hi, long lo) {
    int at = offset + TOKEN_OFFSET;
    Wire.ensureRoom(buffer, at, Wire.TOKEN_BYTES);
    Wire.putU64(buffer, at, hi);
    limit = Wire.putU64(buffer, at + 8, lo);
    return self();
  }
}
