package org.p2pchat.protocol.codec.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.codec.DecodeException.Reason;

/**
 * PEER_CONNECT: the caller asks the server to introduce this device to the online devices of a
 * mutual contact (link id 0), or answers an introduction (the link id of its PUSH_PEER), with
 * this device's static key and candidates (docs/protocol.md section 25).
 *
 * <pre>
 * offset size  field
 *      0   13  header, type 0x27
 *     13   16  session token
 *     29    8  link id: 0 = a new introduction, else the link being answered (top bit 0)
 *     37  1+n  peer: name
 *   38+n  ...  static key (32) · flags (1) · candidates ({@link PeerWire})
 * </pre>
 */
public final class PeerConnectFlyweight extends SessionFlyweight<PeerConnectFlyweight> {
  /** Offset of the link id. */
  public static final int LINK_OFFSET = FIELDS_OFFSET;
  /** Offset of the peer's name. */
  public static final int PEER_OFFSET = LINK_OFFSET + 8;

  private int keyOffset;

  /** A flyweight for PEER_CONNECT frames. */
  public PeerConnectFlyweight() {
    super(FrameType.PEER_CONNECT.code());
  }

  @Override
  protected int decodeRequest(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    Wire.need(at, 8, end, "link id");
    if (Wire.u64(frame, at) < 0) {
      throw new DecodeException(Reason.BAD_VALUE, "link id has its top bit set");
    }
    keyOffset = Wire.checkName(frame, start + PEER_OFFSET, end, "peer");
    return PeerWire.check(frame, keyOffset, end);
  }

  /** The link answered, or 0 for a new introduction. */
  public long linkId() {
    return Wire.u64(buffer, offset + LINK_OFFSET);
  }

  /** The contact to be introduced to. */
  public String peer() {
    return Wire.string8(buffer, offset + PEER_OFFSET);
  }

  /** The device's static public key. */
  public byte[] staticKey() {
    return PeerWire.key(buffer, keyOffset);
  }

  /** Whether the device takes direct connections. */
  public boolean direct() {
    return (PeerWire.flags(buffer, keyOffset) & PeerWire.DIRECT) != 0;
  }

  /** The device's own addresses, empty when it does not take direct connections. */
  public List<InetSocketAddress> candidates() {
    return PeerWire.candidates(buffer, keyOffset);
  }

  /**
   * Writes everything after the token.
   *
   * @return this flyweight
   * @throws IllegalArgumentException for a bad name, key or candidate list
   */
  public PeerConnectFlyweight connect(long linkId, CharSequence peer, byte[] staticKey, boolean direct,
      List<InetSocketAddress> candidates) {
    if (linkId < 0) {
      throw new IllegalArgumentException("a link id is 0 to 2^63-1: " + linkId);
    }
    Wire.ensureRoom(buffer, offset + LINK_OFFSET, 8);
    Wire.putU64(buffer, offset + LINK_OFFSET, linkId);
    keyOffset = Wire.putName(buffer, offset + PEER_OFFSET, peer, "peer");
    limit = PeerWire.put(buffer, keyOffset, staticKey, direct, candidates);
    return this;
  }
}
