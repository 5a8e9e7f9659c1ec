package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.codec.DecodeException.Reason;

/**
 * RELAY: a peer packet for the other end of a link, which the server forwards as RELAYED when
 * the link and the relay's bandwidth allow, and drops otherwise; never answered
 * (docs/protocol.md section 25).
 *
 * <pre>
 * offset size  field
 *      0   13  header, type 0x28, request id 0 (nothing answers it)
 *     13   16  session token
 *     29    8  link id (1..2^63-1)
 *     37    2  length n of the peer packet, 1..{@value #MAX_PAYLOAD_BYTES}
 *     39    n  the peer packet
 * </pre>
 */
public final class RelayFlyweight extends SessionFlyweight<RelayFlyweight> {
  /** Offset of the link id. */
  public static final int LINK_OFFSET = FIELDS_OFFSET;
  /** Offset of the payload's length. */
  public static final int LENGTH_OFFSET = LINK_OFFSET + 8;
  /** Offset of the payload. */
  public static final int PAYLOAD_OFFSET = LENGTH_OFFSET + 2;
  /**
   * The most payload bytes: what fits a frame of 1200 bytes after this header, and also after
   * RELAYED's shorter one.
   */
  public static final int MAX_PAYLOAD_BYTES = 1200 - PAYLOAD_OFFSET;

  /** A flyweight for RELAY frames. */
  public RelayFlyweight() {
    super(FrameType.RELAY.code());
  }

  @Override
  protected int decodeRequest(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    Wire.messageId(frame, at, end, "link id");
    Wire.need(start + LENGTH_OFFSET, 2, end, "length");
    int n = Wire.u16(frame, start + LENGTH_OFFSET);
    if (n < 1 || n > MAX_PAYLOAD_BYTES) {
      throw new DecodeException(Reason.BAD_LENGTH, "a relayed packet of " + n + " bytes");
    }
    Wire.need(start + PAYLOAD_OFFSET, n, end, "packet");
    return start + PAYLOAD_OFFSET + n;
  }

  /** The link whose other end the packet is for. */
  public long linkId() {
    return Wire.u64(buffer, offset + LINK_OFFSET);
  }

  /** The wrapped buffer, in which the payload lies at {@link #payloadOffset()}. */
  public ByteBuffer buffer() {
    return buffer;
  }

  /** The payload's offset in the wrapped buffer. */
  public int payloadOffset() {
    return offset + PAYLOAD_OFFSET;
  }

  /** The payload's length. */
  public int payloadLength() {
    return Wire.u16(buffer, offset + LENGTH_OFFSET);
  }

  /** A copy of the payload. */
  public byte[] payload() {
    byte[] p = new byte[payloadLength()];
    buffer.get(payloadOffset(), p);
    return p;
  }

  /**
   * Writes the link id and the bytes between {@code payload}'s position and limit (which it
   * leaves unchanged) after the token.
   *
   * @return this flyweight
   * @throws IllegalArgumentException for a bad link id or a payload of a bad length
   */
  public RelayFlyweight relay(long linkId, ByteBuffer payload) {
    int n = payload.remaining();
    if (linkId <= 0 || n < 1 || n > MAX_PAYLOAD_BYTES) {
      throw new IllegalArgumentException("link " + linkId + ", " + n + " bytes");
    }
    Wire.ensureRoom(buffer, offset + LINK_OFFSET, 10 + n);
    Wire.putU64(buffer, offset + LINK_OFFSET, linkId);
    Wire.putU16(buffer, offset + LENGTH_OFFSET, n);
    buffer.put(offset + PAYLOAD_OFFSET, payload, payload.position(), n);
    limit = offset + PAYLOAD_OFFSET + n;
    return this;
  }
}
