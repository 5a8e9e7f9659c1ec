package org.p2pchat.protocol.codec;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The frames of the long-message vectors (docs/protocol.md section 23.7), beside {@link VectorsTest}'s. */
final class LongVectors {
  /** The total length of the long message of the vectors: two parts, the second of 5 bytes. */
  static final int TOTAL = 1005;

  private LongVectors() {}

  static Map<String, Frame> frames() {
    long rid = VectorsTest.RID;
    long hi = VectorsTest.HI;
    long lo = VectorsTest.LO;
    long at = VectorsTest.AT;
    byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
    Map<String, Frame> m = new LinkedHashMap<>();
    m.put("send-part", new Frame.SendPart(rid, hi, lo, DeviceVectors.KEY, "bob", TOTAL, 1, hello));
    m.put("message-part", new Frame.MessagePart(rid, hi, lo, 43, 1));
    m.put("history-long", new Frame.HistoryLong(rid, hi, lo, "bob", false, false, 0, 20));
    m.put("ok-send-part-held", new Frame.OkSendPart(rid, 0, 0));
    m.put("ok-send-part", new Frame.OkSendPart(rid, 43, at));
    m.put("ok-message-part", new Frame.OkMessagePart(rid, 43, 1, hello));
    m.put("ok-history-long", new Frame.OkHistoryLong(rid, 0, List.of(
        new Frame.LongEntry(42, at, 2, "alice", "bob", 5, "hello"),
        new Frame.LongEntry(43, at, 1, "alice", "bob", TOTAL, null))));
    m.put("push-long-message", new Frame.PushLongMessage(VectorsTest.PUSH, 43, at, "alice", TOTAL));
    m.put("error-bad-part", new Frame.Error(rid, 30, 0, List.of()));
    m.put("error-too-many-partial-sends", new Frame.Error(rid, 31, 1000, List.of()));
    return m;
  }
}
