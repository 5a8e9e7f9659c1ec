package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;

/**
 * An OK without payload: the answer to REGISTER, LOGOUT, PING, MARK_READ and every request
 * whose {@link FrameType#answer()} is {@link FrameType.Answer#EMPTY}.
 *
 * <pre>
 * offset size field
 *      0   13 header, type 0x80
 *     13    1 in-reply-to
 * total 14 bytes
 * </pre>
 */
public final class EmptyOkFlyweight extends OkFlyweight<EmptyOkFlyweight> {
  /** The frame's length in bytes. */
  public static final int FRAME_LENGTH = PAYLOAD_OFFSET;

  /** A flyweight for OKs without payload. */
  public EmptyOkFlyweight() {
    super(FrameType.Answer.EMPTY);
  }

  @Override
  protected int decodePayload(ByteBuffer frame, int start, int at, int end) {
    return at;
  }
}
