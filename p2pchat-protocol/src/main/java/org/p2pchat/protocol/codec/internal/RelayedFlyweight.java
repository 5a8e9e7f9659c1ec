package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.codec.DecodeException.Reason;

/**
 * RELAYED: a peer packet from the other end of a link, forwarded by the server; not a push,
 * so never acknowledged nor retransmitted (docs/protocol.md section 25).
 *
 * <pre>
 * offset size  field
 *      0   13  header, type 0x8c, request id 0
 *     13    8  link id (1..2^63-1)
 *     21    2  length n of the peer packet, 1..{@link RelayFlyweight#MAX_PAYLOAD_BYTES}
 *     23    n  the peer packet
 * </pre>
 */
public final class RelayedFlyweight extends HeaderFlyweight<RelayedFlyweight> {
  /** Offset of the link id. */
  public static final int LINK_OFFSET = LENGTH;
  /** Offset of the payload's length. */
  public static final int LENGTH_OFFSET = LINK_OFFSET + 8;
  /** Offset of the payload. */
  public static final int PAYLOAD_OFFSET = LENGTH_OFFSET + 2;

  /** A flyweight for RELAYED frames. */
  public RelayedFlyweight() {
    super(FrameType.RELAYED.code());
  }

  @Override
  protected int decodeFields(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    Wire.messageId(frame, at, end, "link id");
    Wire.need(start + LENGTH_OFFSET, 2, end, "length");
    int n = Wire.u16(frame, start + LENGTH_OFFSET);
    if (n < 1 || n > RelayFlyweight.MAX_PAYLOAD_BYTES) {
      throw new DecodeException(Reason.BAD_LENGTH, "a relayed packet of " + n + " bytes");
    }
    Wire.need(start + PAYLOAD_OFFSET, n, end, "packet");
    return start + PAYLOAD_OFFSET + n;
  }

  /** The link whose other end sent the packet. */
  public long linkId() {
    return Wire.u64(buffer, offset + LINK_OFFSET);
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
   * Writes the link id and the payload (the bytes {@code from}..{@code from+n} of {@code src}).
   *
   * @return this flyweight
   */
  public RelayedFlyweight relayed(long linkId, ByteBuffer src, int from, int n) {
    if (linkId <= 0 || n < 1 || n > RelayFlyweight.MAX_PAYLOAD_BYTES) {
      throw new IllegalArgumentException("link " + linkId + ", " + n + " bytes");
    }
    Wire.ensureRoom(buffer, offset + LINK_OFFSET, 10 + n);
    Wire.putU64(buffer, offset + LINK_OFFSET, linkId);
    Wire.putU16(buffer, offset + LENGTH_OFFSET, n);
    buffer.put(offset + PAYLOAD_OFFSET, src, from, n);
    limit = offset + PAYLOAD_OFFSET + n;
    return this;
  }
}
