package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.protocol.codec.Frame;

/**
 * How one frame layout maps to its {@link Frame} value: the object-level codec of one row of
 * {@link FrameType}. Allocates a flyweight per call: for tools and tests, not the hot path.
 *
 * @param <F> the layout's flyweight
 * @param <R> the frame's value type
 */
public final class FrameMapping<F extends HeaderFlyweight<F>, R extends Frame> {
  private final Class<R> valueType;
  private final Function<FrameType, F> flyweight;
  /** The frame type of a request or push layout; null for an answer layout, whose flyweight knows it. */
  private FrameType type;
  private final Function<F, R> read;
  private final BiConsumer<R, F> write;

  /**
   * @param valueType the frame's value type
   * @param flyweight makes a flyweight of the layout for a frame type
   * @param read turns a wrapped flyweight into the value
   * @param write writes the value's fields into a flyweight whose header is written
   */
  FrameMapping(Class<R> valueType, Function<FrameType, F> flyweight, Function<F, R> read, BiConsumer<R, F> write) {
    this.valueType = valueType;
    this.flyweight = flyweight;
    this.read = read;
    this.write = write;
  }

  /** Called once by the row of {@link FrameType} that this mapping is the codec of. */
  void bind(FrameType row) {
    this.type = row;
  }

  /** The frame's value type. */
  public Class<R> valueType() {
    return valueType;
  }

  /**
   * A new flyweight of this layout for its frame type, to reuse (what {@link #decode} and
   * {@link #encode} make per call): so that tests reach every layout through the table.
   */
  F newFlyweight() {
    return flyweight.apply(type);
  }

  /**
   * Decodes the frame between {@code src}'s position and limit. Does not move the position.
   *
   * @throws DecodeException when it is malformed or not of this layout
   */
  public R decode(ByteBuffer src) throws DecodeException {
    return read.apply(flyweight.apply(type).wrap(src));
  }

  /**
   * Encodes {@code value} at {@code dst}'s position and advances it.
   *
   * @return the number of bytes written
   * @throws IllegalArgumentException when a field is outside the protocol's limits
   * @throws ClassCastException when {@code value} is not of {@link #valueType()}
   */
  public int encode(Frame value, ByteBuffer dst) {
    R typed = valueType.cast(value);
    F f = flyweight.apply(type).encode(dst, typed.requestId());
    write.accept(typed, f);
    return f.finish();
  }
}
