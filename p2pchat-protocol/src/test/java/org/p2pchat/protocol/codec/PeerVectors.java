package org.p2pchat.protocol.codec;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.p2pchat.protocol.codec.internal.FrameType;

/** The frames of the peer-to-peer vectors (docs/protocol.md section 25.6), beside {@link VectorsTest}'s. */
final class PeerVectors {
  /** A static key whose bytes are 0x20, 0x21, ... 0x3f. */
  static final byte[] KEY = new byte[32];
  static final long LINK = 0x0102030405060708L;

  static {
    for (int i = 0; i < 32; i++) {
      KEY[i] = (byte) (0x20 + i);
    }
  }

  private PeerVectors() {}

  static Map<String, Frame> frames() {
    Map<String, Frame> m = new LinkedHashMap<>();
    m.put("peer-connect", new Frame.PeerConnect(VectorsTest.RID, VectorsTest.HI, VectorsTest.LO, 0, "bob", KEY, true,
        List.of(address(new byte[] {(byte) 192, (byte) 168, 1, 2}, 40000))));
    m.put("peer-connect-relay-only", new Frame.PeerConnect(VectorsTest.RID, VectorsTest.HI, VectorsTest.LO, LINK,
        "alice", KEY, false, List.of()));
    m.put("ok-peer-connect", new Frame.OkEmpty(VectorsTest.RID, FrameType.PEER_CONNECT.code()));
    m.put("push-peer", new Frame.PushPeer(VectorsTest.PUSH, LINK, 2, "bob", 7, KEY, true, List.of(
        address(new byte[] {(byte) 203, 0, 113, 7}, 50000),
        address(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 40000))));
    m.put("relay", new Frame.Relay(0, VectorsTest.HI, VectorsTest.LO, LINK, new byte[] {0x14, 1, 2, 3}));
    m.put("relayed", new Frame.Relayed(0, LINK, new byte[] {0x14, 1, 2, 3}));
    return m;
  }

  private static InetSocketAddress address(byte[] ip, int port) {
    try {
      return new InetSocketAddress(InetAddress.getByAddress(ip), port);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
