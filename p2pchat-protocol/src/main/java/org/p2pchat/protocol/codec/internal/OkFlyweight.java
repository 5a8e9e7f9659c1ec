package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.codec.DecodeException.Reason;

/**
 * The base of the OK answers: the header, then the type of the request answered; what follows
 * depends on that request ({@link FrameType#answer()}), and each such layout is a subclass.
 *
 * <pre>
 * offset size field
 *      0   13 header, type 0x80, request id of the request answered
 *     13    1 in-reply-to: the request's frame type
 *     14      the payload of the layout
 * </pre>
 *
 * <p>When writing, {@link #inReplyTo} comes first, right after {@link #encode}.
 *
 * @param <F> the concrete flyweight
 */
public abstract class OkFlyweight<F extends OkFlyweight<F>> extends HeaderFlyweight<F> {
  /** Offset of the in-reply-to frame type. */
  public static final int IN_REPLY_TO_OFFSET = LENGTH;
  /** Offset of the payload. */
  public static final int PAYLOAD_OFFSET = IN_REPLY_TO_OFFSET + 1;

  private final FrameType.Answer layout;

  /** @param layout the answer layout this flyweight reads and writes */
  protected OkFlyweight(FrameType.Answer layout) {
    super(FrameType.OK.code());
    this.layout = layout;
  }

  @Override
  protected final int decodeFields(ByteBuffer frame, int start, int at, int end)
      throws DecodeException {
    Wire.need(at, 1, end, "in-reply-to");
    int request = Wire.u8(frame, at);
    if (!answers(request)) {
      throw new DecodeException(Reason.BAD_VALUE, "in-reply-to " + FrameType.name(request)
          + " in an OK of layout " + layout);
    }
    return decodePayload(frame, start, at + 1, end);
  }

  /**
   * Validates the payload, which starts at {@code at}.
   *
   * @return the index after the last field, which must be the frame's end
   * @throws DecodeException when a field is malformed
   */
  protected abstract int decodePayload(ByteBuffer frame, int start, int at, int end)
      throws DecodeException;

  /** Whether an OK of this layout answers requests of frame type {@code request}. */
  public final boolean answers(int request) {
    FrameType type = FrameType.ofCode(request);
    return type != null && type.answer() == layout;
  }

  /** The frame type of the request answered. */
  public final int inReplyTo() {
    return Wire.u8(buffer, offset + IN_REPLY_TO_OFFSET);
  }

  /**
   * Writes the type of the request answered, the first field after the header.
   *
   * @return this flyweight
   * @throws IllegalArgumentException when OKs to {@code request} have another layout
   */
  public final F inReplyTo(FrameType request) {
    if (request.answer() != layout) {
      throw new IllegalArgumentException("an OK to " + request + " has layout " + request.answer()
          + ", not " + layout);
    }
    int at = offset + IN_REPLY_TO_OFFSET;
    Wire.ensureRoom(buffer, at, 1);
    // The payload's start first: it checks its own room, so that when it lacks some, this
    // setter has written nothing, as every setter promises.
    limit = encodePayloadStart(buffer, at + 1);
    Wire.putU8(buffer, at, request.code());
    return self();
  }

  /**
   * Writes the start of the payload that does not depend on values (a subclass overrides it).
   *
   * @return the index after it
   */
  protected int encodePayloadStart(ByteBuffer dst, int at) {
    return at;
  }

  /**
   * The in-reply-to byte of an OK frame, for choosing its layout before wrapping it.
   *
   * @return the request's frame type, or -1 when the frame is too short to carry one
   */
  public static int peekInReplyTo(ByteBuffer frame) {
    return frame.remaining() > IN_REPLY_TO_OFFSET
        ? Wire.u8(frame, frame.position() + IN_REPLY_TO_OFFSET) : -1;
  }
}
