package org.p2pchat.api.codec;

import java.nio.ByteBuffer;

/**
 * Encodes values of type {@code T} into datagram bytes and decodes them back.
 *
 * <p>Implementations are stateless or confine their state to one thread; the protocol module's
 * implementation is thread-safe.
 *
 * @param <T> the type of value coded
 */
public interface MessageCodec<T> {

  /**
   * Writes {@code value} at {@code dst}'s position, advancing it past the bytes written.
   *
   * @param value what to encode
   * @param dst where to write it
   * @return the number of bytes written
   * @throws java.nio.BufferOverflowException when {@code dst} has too little room left; its
   *     position is then unspecified
   * @throws IllegalArgumentException when the value cannot be encoded within the protocol's
   *     limits
   */
  int encode(T value, ByteBuffer dst);

  /**
   * Reads one value from all the bytes between {@code src}'s position and limit, which must be
   * exactly one complete frame, and advances the position to the limit.
   *
   * @param src the frame's bytes
   * @return the decoded value
   * @throws DecodeException for any malformed input; no other exception escapes
   */
  T decode(ByteBuffer src) throws DecodeException;
}
