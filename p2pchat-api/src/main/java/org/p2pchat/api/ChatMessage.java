package org.p2pchat.api;

import java.time.Instant;
import org.immutables.value.Value;

/**
 * A stored chat message as the server knows it. Ids are assigned by the store and increase in
 * the order messages were stored; they are unique across the whole server.
 *
 * <p>Immutable and thread-safe. Build one with {@link #builder()}.
 */
@Value.Immutable
public abstract class ChatMessage {

  ChatMessage() {}

  /** {@return a builder for a message} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the store-assigned id, greater than 0} */
  public abstract long id();

  /** {@return who sent it} */
  public abstract UserName sender();

  /** {@return who it is addressed to} */
  public abstract UserName recipient();

  /**
   * {@return the text, at most {@link ProtocolLimits#MAX_LONG_BODY_BYTES} bytes of UTF-8, never
   * empty}
   */
  public abstract String body();

  /** {@return when the server accepted it, at millisecond precision} */
  public abstract Instant sentAt();

  /** {@return how far it has come} */
  @Value.Default
  public DeliveryState state() {
    return DeliveryState.STORED;
  }

  /**
   * A copy in another state.
   *
   * @param state the state of the copy
   * @return the copy, or this message when it is already in {@code state}
   */
  public ChatMessage withState(DeliveryState state) {
    return state == state() ? this : builder().from(this).state(state).build();
  }

  @Value.Check
  void check() {
    if (id() <= 0) {
      throw new IllegalArgumentException("message id must be > 0: " + id());
    }
    checkBody(body());
  }

  /**
   * Checks a one-to-one message body against the protocol's limit,
   * {@link ProtocolLimits#MAX_LONG_BODY_BYTES} (a body over {@link ProtocolLimits#MAX_BODY_BYTES}
   * travels as a long message).
   *
   * @param body the message text
   * @throws ChatException with {@link ErrorCode#BODY_TOO_LONG} for a body over the limit
   * @throws IllegalArgumentException for an empty body, or one with an unpaired surrogate
   */
  public static void checkBody(String body) {
    checkBody(body, ProtocolLimits.MAX_LONG_BODY_BYTES);
  }

  /**
   * Checks a message body against a limit: {@link ProtocolLimits#MAX_BODY_BYTES} for what
   * travels in one {@code text} field (a room message).
   *
   * @param body the message text
   * @param maxBytes the most bytes of UTF-8 allowed
   * @throws ChatException with {@link ErrorCode#BODY_TOO_LONG} for a body over {@code maxBytes}
   * @throws IllegalArgumentException for an empty body, or one with an unpaired surrogate
   */
  public static void checkBody(String body, int maxBytes) {
    if (body.isEmpty()) {
      throw new IllegalArgumentException("a message body must not be empty");
    }
    if (body.length() > maxBytes || ProtocolLimits.utf8Length(body) > maxBytes) {
      throw new ChatException(ErrorCode.BODY_TOO_LONG);
    }
  }

  /** Builds a {@link ChatMessage}. */
  public static final class Builder extends ImmutableChatMessage.Builder {
    Builder() {}
  }
}
