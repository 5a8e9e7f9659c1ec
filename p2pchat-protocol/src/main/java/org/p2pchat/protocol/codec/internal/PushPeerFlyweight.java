package org.p2pchat.protocol.codec.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.codec.DecodeException.Reason;

/**
 * PUSH_PEER: the server introduces a device of a mutual contact, vouching for its static key
 * (docs/protocol.md section 25); acknowledged with PUSH_ACK like any push.
 *
 * <pre>
 * offset size  field
 *      0   13  header, type 0x8b, request id = push id chosen by the server
 *     13    8  link id (1..2^63-1): names this pair of devices in RELAY, RELAYED and the
 *              peer packets
 *     21    1  role: 1 = offer (the peer asks; answer with PEER_CONNECT), 2 = answer
 *     22  1+n  peer: name
 *   23+n    8  peer's device id (0 = a session opened with the password)
 *   31+n  ...  static key (32) · flags (1) · candidates ({@link PeerWire}); when direct, the
 *              first candidate is the address the server sees
 * </pre>
 */
public final class PushPeerFlyweight extends HeaderFlyweight<PushPeerFlyweight> {
  /** Role: the peer asks to be connected. */
  public static final int OFFER = 1;
  /** Role: the peer answered this device's offer. */
  public static final int ANSWER = 2;
  /** Offset of the link id. */
  public static final int LINK_OFFSET = LENGTH;
  /** Offset of the role. */
  public static final int ROLE_OFFSET = LINK_OFFSET + 8;
  /** Offset of the peer's name. */
  public static final int PEER_OFFSET = ROLE_OFFSET + 1;

  private int deviceOffset;

  /** A flyweight for PUSH_PEER frames. */
  public PushPeerFlyweight() {
    super(FrameType.PUSH_PEER.code());
  }

  @Override
  protected int decodeFields(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    Wire.messageId(frame, at, end, "link id");
    Wire.need(start + ROLE_OFFSET, 1, end, "role");
    int role = Wire.u8(frame, start + ROLE_OFFSET);
    if (role != OFFER && role != ANSWER) {
      throw new DecodeException(Reason.BAD_VALUE, "role " + role + " is not 1 or 2");
    }
    deviceOffset = Wire.checkName(frame, start + PEER_OFFSET, end, "peer");
    Wire.need(deviceOffset, 8, end, "device id");
    if (Wire.u64(frame, deviceOffset) < 0) {
      throw new DecodeException(Reason.BAD_VALUE, "device id has its top bit set");
    }
    return PeerWire.check(frame, deviceOffset + 8, end);
  }

  /** The pair's link id. */
  public long linkId() {
    return Wire.u64(buffer, offset + LINK_OFFSET);
  }

  /** {@link #OFFER} or {@link #ANSWER}. */
  public int role() {
    return Wire.u8(buffer, offset + ROLE_OFFSET);
  }

  /** The peer's user name. */
  public String peer() {
    return Wire.string8(buffer, offset + PEER_OFFSET);
  }

  /** The peer's device id; 0 for a password session. */
  public long deviceId() {
    return Wire.u64(buffer, deviceOffset);
  }

  /** The peer device's static public key, as the server vouches for it. */
  public byte[] staticKey() {
    return PeerWire.key(buffer, deviceOffset + 8);
  }

  /** Whether the peer takes direct connections. */
  public boolean direct() {
    return (PeerWire.flags(buffer, deviceOffset + 8) & PeerWire.DIRECT) != 0;
  }

  /** The peer's candidates; empty when it does not take direct connections. */
  public List<InetSocketAddress> candidates() {
    return PeerWire.candidates(buffer, deviceOffset + 8);
  }

  /**
   * Writes everything after the header.
   *
   * @return this flyweight
   * @throws IllegalArgumentException for a value outside its range
   */
  public PushPeerFlyweight peer(long linkId, int role, CharSequence peer, long deviceId, byte[] staticKey,
      boolean direct, List<InetSocketAddress> candidates) {
    if (linkId <= 0 || deviceId < 0 || (role != OFFER && role != ANSWER)) {
      throw new IllegalArgumentException("link " + linkId + ", role " + role + ", device " + deviceId);
    }
    Wire.ensureRoom(buffer, offset + LINK_OFFSET, 9);
    Wire.putU64(buffer, offset + LINK_OFFSET, linkId);
    Wire.putU8(buffer, offset + ROLE_OFFSET, role);
    deviceOffset = Wire.putName(buffer, offset + PEER_OFFSET, peer, "peer");
    Wire.ensureRoom(buffer, deviceOffset, 8);
    Wire.putU64(buffer, deviceOffset, deviceId);
    limit = PeerWire.put(buffer, deviceOffset + 8, staticKey, direct, candidates);
    return this;
  }
}
