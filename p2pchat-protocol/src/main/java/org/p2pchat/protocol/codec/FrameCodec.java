package org.p2pchat.protocol.codec;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.codec.MessageCodec;
import org.p2pchat.protocol.codec.internal.FrameMapping;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.HeaderFlyweight;
import org.p2pchat.protocol.codec.internal.OkFlyweight;

/**
 * The object-level codec of protocol v1: {@link Frame} values to datagram bytes and back. Meant
 * for tools, tests and test vectors: it allocates per frame, which the engines' hot paths do
 * not. It follows the table of frame types, so every frame type the server speaks is here.
 *
 * <p>Stateless and thread-safe.
 */
public final class FrameCodec implements MessageCodec<Frame> {
  private static final Map<Class<?>, FrameMapping<?, ?>> BY_VALUE_TYPE = new HashMap<>();

  static {
    for (FrameType t : FrameType.values()) {
      if (t.mapping() != null) {
        BY_VALUE_TYPE.put(t.mapping().valueType(), t.mapping());
      }
    }
    for (FrameType.Answer a : FrameType.Answer.values()) {
      if (a.mapping() != null) {
        BY_VALUE_TYPE.put(a.mapping().valueType(), a.mapping());
      }
    }
  }

  /** A codec; all instances behave alike. */
  public FrameCodec() {}

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException also when an {@link Frame.OkHistory} page does not fit one
   *     datagram
   */
  @Override
  public int encode(Frame frame, ByteBuffer dst) {
    FrameMapping<?, ?> mapping = BY_VALUE_TYPE.get(frame.getClass());
    if (mapping == null) {
      throw new IllegalArgumentException("not a frame of protocol v1: " + frame);
    }
    return mapping.encode(frame, dst);
  }

  @Override
  public Frame decode(ByteBuffer src) throws DecodeException {
    FrameType type = FrameType.ofCode(HeaderFlyweight.readType(src));
    FrameMapping<?, ?> mapping = type.mapping();
    if (type == FrameType.OK) {
      FrameType request = FrameType.ofCode(OkFlyweight.peekInReplyTo(src));
      FrameType.Answer layout = request != null ? request.answer() : FrameType.Answer.NONE;
      // An OK of no known layout is malformed: the empty layout's flyweight says why.
      mapping = (layout != FrameType.Answer.NONE ? layout : FrameType.Answer.EMPTY).mapping();
    }
    Frame frame = mapping.decode(src);
    src.position(src.limit());
    return frame;
  }
}
