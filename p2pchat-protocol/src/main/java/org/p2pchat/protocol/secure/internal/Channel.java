package org.p2pchat.protocol.secure.internal;

import com.southernstorm.noise.protocol.CipherStatePair;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.p2pchat.protocol.secure.SecureChannel;

/**
 * One established channel: the two transport keys of a finished handshake, the send counter
 * and the replay window. Not thread-safe: used by the event loop that owns the transport.
 */
final class Channel {
  private static final byte[] NO_AD = new byte[0];

  final int localIndex;
  final int remoteIndex;
  final long createdMillis;
  private final Aead sender;
  private final Aead receiver;
  private final ReplayWindow window = new ReplayWindow();
  private long nextCounter;
  long lastReceivedMillis;
  /** Where the peer was last heard from (server side), or where the server is (client side). */
  InetSocketAddress peer;

  /** @param ciphers the split of a finished handshake, owned by this channel from now on */
  Channel(int localIndex, int remoteIndex, CipherStatePair ciphers, long nowMillis, InetSocketAddress peer) {
    this.localIndex = localIndex;
    this.remoteIndex = remoteIndex;
    this.sender = new NoiseJavaChaChaPoly(ciphers.getSender());
    this.receiver = new NoiseJavaChaChaPoly(ciphers.getReceiver());
    this.createdMillis = nowMillis;
    this.lastReceivedMillis = nowMillis;
    this.peer = peer;
  }

  long sentPackets() {
    return nextCounter;
  }

  boolean isExpired(long nowMillis) {
    return nowMillis - createdMillis >= SecureChannel.REJECT_AFTER_MILLIS
        || nextCounter >= SecureChannel.REJECT_AFTER_MESSAGES;
  }

  /**
   * Seals {@code frame} into a DATA packet in {@code out} (cleared, then flipped for reading).
   */
  void seal(ByteBuffer frame, ByteBuffer out) {
    long counter = nextCounter++;
    out.clear();
    out.put(Packets.DATA).putInt(remoteIndex).putLong(counter);
    sender.seal(counter, NO_AD, frame, out);
    out.flip();
  }

  /**
   * Opens a DATA packet (its position at the type byte) into {@code out}, cleared then flipped.
   *
   * @return false when it does not authenticate, or is a replay or too old
   */
  boolean open(ByteBuffer packet, ByteBuffer out, long nowMillis) {
    int start = packet.position();
    long counter = packet.getLong(start + Packets.DATA_COUNTER_OFFSET);
    if (!window.mayAccept(counter) || counter >= SecureChannel.REJECT_AFTER_MESSAGES
        || nowMillis - createdMillis >= SecureChannel.REJECT_AFTER_MILLIS) {
      return false;
    }
    out.clear();
    packet.position(start + Packets.DATA_HEADER_BYTES); // the packet is ours until the handler returns
    if (!receiver.open(counter, NO_AD, packet, out) || !window.accept(counter)) {
      return false;
    }
    out.flip();
    lastReceivedMillis = nowMillis;
    return true;
  }
}
