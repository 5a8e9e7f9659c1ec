package org.p2pchat.protocol.client.internal;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.p2pchat.protocol.codec.OkDecoder;

/** A request sent and not yet answered. Owned by the client's loop. */
final class PendingRequest {
  final long requestId;
  final int type;
  final byte[] frame;
  final CompletableFuture<Object> future;
  /** Reads the OK answer into the future's value, on the loop, while the buffer is valid. */
  final Function<OkDecoder, Object> onOk;
  final long firstSentMillis;
  final long giveUpAtMillis;
  int attempts;
  long deadlineMillis;

  PendingRequest(long requestId, int type, byte[] frame, CompletableFuture<Object> future,
      Function<OkDecoder, Object> onOk, long nowMillis, long giveUpAtMillis) {
    this.requestId = requestId;
    this.type = type;
    this.frame = frame;
    this.future = future;
    this.onOk = onOk;
    this.firstSentMillis = nowMillis;
    this.giveUpAtMillis = giveUpAtMillis;
  }
}
