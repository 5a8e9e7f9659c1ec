package org.p2pchat.protocol.peer.internal;

import java.nio.ByteBuffer;

/**
 * The current pipe and the one buffer payloads are written into before it sends them: shared
 * by one engine's senders and receivers, so a path change reaches all of them at once.
 */
final class Outbox {
  private final ByteBuffer buffer = ByteBuffer.allocate(PeerPipe.MAX_PAYLOAD_BYTES);
  private PeerPipe pipe;

  Outbox(PeerPipe pipe) {
    this.pipe = pipe;
  }

  void use(PeerPipe newPipe) {
    pipe = newPipe;
  }

  /** The buffer to write the next payload into. */
  ByteBuffer buffer() {
    return buffer;
  }

  /** Sends the buffer's payload; false when the pipe dropped it. */
  boolean send(ByteBuffer payload) {
    return pipe.send(payload);
  }
}
