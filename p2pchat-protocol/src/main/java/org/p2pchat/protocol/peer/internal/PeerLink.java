package org.p2pchat.protocol.peer.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.PeerPath;
import org.p2pchat.protocol.secure.internal.NoiseKk;
import org.p2pchat.protocol.secure.internal.PeerChannel;

/**
 * One introduced pair of devices, seen from this side (docs/protocol.md section 25): the peer
 * and its vouched key, the handshake, the channel once up, and the path its packets take. The
 * path is the direct address once a probe made the round trip, else the relay. Owned by
 * {@link Peers} on the event loop.
 */
final class PeerLink implements PeerPipe {
  final long id;
  final UserName peer;
  final long deviceId;
  final byte[] peerKey;
  final boolean initiator;
  /** The peer's addresses, empty when either side keeps to the relay. */
  final List<InetSocketAddress> candidates;
  final long createdMillis;
  private final Peers owner;

  // the handshake
  int localIndex;
  NoiseKk.Initiator handshake;
  byte[] initiation;
  long nextInitiationMillis;
  /** The responder's answer, kept to answer a retransmitted initiation alike. */
  byte[] response;
  long lastResponseMillis;
  long punchUntilMillis;
  long nextPunchMillis;
  int remoteIndex;

  // the channel and its path
  PeerChannel channel;
  InetSocketAddress direct;
  /** When an authenticated packet last came, on any path. */
  long lastReceivedMillis;
  long lastSentMillis;
  long lastDirectReceivedMillis;
  long lastDirectSentMillis;
  /** When a payload other than a keepalive last left directly: a live path answers soon after. */
  long lastDirectDataSentMillis;
  long probeNonce;
  /** When the check of a direct path that owes an answer began; -1 when none runs. */
  long checkSinceMillis = -1;
  long nextReprobeMillis;
  /** Before this, a probe from the peer on a relayed link starts no probing of ours (once a window). */
  long nextAnsweredProbeMillis;
  long probeStartMillis;
  long probeUntilMillis;
  long nextProbeMillis;
  /** What the listener was last told; null before the first settled path. */
  PeerPath reported;

  PeerLink(Peers owner, long id, UserName peer, long deviceId, byte[] peerKey, boolean initiator,
      List<InetSocketAddress> candidates, long nowMillis) {
    this.owner = owner;
    this.id = id;
    this.peer = peer;
    this.deviceId = deviceId;
    this.peerKey = peerKey.clone();
    this.initiator = initiator;
    this.candidates = List.copyOf(candidates);
    this.createdMillis = nowMillis;
  }

  /** The path now: DIRECT, RELAYED, or null while the handshake runs. */
  PeerPath path() {
    return channel == null ? null : direct != null ? PeerPath.DIRECT : PeerPath.RELAYED;
  }

  boolean isProbing(long nowMillis) {
    return channel != null && direct == null && nowMillis < probeUntilMillis;
  }

  @Override
  public boolean send(ByteBuffer payload) {
    return owner.sendOn(this, payload);
  }
}
