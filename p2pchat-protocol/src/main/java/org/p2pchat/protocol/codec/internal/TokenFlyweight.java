package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;

/**
 * A session request that carries nothing but its token: LOGOUT, PING and PUSH_ACK (for which
 * the request id is the push id acknowledged).
 *
 * <pre>
 * offset size field
 *      0   13 header
 *     13   16 session token
 * total 29 bytes
 * </pre>
 */
public final class TokenFlyweight extends SessionFlyweight<TokenFlyweight> {
  /** The frame's length in bytes. */
  public static final int FRAME_LENGTH = FIELDS_OFFSET;

  /** @param type the frame type: LOGOUT, PING, PUSH_ACK or another request of this layout */
  public TokenFlyweight(FrameType type) {
    super(type.code());
  }

  @Override
  protected int decodeRequest(ByteBuffer frame, int start, int at, int end) {
    return at;
  }
}
