package org.p2pchat.protocol.codec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.p2pchat.protocol.codec.internal.FrameType;

/** The frames of the batched-acknowledgement vectors (docs/protocol.md section 24.4), beside {@link VectorsTest}'s. */
final class BatchVectors {
  private BatchVectors() {}

  static Map<String, Frame> frames() {
    Map<String, Frame> m = new LinkedHashMap<>();
    m.put("features", new Frame.Features(VectorsTest.RID, VectorsTest.HI, VectorsTest.LO, 1));
    m.put("ok-features", new Frame.OkEmpty(VectorsTest.RID, FrameType.FEATURES.code()));
    m.put("push-acks", new Frame.PushAcks(0, VectorsTest.HI, VectorsTest.LO,
        List.of(VectorsTest.PUSH, VectorsTest.PUSH + 1)));
    m.put("push-states", new Frame.PushStates(VectorsTest.PUSH + 2, List.of(
        new Frame.StateEntry(42, 2, "bob"), new Frame.StateEntry(43, 3, "carol"))));
    return m;
  }
}
