package org.p2pchat.protocol.secure.internal;

import com.southernstorm.noise.protocol.CipherStatePair;
import java.nio.ByteBuffer;

/**
 * The transport of a peer link (docs/protocol.md section 25): the two keys of a finished
 * {@link NoiseKk} handshake, the send counter and a replay window, as the server channel's
 * {@code Channel} but without its lifetime (a link ends with the server sessions it was
 * introduced in). Packets: {@code PEER_DATA} = type 0x14 · receiver index u32 · counter u64 ·
 * sealed payload. Not thread-safe.
 */
public final class PeerChannel {
  /** The packet type of sealed peer data. */
  public static final byte DATA = 0x14;
  /** The bytes a sealed payload adds: type, index, counter, tag. */
  public static final int OVERHEAD = 1 + 4 + 8 + Aead.TAG_BYTES;
  private static final int HEADER = 13;
  private static final byte[] NO_AD = new byte[0];
  /** No counter reaches this; a channel that would is spent (2^60, as the server's). */
  private static final long LAST_COUNTER = 1L << 60;

  private final int localIndex;
  private final int remoteIndex;
  private final Aead sender;
  private final Aead receiver;
  private final ReplayWindow window = new ReplayWindow();
  private long nextCounter;

  /** @param ciphers the split of a finished handshake, owned by this channel from now on */
  public PeerChannel(int localIndex, int remoteIndex, CipherStatePair ciphers) {
    this.localIndex = localIndex;
    this.remoteIndex = remoteIndex;
    this.sender = new NoiseJavaChaChaPoly(ciphers.getSender());
    this.receiver = new NoiseJavaChaChaPoly(ciphers.getReceiver());
  }

  /** The index the peer puts in the packets it sends on this channel. */
  public int localIndex() {
    return localIndex;
  }

  /** Seals {@code payload} into a packet in {@code out}, cleared then flipped; false when spent. */
  public boolean seal(ByteBuffer payload, ByteBuffer out) {
    if (nextCounter >= LAST_COUNTER) {
      return false;
    }
    long counter = nextCounter++;
    out.clear();
    out.put(DATA).putInt(remoteIndex).putLong(counter);
    sender.seal(counter, NO_AD, payload, out);
    out.flip();
    return true;
  }

  /**
   * Opens a packet (position at its type byte) into {@code out}, cleared then flipped.
   *
   * @return false when it is too short, does not authenticate, or is a replay or too old
   */
  public boolean open(ByteBuffer packet, ByteBuffer out) {
    int start = packet.position();
    if (packet.remaining() < OVERHEAD) {
      return false;
    }
    long counter = packet.getLong(start + 5);
    if (counter < 0 || counter >= LAST_COUNTER || !window.mayAccept(counter)) {
      return false;
    }
    out.clear();
    ByteBuffer sealed = packet.duplicate().position(start + HEADER);
    if (!receiver.open(counter, NO_AD, sealed, out) || !window.accept(counter)) {
      return false;
    }
    out.flip();
    return true;
  }
}
